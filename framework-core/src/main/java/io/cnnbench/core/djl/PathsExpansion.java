package io.cnnbench.core.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.graph.Node;
import io.cnnbench.api.graph.Op;
import java.util.ArrayList;
import java.util.List;

/**
 * The PyTorch back end's fused form of ResNeXt's "expand every path, normalise, sum the paths" tail: a grouped
 * 1×1 convolution to {@code P·C} channels, batch-norm over those channels and a sum over the P paths run as
 * one dense 1×1 convolution to C channels, so the {@code P·C}-channel tensor (8× the block's output in the
 * notebook's ResNeXt) is never made, forward or backward.
 *
 * <p>Why it is exact: batch-norm is per-channel affine, {@code y_k = γ_k (w_k·x − μ_k) / σ_k + β_k}, and the
 * statistics of a linear map's output follow from its input's: {@code μ_k = w_k·mean(x)} and
 * {@code σ_k² = w_kᵀ Cov(x) w_k + ε} (the biased variance batch-norm normalises with). Path p's channels read
 * only group p's inputs, so the sum over paths is a dense 1×1 convolution whose weight for output j and path
 * p is {@code (γ/σ)_{p,j} · w_{p,j}}, with bias {@code Σ_p (β − μγ/σ)_{p,j}}. Autograd differentiates through
 * all of this, so gradients are those of the three operations, equal within float rounding (the conformance
 * kit's ONNX parity check compares this form against the plain three-node graph of the training-form ONNX
 * export). In training the running
 * statistics are updated exactly as the engine's batch-norm does: Keras-convention momentum, unbiased variance.
 *
 * <p>The graph, its parameters, checkpoints and the training-form ONNX export are unchanged; only the PyTorch
 * evaluation differs. The inference-form ONNX export ({@code io.cnnbench.core.onnx.InferenceFolding}) finds the
 * same runs with {@link #find} and writes each as the same dense 1×1 convolution, with the running statistics.
 */
public final class PathsExpansion {
    final Node conv;
    final Node batchNorm;
    final Node sum;

    private PathsExpansion(Node conv, Node batchNorm, Node sum) {
        this.conv = conv;
        this.batchNorm = batchNorm;
        this.sum = sum;
    }

    /**
     * Every grouped 1×1 convolution (stride 1, unpadded, no bias) whose output only a batch-norm reads, whose
     * output in turn only a {@code SumPaths} over as many paths as the convolution has groups reads.
     */
    public static List<PathsExpansion> find(Graph graph) {
        List<Node> nodes = graph.nodes();
        int[] readers = graph.readerCounts();
        int output = graph.outputNode().id();
        List<PathsExpansion> found = new ArrayList<>();
        for (Node sum : nodes) {
            if (!(sum.op() instanceof Op.SumPaths paths) || sum.inputs().size() != 1) {
                continue;
            }
            Node bn = nodes.get(sum.inputs().get(0));
            if (!(bn.op() instanceof Op.BatchNorm) || readers[bn.id()] != 1 || bn.id() == output) {
                continue;
            }
            Node conv = nodes.get(bn.inputs().get(0));
            if (conv.op() instanceof Op.Conv2d c && readers[conv.id()] == 1 && conv.id() != output
                    && conv.id() != 0 && c.groups() == paths.paths() && c.groups() > 1 && !c.bias()
                    && c.kernelH() == 1 && c.kernelW() == 1 && c.strideH() == 1 && c.strideW() == 1
                    && c.padTop() == 0 && c.padBottom() == 0 && c.padLeft() == 0 && c.padRight() == 0) {
                found.add(new PathsExpansion(conv, bn, sum));
            }
        }
        return found;
    }

    /** The grouped 1×1 convolution, {@code (P·C, in/P, 1, 1)} kernel, no bias. */
    public Node conv() {
        return conv;
    }

    /** The batch-norm over the convolution's {@code P·C} channels. */
    public Node batchNorm() {
        return batchNorm;
    }

    /** The {@code SumPaths} over P paths, whose output the run produces. */
    public Node sum() {
        return sum;
    }

