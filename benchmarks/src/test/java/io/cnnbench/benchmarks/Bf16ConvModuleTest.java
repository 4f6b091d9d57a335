package io.cnnbench.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import io.cnnbench.core.djl.Engines;
import org.junit.jupiter.api.Test;

/**
 * The TorchScript archive written from Java loads in DJL's libtorch, both its arithmetics run, and gradients come back
 * through them in float32: the benchmark's figures rest on that. A 3×3 convolution with 16 channels in and out, a
 * shape whose bfloat16 kernels were right on every CPU measured (docs/performance.md names those that were not).
 */
class Bf16ConvModuleTest {
    private static final Shape STRIDE = new Shape(1, 1);
    private static final Shape PADDING = new Shape(1, 1);

    @Test
    void archiveLoadsAndBothMethodsMatchTheFloat32ConvolutionWithinBfloat16Rounding() throws Exception {
        Engines.pytorch();
        Engine engine = Engine.getEngine(Engines.PYTORCH);
        try (Bf16ConvModule module = Bf16ConvModule.load();
             NDManager m = NDManager.newBaseManager(Device.cpu())) {
            engine.setRandomSeed(7);
            NDArray x = m.randomNormal(new Shape(2, 16, 8, 8));
            NDArray w = m.randomNormal(new Shape(16, 16, 3, 3)).mul(0.1);
            NDArray bfloat16Spec = Bf16ConvModule.spec(m, STRIDE, PADDING, 1, Bf16ConvModule.Arithmetic.BFLOAT16);
            NDArray roundedSpec = Bf16ConvModule.spec(m, STRIDE, PADDING, 1,
                    Bf16ConvModule.Arithmetic.FLOAT32_ON_ROUNDED);
            NDArray ones = m.ones(new Shape(2, 16, 8, 8));
            NDArray[] float32 = Bf16Convolutions.gradients(engine, (a, b) -> Conv2d.conv2d(a, b, null, STRIDE,
                    PADDING, new Shape(1, 1), 1).singletonOrThrow(), x, w, ones);
            NDArray[] rounded = Bf16Convolutions.gradients(engine, (a, b) -> module.conv2d(a, b, roundedSpec), x, w,
                    ones);
            NDArray[] bfloat16 = Bf16Convolutions.gradients(engine, (a, b) -> module.conv2d(a, b, bfloat16Spec), x,
                    w, ones);
            for (int i = 0; i < 3; i++) {
                assertEquals(DataType.FLOAT32, bfloat16[i].getDataType());
                assertEquals(float32[i].getShape(), bfloat16[i].getShape());
                // bfloat16 keeps 8 significant bits: inputs and output each rounded by up to 2^-9 relative.
                assertTrue(relativeDifference(rounded[i], float32[i]) < 2e-2, "rounded vs float32, array " + i);
                assertTrue(relativeDifference(bfloat16[i], rounded[i]) < 2e-2, "bfloat16 vs rounded, array " + i);
            }
            // Rounded is not float32 unchanged: the casts happened.
            assertTrue(relativeDifference(rounded[0], float32[0]) > 0, "the module's rounding left no trace");
        }
    }

    private static double relativeDifference(NDArray a, NDArray reference) {
        return a.sub(reference).abs().max().getFloat() / reference.abs().max().getFloat();
    }
}
