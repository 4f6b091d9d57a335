package io.cnnbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvironmentTest {
    @TempDir
    Path dir;

    @Test
    void captureRecordsMachineJavaEngineAndDate() {
        Environment env = Environment.capture("PyTorch", "2.7.1", "cpu()", dir)
                .with(Environment.LIBRARY_PREFIX + "onnxruntime", "1.20.0");
        assertEquals("PyTorch", env.get(Environment.ENGINE));
        assertEquals("2.7.1", env.get(Environment.ENGINE_VERSION));
        assertEquals("cpu()", env.get(Environment.DEVICE));
        assertEquals("1.20.0", env.get("library.onnxruntime"));
        assertEquals(Integer.toString(Runtime.getRuntime().availableProcessors()), env.get(Environment.CPU_CORES));
        assertNotNull(env.get(Environment.CPU));
        assertTrue(env.get(Environment.JAVA).contains(System.getProperty("java.version").split("[.+]")[0]),
                env.get(Environment.JAVA));
        assertTrue(env.get(Environment.DATE).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d.*"),
                env.get(Environment.DATE));
    }

    @Test
    void gitCommitIsAbsentOutsideARepository() {
        // A fresh temporary directory is no git work tree; CI variables may still name a commit.
        String commit = Environment.gitCommit(dir);
        String ci = System.getenv("GITHUB_SHA") != null ? System.getenv("GITHUB_SHA") : System.getenv("CI_COMMIT_SHA");
        if (ci == null && System.getenv("GIT_COMMIT") == null && System.getenv("BUILD_VCS_NUMBER") == null) {
            assertNull(commit);
        }
    }

    @Test
    void writeAndReadKeepValuesAndOrder() throws Exception {
        Environment env = Environment.capture("PyTorch", "2.7.1", "gpu(0)", dir)
                .with("note", "tabs\tand = signs: and ünïcode\nand lines");
        Path file = env.write(dir);
        assertEquals(dir.resolve(Environment.FILE), file);
        assertTrue(Files.readString(file).startsWith("# "), "no date comment from Properties.store");
        Environment back = Environment.read(dir);
        assertEquals(env, back);
        assertEquals(new ArrayList<>(env.values().keySet()), new ArrayList<>(back.values().keySet()));
        assertNull(Environment.read(dir.resolve("elsewhere")));
        assertEquals(List.of(), List.copyOf(Environment.of(java.util.Map.of("x", " ")).values().keySet()));
    }
}
