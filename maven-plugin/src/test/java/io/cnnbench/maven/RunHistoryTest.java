package io.cnnbench.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cnnbench.api.spi.Options;
import io.cnnbench.core.bench.BenchmarkConfig;
import io.cnnbench.core.bench.Settings;
import java.io.File;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RunHistoryTest {
    @Test
    void bf16IsPartOfTheProtocolAndFloat32IsWhatEveryEarlierRecordMeant() {
        BenchmarkConfig float32 = new BenchmarkConfig().set(Settings.EPOCHS, "1");
        BenchmarkConfig bf16 = new BenchmarkConfig().set(Settings.EPOCHS, "1").set(Settings.PRECISION, "bf16");
        // Baselines recorded before cnn.precision existed have no precision key: a float32 run must still match them
        // exactly, and a bf16 run must not.
        assertTrue(!RunHistory.trainingProtocol(float32).contains("precision"), RunHistory.trainingProtocol(float32));
        assertEquals(RunHistory.trainingProtocol(float32), RunHistory.trainingProtocol(
                new BenchmarkConfig().set(Settings.EPOCHS, "1").set(Settings.PRECISION, "float32")));
        assertTrue(RunHistory.trainingProtocol(bf16).contains("precision=bf16"), RunHistory.trainingProtocol(bf16));
        assertNotEquals(RunHistory.fingerprint(RunHistory.protocol(float32, "resnext-seed")),
                RunHistory.fingerprint(RunHistory.protocol(bf16, "resnext-seed")));
    }

    @Test
    void theProtocolNamesWhatChangesAccuracyAndNothingElse() {
        BenchmarkConfig a = new BenchmarkConfig().set(Settings.EPOCHS, "2").set(Settings.TRAIN_LIMIT, "5000");
        String p = RunHistory.protocol(a, "resnext-seed");
        assertTrue(p.contains("epochs=2") && p.contains("trainLimit=5000") && p.contains("augmentation=notebook"), p);
        // Where files go, the seed, the ONNX stage (check, form, timings) and the checksum do not change what the
        // accuracy means.
        BenchmarkConfig b = new BenchmarkConfig().set(Settings.EPOCHS, "2").set(Settings.TRAIN_LIMIT, "5000")
                .set(Settings.OUTPUT_DIRECTORY, "/elsewhere").set(Settings.SEED, "7").set(Settings.ONNX, "false")
                .set(Settings.INFERENCE_TIMING, "false").set(Settings.ONNX_FORM, "training")
                .set(Settings.DATASET_CHECKSUM, "sha256:" + "0".repeat(64));
        assertEquals(RunHistory.fingerprint(p), RunHistory.fingerprint(RunHistory.protocol(b, "resnext-seed")));
        // A learning rate or an option does.
        assertNotEquals(RunHistory.fingerprint(p), RunHistory.fingerprint(RunHistory.protocol(
                new BenchmarkConfig().set(Settings.EPOCHS, "2").set(Settings.TRAIN_LIMIT, "5000")
                        .set(Settings.LEARNING_RATE, "0.0001"), "resnext-seed")));
        BenchmarkConfig withOption = new BenchmarkConfig().set(Settings.EPOCHS, "2").set(Settings.TRAIN_LIMIT, "5000")
                .architectureOptions("resnext-seed", Options.of("cardinality", "1"));
        assertNotEquals(RunHistory.fingerprint(p), RunHistory.fingerprint(RunHistory.protocol(withOption,
                "resnext-seed")));
        // The gate's protocol is how the accuracy was measured, not which network: an option is judged like code.
        assertEquals(RunHistory.trainingProtocol(a), RunHistory.trainingProtocol(withOption));
        assertEquals(p, RunHistory.trainingProtocol(a), "without options the two are one text");
        // Another architecture's option does not change what this one's accuracy means.
        assertEquals(RunHistory.protocol(a, "mobilenetv3-small"), RunHistory.protocol(withOption,
                "mobilenetv3-small"));
        assertTrue(RunHistory.fingerprint(p).matches("[0-9a-f]{12}"));
    }

    @Test
    void theHistoryLivesBesideTheBaselineUnlessNamed() {
        Path out = Path.of("target", "cnn");
        assertEquals(Path.of("/repo/cnn-history.csv"), RunHistory.file(null, new File("/repo/cnn-baseline.csv"), out));
        assertEquals(out.resolve("cnn-history.csv"), RunHistory.file(null, null, out));
        assertEquals(Path.of("/x/h.csv"), RunHistory.file(new File("/x/h.csv"), new File("/repo/b.csv"), out));
    }

    @Test
    void theCommitAndBranchComeFromGitAndElseFromNothingMadeUp(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        assertEquals("", RunHistory.git(dir, java.util.List.of("rev-parse", "HEAD"),
                java.util.List.of("CNNBENCH_TEST_UNSET_VARIABLE")), "no repository, no variable: empty");
        for (String[] cmd : new String[][] {{"git", "init", "-q", "-b", "feature"},
            {"git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "--allow-empty", "-m",
                "c"}}) {
            assertEquals(0, new ProcessBuilder(cmd).directory(dir.toFile()).start().waitFor());
        }
        assertTrue(RunHistory.git(dir, java.util.List.of("rev-parse", "HEAD"), java.util.List.of())
                .matches("[0-9a-f]{40}"));
        assertEquals("feature", RunHistory.git(dir, java.util.List.of("rev-parse", "--abbrev-ref", "HEAD"),
                java.util.List.of()));
        // A clean tree is its commit; a tracked file changed and not committed is said, not credited to it.
        java.nio.file.Files.writeString(dir.resolve("block.txt"), "one");
        for (String[] cmd : new String[][] {{"git", "add", "block.txt"},
            {"git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "block"}}) {
            assertEquals(0, new ProcessBuilder(cmd).directory(dir.toFile()).start().waitFor());
        }
        String clean = RunHistory.commit(dir);
        assertTrue(clean.matches("[0-9a-f]{40}"), clean);
        java.nio.file.Files.writeString(dir.resolve("untracked.txt"), "not part of the build");
        assertEquals(clean, RunHistory.commit(dir), "untracked files do not count");
        java.nio.file.Files.writeString(dir.resolve("block.txt"), "two");
        assertEquals(clean + " (with uncommitted changes)", RunHistory.commit(dir));
    }
}
