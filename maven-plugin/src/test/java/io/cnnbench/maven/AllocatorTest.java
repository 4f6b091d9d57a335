package io.cnnbench.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;

/** The training JVM's allocator environment: what each cnn.allocator sets, and what it refuses. */
class AllocatorTest {

    @Test
    void tunedGlibcSetsItsThresholdsButKeepsTheUsersOwn() throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("MALLOC_ARENA_MAX", "4"));
        ForkedTraining.configureAllocator(env, "tuned-glibc", new SystemStreamLog());
        assertEquals("4", env.get("MALLOC_ARENA_MAX"), "a setting of the user's wins");
        assertEquals("4294967296", env.get("MALLOC_MMAP_THRESHOLD_"));
        assertFalse(env.containsKey("LD_PRELOAD"));
    }

    @Test
    void jemallocKeepsItsPages() throws Exception {
        boolean installed = Arrays.stream(ForkedTraining.JEMALLOC_PATHS).anyMatch(p -> Files.exists(Path.of(p)));
        assumeTrue(installed, "libjemalloc.so.2 is not installed (apt-get install libjemalloc2)");
        Map<String, String> env = new HashMap<>();
        ForkedTraining.configureAllocator(env, "jemalloc", new SystemStreamLog());
        assertTrue(env.get("LD_PRELOAD").endsWith("libjemalloc.so.2"), env.toString());
        // Without it jemalloc returns pages after every step: its slowest configuration for libtorch.
        assertEquals("dirty_decay_ms:-1,muzzy_decay_ms:-1", env.get("MALLOC_CONF"));
        Map<String, String> own = new HashMap<>(Map.of("MALLOC_CONF", "narenas:1"));
        ForkedTraining.configureAllocator(own, "jemalloc", new SystemStreamLog());
        assertEquals("narenas:1", own.get("MALLOC_CONF"), "a MALLOC_CONF of the user's wins");
    }

    @Test
    void anUnknownAllocatorFailsNamingTheValidOnes() {
        MojoExecutionException e = assertThrows(MojoExecutionException.class,
                () -> ForkedTraining.checkAllocator("tcmalloc"));
        assertTrue(e.getMessage().contains("tuned-glibc, jemalloc or system, got 'tcmalloc'"), e.getMessage());
        assertThrows(MojoExecutionException.class,
                () -> ForkedTraining.configureAllocator(new HashMap<>(), "tcmalloc", new SystemStreamLog()));
    }
}
