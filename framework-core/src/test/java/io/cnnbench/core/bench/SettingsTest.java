package io.cnnbench.core.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cnnbench.api.spi.Options;
import io.cnnbench.cifar.Augmentation;
import io.cnnbench.cifar.CifarDataException;
import io.cnnbench.core.onnx.OnnxForm;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SettingsTest {
    @Test
    void everySettingIsDeclaredOnceWithAUniquePropertyAndParameter() {
        Set<String> properties = new HashSet<>();
        Set<String> parameters = new HashSet<>();
        for (Setting<?> s : Settings.all()) {
            assertTrue(properties.add(s.property()), "declared twice: " + s);
            assertTrue(parameters.add(s.parameter()), "parameter twice: " + s.parameter());
            assertTrue(s.property().equals("cnn." + s.parameter()), s.property());
            assertFalse(s.description().isBlank(), s + " has no description");
            if (s.defaultValue() != null) {
                // The default must pass its own check, and read back from its text.
                assertEquals(s.defaultValue(), s.parse(s.format(s.defaultValue())), s.property());
            }
        }
    }

    @Test
    void defaultsComeFromTheTable() {
        BenchmarkConfig c = new BenchmarkConfig();
        assertEquals(0.9, c.get(Settings.MOMENTUM));
        assertEquals("auto", c.get(Settings.DEVICE));
        assertEquals(1, c.get(Settings.SEEDS));
        assertEquals(1e-4, c.get(Settings.ONNX_RELATIVE_TOLERANCE));
        assertEquals(Augmentation.NOTEBOOK, c.get(Settings.AUGMENTATION));
        assertEquals(OnnxForm.INFERENCE, c.get(Settings.ONNX_FORM));
        assertNull(c.get(Settings.EPOCHS), "null: the architecture's own");
        assertEquals(List.of(42L), c.seedList());
    }

    @Test
    void theForkReadsBackExactlyWhatWasSet() {
        BenchmarkConfig c = new BenchmarkConfig().runId("r1").architectures(List.of("a", "b"))
                .set(Settings.EPOCHS, "3").set(Settings.LEARNING_RATE, "0.01").set(Settings.AUGMENTATION, "pad4_crop32")
                .set(Settings.DATASET, "cifar10-sample").set(Settings.TRAIN_LIMIT, "320")
                .set(Settings.EXTRACT_MAX_ENTRIES, "99").set(Settings.ONNX, "false").set(Settings.ONNX_FORM, "training")
                .architectureOptions("a", Options.of("cardinality", "4"));
        BenchmarkConfig back = BenchmarkConfig.fromProperties(c.toProperties());
        assertEquals(c.toProperties(), back.toProperties());
        assertEquals(3, back.get(Settings.EPOCHS));
        assertEquals(Augmentation.PAD4_CROP32, back.augmentation());
        assertEquals(320, back.data().trainLimit());
        assertEquals(99, back.data().extractMaxEntries(), "data settings reach the fork too");
        assertFalse(back.get(Settings.ONNX));
        assertEquals(OnnxForm.TRAINING, back.get(Settings.ONNX_FORM));
        assertEquals("4", back.architectureOptions().get("a").asMap().get("cardinality"));
        assertEquals("r1", back.runId());
    }

    @Test
    void everyValueOfEveryEnumSettingReachesTheForkAsItself() {
        // The fork reads its configuration back from text: cnn.onnxChannelBlock=8 went there as "avx2" and was refused.
        int checked = 0;
        for (Setting<?> s : Settings.all()) {
            if (s.defaultValue() instanceof Enum<?> e) {
                for (Object value : e.getDeclaringClass().getEnumConstants()) {
                    BenchmarkConfig c = new BenchmarkConfig().set(s, s.format(value));
                    assertEquals(value, BenchmarkConfig.fromProperties(c.toProperties()).get(s), s + "=" + value);
                    checked++;
                }
            }
        }
        assertTrue(checked >= 8, "enum settings' values checked: " + checked);
    }

    @Test
    void badValuesFailNamingTheProperty() {
        BenchmarkConfig c = new BenchmarkConfig();
        assertEquals("cnn.learningRate=-1: must be positive",
                assertThrows(IllegalArgumentException.class, () -> c.set(Settings.LEARNING_RATE, "-1")).getMessage());
        assertEquals("cnn.device=tpu: must be cpu, gpu, auto",
                assertThrows(IllegalArgumentException.class, () -> c.set(Settings.DEVICE, "tpu")).getMessage());
        assertEquals("cnn.epochs=three: is not a number; it must be at least 1",
                assertThrows(IllegalArgumentException.class, () -> c.set(Settings.EPOCHS, "three")).getMessage());
        assertEquals("cnn.nesterov=yes: must be true or false",
                assertThrows(IllegalArgumentException.class, () -> c.set(Settings.NESTEROV, "yes")).getMessage());
        assertEquals("cnn.onnxForm=folded: must be inference or training",
                assertThrows(IllegalArgumentException.class, () -> c.set(Settings.ONNX_FORM, "folded")).getMessage());
        assertEquals("cnn.momentum=1: must be at least 0 and below 1 (1 never forgets a gradient)",
                assertThrows(IllegalArgumentException.class, () -> c.set(Settings.MOMENTUM, "1")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new BenchmarkConfig()
                .set(Settings.NESTEROV, "true").set(Settings.MOMENTUM, "0").validate()).getMessage()
                .startsWith("cnn.nesterov=true needs cnn.momentum above 0"));
        // What they let through: Nesterov with momentum, and momentum 0 without Nesterov.
        new BenchmarkConfig().set(Settings.NESTEROV, "true").set(Settings.MOMENTUM, "0.9").validate();
        new BenchmarkConfig().set(Settings.MOMENTUM, "0").validate();
        // Data settings are checked by DataOptions, before anything is read.
        CifarDataException e = assertThrows(CifarDataException.class,
                () -> new BenchmarkConfig().set(Settings.TRAIN_LIMIT, "-5").validate());
        assertTrue(e.getMessage().contains("cnn.trainLimit"), e.getMessage());
    }

    @Test
    void anUnknownSettingInTheForksConfigurationFails() {
        Properties p = new Properties();
        p.setProperty("cnn.epochz", "3");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BenchmarkConfig.fromProperties(p));
        assertTrue(e.getMessage().contains("unknown setting cnn.epochz"), e.getMessage());
    }

    @Test
    void aProtocolFillsOnlyWhatWasNotGiven() {
        BenchmarkConfig ci = new BenchmarkConfig().set(Settings.PROTOCOL, "ci");
        assertEquals(1, ci.get(Settings.EPOCHS));
        assertEquals("step", ci.get(Settings.SCHEDULE));
        assertEquals(0.002, ci.get(Settings.LEARNING_RATE));
        assertEquals(true, ci.get(Settings.ZERO_INIT_RESIDUAL));
        assertEquals(24000, ci.data().trainLimit());
        assertEquals(false, new BenchmarkConfig().get(Settings.ZERO_INIT_RESIDUAL), "notebook: Keras' init");
        BenchmarkConfig longer = new BenchmarkConfig().set(Settings.PROTOCOL, "ci").set(Settings.EPOCHS, "3")
                .set(Settings.SCHEDULE, "epoch");
        assertEquals(3, longer.get(Settings.EPOCHS), "an explicit setting wins");
        assertEquals(3, BenchmarkConfig.fromProperties(longer.toProperties()).get(Settings.EPOCHS));
        assertEquals("epoch", BenchmarkConfig.fromProperties(longer.toProperties()).get(Settings.SCHEDULE),
                "the fork reads the explicit setting");
        assertEquals(24000, BenchmarkConfig.fromProperties(longer.toProperties()).data().trainLimit(),
                "and applies the same preset");
        assertNull(new BenchmarkConfig().get(Settings.EPOCHS), "notebook: the architecture's");
        assertThrows(IllegalArgumentException.class, () -> new BenchmarkConfig().set(Settings.PROTOCOL, "fast"));
    }
}
