package io.cnnbench.core.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.junit.jupiter.api.Test;

/** {@code cnn.device}: cpu, gpu or auto, and what a user is told when the GPU they asked for is not there. */
class EnginesTest {
    private final Engine engine = Engines.pytorch();

    @Test
    void cpuIsAlwaysTheCpu() {
        assertEquals(Device.cpu(), Engines.device(engine, "cpu"));
        assertEquals(Device.cpu(), Engines.device(engine, " CPU "));
    }

    @Test
    void autoTakesTheGpuOnlyWhenTheEngineSeesOne() {
        Device expected = engine.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
        assertEquals(expected, Engines.device(engine, "auto"));
        assertEquals(expected, Engines.device(engine, null));
    }

    @Test
    void gpuWithoutOneSaysHowToGetCudaNatives() {
        assumeTrue(engine.getGpuCount() == 0, "this machine has a GPU; the no-GPU message cannot be checked here");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Engines.device(engine, "gpu"));
        assertTrue(e.getMessage().contains("Training on a GPU") && e.getMessage().contains("cnn.device=cpu"),
                e.getMessage());
    }

    @Test
    void anythingElseIsRejectedWithTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Engines.device(engine, "tpu"));
        assertTrue(e.getMessage().contains("cpu, gpu or auto"), e.getMessage());
    }

    @Test
    void theDeviceReadsAsAPersonWouldWriteIt() {
        assertEquals("CPU (2 threads)", Engines.cpuDescription(2));
        assertEquals("CPU (1 thread)", Engines.cpuDescription(1));
        assertEquals("GPU 0: NVIDIA H200 (CUDA 12.4)", Engines.gpuDescription(0, "NVIDIA H200", 12040));
        assertEquals("GPU 1: CUDA GPU", Engines.gpuDescription(1, "CUDA GPU", 0));
        assertTrue(Engines.describe(ai.djl.Device.cpu()).matches("CPU \\(\\d+ threads?\\)"),
                Engines.describe(ai.djl.Device.cpu()));
    }
}
