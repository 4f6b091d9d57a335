package io.cnnbench.core.train;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.IValue;
import io.cnnbench.core.djl.TorchScriptModule;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keras' Adam for all parameters in one call into libtorch: its fused Adam kernel ({@code _fused_adam_}, one pass
 * per parameter tensor) through a TorchScript module, instead of about twelve DJL operations per tensor, each a JNI
 * call, a Java object and a pass over memory (per step: 11–18 ms for {@code resnext-seed}'s 100-odd tensors and
 * 15–23 ms for {@code mobilenetv3-small}'s, against about 2 and 2.4–5 ms this way). libtorch's Adam is PyTorch's,
 * which adds epsilon to the bias-corrected {@code √v̂} where Keras adds it to {@code √v}; {@link #update} passes epsilon
 * divided by {@code √(1 − β2^t)}, which makes the two the same update. The rounding differs from the
 * per-parameter form ({@link Optimizer.Adam#apply}) in the last bits, so the same seed gives slightly different
 * numbers in the two forms; runs use this one wherever it loads. Where loading fails, {@link #shared()} is null
 * and the per-parameter form runs, with a warning.
 */
final class LibtorchAdam {
    private static final Logger LOG = LoggerFactory.getLogger(LibtorchAdam.class);

    /**
     * The update, then the gradients cleared (as {@link Optimizer#update} does one tensor at a time). Runs without
     * autograd (DJL's inference-mode module call), as in-place updates of parameters must. {@code steps} holds
     * each parameter's update count (one shared tensor will do), from which the kernel computes bias correction.
     */
    private static final String FORWARD_PARAMETERS = "weights: List[Tensor], grads: List[Tensor], m: List[Tensor],"
            + " v: List[Tensor], steps: List[Tensor], lr: float, beta1: float, beta2: float, epsilon: float,"
            + " weight_decay: float";
    private static final String FORWARD_BODY = """
            torch._fused_adam_(weights, grads, m, v, annotate(List[Tensor], []), steps, lr=lr, beta1=beta1,
                beta2=beta2, weight_decay=weight_decay, eps=epsilon, amsgrad=False, maximize=False)
            torch._foreach_zero_(grads)
            return None
            """;

    /** Loaded with this class, on first use: the JVM's class initialisation makes that once and thread-safe. */
    private static final LibtorchAdam SHARED = load();

    private final TorchScriptModule module;

    private LibtorchAdam(TorchScriptModule module) {
        this.module = module;
    }

    /** The process's module; null where libtorch would not load it. */
    static LibtorchAdam shared() {
        return SHARED;
    }

    private static LibtorchAdam load() {
        try {
            return new LibtorchAdam(TorchScriptModule.load("KerasAdam", FORWARD_PARAMETERS, "None", FORWARD_BODY));
        } catch (IOException | MalformedModelException | RuntimeException e) {
            LOG.warn("libtorch's list operations could not be loaded for Adam ({}); each parameter is updated by"
                    + " its own operations, which compute the same update more slowly", e.toString());
            return null;
        }
    }

    /**
     * Update number {@code step} (from 1) of every weight in place, its moments with it, and its gradient cleared,
     * with Keras' {@code epsilon} (added to {@code √v}).
     */
    void update(List<NDArray> weights, List<NDArray> grads, List<NDArray> m, List<NDArray> v, long step, double lr,
            double beta1, double beta2, double epsilon, double weightDecay) {
        // Made in the caller's scope and freed with it; the kernel reads it before returning.
        NDArray stepCount = weights.get(0).getManager().create((float) step);
        // Keras' ε beside √v is PyTorch's ε / √(1 − β2^t) beside the bias-corrected √v̂.
        double pytorchEpsilon = epsilon / Math.sqrt(1 - Math.pow(beta2, step));
        IValue[] args = {list(weights), list(grads), list(m), list(v),
            list(Collections.nCopies(weights.size(), stepCount)), IValue.from(lr), IValue.from(beta1),
            IValue.from(beta2), IValue.from(pytorchEpsilon), IValue.from(weightDecay)};
        try {
            module.run(args).close();
        } finally {
            for (IValue a : args) {
                a.close();
            }
        }
    }

    private static IValue list(List<NDArray> arrays) {
        return IValue.listFrom(arrays.toArray(new PtNDArray[0]));
    }
}
