package io.cnnbench.benchmarks;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cnnbench.core.djl.TorchScriptModule;
import java.io.IOException;

/**
 * A convolution in bfloat16 that DJL can call, train through and get float32 back from, although DJL 0.36 cannot
 * hold a bfloat16 tensor (its native data-type switch ends in a bare {@code throw}, which ends the JVM): a small
 * {@link TorchScriptModule} that does the casts inside libtorch. Called with autograd on, its
 * backward pass runs libtorch's bfloat16 kernels too and hands float32 gradients back, as PyTorch's
 * {@code autocast} does.
 */
final class Bf16ConvModule implements AutoCloseable {
    /**
     * The module's {@code forward(x: Tensor, w: Tensor, spec: Tensor) -> Tensor}; scalar type 15 is bfloat16, 6 is float32. The input and the
     * kernel are rounded to bfloat16; then the convolution runs in bfloat16 (its output cast back), or, where the
     * spec's last entry is 0, in float32 on the rounded values: what a correct bfloat16 kernel computes, up to the
     * rounding of its output. The casts' backward passes round the gradients the same way in both.
     */
    private static final String FORWARD_BODY = """
                stride = [int(torch.select(spec, 0, 0)), int(torch.select(spec, 0, 1))]
                padding = [int(torch.select(spec, 0, 2)), int(torch.select(spec, 0, 3))]
                groups = int(torch.select(spec, 0, 4))
                xr = torch.to(x, 15)
                wr = torch.to(w, 15)
                if bool(torch.select(spec, 0, 5)):
                  y = torch.to(torch.conv2d(xr, wr, None, stride, padding, [1, 1], groups), 6)
                else:
                  y = torch.conv2d(torch.to(xr, 6), torch.to(wr, 6), None, stride, padding, [1, 1], groups)
                return y
            """;

    /** Which arithmetic the module's convolution runs in. */
    enum Arithmetic {
        /** libtorch's bfloat16 convolution: the thing measured. */
        BFLOAT16,
        /** The float32 convolution of the bfloat16-rounded input and kernel: the reference for it. */
        FLOAT32_ON_ROUNDED
    }

    private final TorchScriptModule module;

    private Bf16ConvModule(TorchScriptModule module) {
        this.module = module;
    }

    static Bf16ConvModule load() throws IOException, MalformedModelException {
        return new Bf16ConvModule(TorchScriptModule.load("Bf16Conv2d", "x: Tensor, w: Tensor, spec: Tensor", "Tensor",
                FORWARD_BODY));
    }

    /** The convolution's stride, padding, groups and arithmetic as the module takes them: one int64 array. */
    static NDArray spec(NDManager manager, Shape stride, Shape padding, int groups, Arithmetic arithmetic) {
        return manager.create(new long[] {stride.get(0), stride.get(1), padding.get(0), padding.get(1), groups,
                arithmetic == Arithmetic.BFLOAT16 ? 1 : 0});
    }

    /** {@code x} convolved with {@code w} as {@code spec} says, returned in float32; differentiable in both. */
    NDArray conv2d(NDArray x, NDArray w, NDArray spec) {
        return module.forward(new NDList(x, w, spec)).singletonOrThrow();
    }

    @Override
    public void close() {
        module.close();
    }
}