    /**
     * The sum node's output from the convolution's input. Params: the convolution's kernel
     * {@code (P·C, in/P, 1, 1)}, then batch-norm's gamma, beta, running mean, running variance.
     */
    NDArray forward(NDArray x, List<NDArray> params, boolean training) {
        Op.Conv2d convOp = (Op.Conv2d) conv.op();
        Op.BatchNorm bnOp = (Op.BatchNorm) batchNorm.op();
        NDArray kernel = params.get(0);
        NDArray gamma = params.get(1);
        NDArray beta = params.get(2);
        NDArray runningMean = params.get(3);
        NDArray runningVar = params.get(4);
        Shape s = x.getShape();
        long n = s.get(0);
        long channelsIn = s.get(1);
        long pixels = s.get(2) * s.get(3);
        int paths = convOp.groups();
        long perPath = convOp.filters() / paths;
        long inPerPath = channelsIn / paths;

        NDArray mean;
        NDArray variance;
        if (training) {
            // Statistics of x over batch and pixels, as batch-norm would take them of the convolution's output:
            // one (C_in × N·H·W)·(N·H·W × C_in) product over x's pixels as rows, Cov = E[x xᵀ] − μ μᵀ. On
            // channels-last images the rows are a view of x, so neither direction copies it; the per-image
            // products of a centred copy this replaced cost a copy of x and its backward, and made whole training
            // steps 6-8 % slower (docs/performance.md). In ResNeXt x is post-ReLU, its mean and spread alike in
            // size, so the subtraction loses little; a variance rounded below zero is clamped to zero, against a
            // scalar() zero: maximum(0f) wraps the 0 in a Java buffer that is freed while autograd still reads it,
            // which made training differ from run to run.
            long count = n * pixels;
            NDArray perValue = scalar(x, 1.0 / count);
            NDArray rows = x.transpose(0, 2, 3, 1).reshape(count, channelsIn);
            NDArray inputMean = rows.sum(new int[] {0}).mul(perValue);
            // E[x xᵀ]'s gradient with respect to x is x·(G + Gᵀ) for the upstream gradient G, two products over
            // every pixel if autograd sees x on both sides. G is symmetric here (the variances read the covariance
            // as K·Cov·Kᵀ's diagonal), so 2·x·G is the same gradient from one product: the product is taken with
            // one side detached and counted twice, minus its detached value, which leaves the value exactly as it
            // was (2P − P is exact in floating point). On the Zen 5 this took 4 ms off each 28×28 expansion's
            // backward pass and made whole steps about 6 % faster (docs/performance.md).
            NDArray oneSided = rows.stopGradient().transpose().matMul(rows);
            NDArray secondMoment = oneSided.mul(scalar(x, 2)).sub(oneSided.stopGradient());
            NDArray covariance = secondMoment.mul(perValue)
                    .sub(inputMean.reshape(channelsIn, 1).matMul(inputMean.reshape(1, channelsIn)));
            NDArray blockKernel = blockDiagonal(kernel, paths, perPath, inPerPath, x.getManager());
            mean = blockKernel.matMul(inputMean.reshape(channelsIn, 1)).reshape(paths * perPath);
            variance = blockKernel.matMul(covariance).mul(blockKernel).sum(new int[] {1}).maximum(scalar(x, 0));
            updateRunning(runningMean, mean, bnOp.momentum(), 1);
            updateRunning(runningVar, variance, bnOp.momentum(), count > 1 ? (double) count / (count - 1) : 1);
        } else {
            mean = runningMean;
            variance = runningVar;
        }
        NDArray scale = gamma.div(variance.add(scalar(x, bnOp.epsilon())).sqrt());
        NDArray shift = beta.sub(mean.mul(scale));
        // (P, C, in/P) scaled per output channel, laid out as one dense (C, P·in/P) kernel: column block p is path p.
        NDArray dense = kernel.reshape(paths, perPath, inPerPath).mul(scale.reshape(paths, perPath, 1))
                .transpose(1, 0, 2).reshape(perPath, channelsIn, 1, 1);
        NDArray bias = shift.reshape(paths, perPath).sum(new int[] {0});
        return Conv2d.conv2d(x, dense, bias).singletonOrThrow();
    }

    /**
     * A constant for autograd to keep: DJL's {@code div(Number)} and friends wrap the number in a tensor over a
     * Java buffer and free it at once, which a backward pass that reads it would find gone.
     */
    private static NDArray scalar(NDArray like, double value) {
        return like.getManager().full(new Shape(), (float) value, like.getDataType());
    }

    /** {@code (P·C, in/P)} as the block-diagonal {@code (P·C, in)}: path p's rows see only group p's inputs. */
    private static NDArray blockDiagonal(NDArray kernel, int paths, long perPath, long inPerPath, NDManager m) {
        NDArray mask = m.eye(paths).reshape(paths, 1, paths, 1);
        return kernel.reshape(paths, perPath, 1, inPerPath).mul(mask).reshape(paths * perPath, paths * inPerPath);
    }

    /** {@code running = m·running + (1 − m)·batch·correction}, in place and outside autograd. */
    private static void updateRunning(NDArray running, NDArray batch, double momentum, double correction) {
        NDArray update = batch.stopGradient().mul((float) ((1 - momentum) * correction));
        running.muli((float) momentum).addi(update);
    }
}
