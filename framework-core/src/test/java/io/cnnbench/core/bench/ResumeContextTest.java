package io.cnnbench.core.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.djl.Device;
import io.cnnbench.api.common.GenericHead;
import io.cnnbench.api.common.GenericTail;
import io.cnnbench.api.registry.ProviderRegistry;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** What a checkpoint must match to be resumed, beyond the training settings: {@code BenchmarkRunner.resumeContext}. */
class ResumeContextTest {
    private static final ProviderRegistry REGISTRY = ProviderRegistry.of(new GenericTail(), new GenericHead(),
            new OptionValidationTest.GroupedBlock(), new OptionValidationTest.Cifar(),
            new OptionValidationTest.ImageNet());

    private static String context(UnaryOperator<BenchmarkConfig> settings, Device device) {
        BenchmarkConfig cfg = settings.apply(new BenchmarkConfig().architectures(List.of("test-cifar")));
        BenchmarkRunner runner = new BenchmarkRunner(REGISTRY, cfg);
        return runner.resumeContext(runner.selectedArchitectures().get(0), 1234, device);
    }

    @Test
    void aValidationSplitDrawnWithAnotherSeedIsAnotherContext() {
        UnaryOperator<BenchmarkConfig> split = c -> c.set(Settings.VALIDATION_SPLIT, "0.1");
        String seed42 = context(c -> split.apply(c).set(Settings.SEED, "42"), Device.cpu());
        // A rerun of seed 43 alone draws its split with 43; the pair seed-43 of a run from 42 drew it with 42.
        assertNotEquals(seed42, context(c -> split.apply(c).set(Settings.SEED, "43"), Device.cpu()));
        assertEquals(seed42, context(c -> split.apply(c).set(Settings.SEED, "42"), Device.cpu()));
        // Without a split the test split validates, whatever the seed (the pair's own seed is checked elsewhere).
        assertEquals(context(c -> c.set(Settings.SEED, "42"), Device.cpu()),
                context(c -> c.set(Settings.SEED, "43"), Device.cpu()));
    }

    @Test
    void anotherDeviceOrEvaluationBatchIsAnotherContextAndTheUsualValuesAddNothing() {
        String usual = context(c -> c, Device.cpu());
        assertNotEquals(usual, context(c -> c, Device.gpu()));
        assertNotEquals(usual, context(c -> c.set(Settings.EVAL_BATCH_SIZE, "128"), Device.cpu()));
        // Checkpoints written before these were listed name neither, and still resume on the CPU at batch 256.
        assertFalse(usual.contains("device") || usual.contains("evalBatchSize") || usual.contains("splitSeed"), usual);
    }
}
