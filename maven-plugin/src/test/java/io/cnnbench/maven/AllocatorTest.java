package io.cnnbench.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cnnbench.core.train.NativeAllocator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
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
    void autoPreloadsJemallocWhereInstalledAndTunesGlibcElsewhere() throws Exception {
        Map<String, String> env = new HashMap<>();
        ForkedTraining.configureAllocator(env, "auto", Optional.of("/opt/lib/libjemalloc.so.2"), new SystemStreamLog());
        assertEquals("/opt/lib/libjemalloc.so.2", env.get("LD_PRELOAD"));
        assertEquals(NativeAllocator.JEMALLOC_KEEP_PAGES, env.get("MALLOC_CONF"));
        assertEquals(NativeAllocator.JEMALLOC, NativeAllocator.of(env));

        Map<String, String> without = new HashMap<>();
        ForkedTraining.configureAllocator(without, "auto", Optional.empty(), new SystemStreamLog());
        assertFalse(without.containsKey("LD_PRELOAD"), without.toString());
        assertEquals("1", without.get("MALLOC_ARENA_MAX"));
        assertEquals(NativeAllocator.TUNED_GLIBC, NativeAllocator.of(without));
    }

    @Test
    void autoKeepsAPreloadOfTheUsersOwn() throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("LD_PRELOAD", "/opt/lib/libtcmalloc.so"));
        ForkedTraining.configureAllocator(env, "auto", Optional.of("/opt/lib/libjemalloc.so.2"), new SystemStreamLog());
        assertEquals("/opt/lib/libtcmalloc.so", env.get("LD_PRELOAD"));
        assertFalse(env.containsKey("MALLOC_CONF"));

        Map<String, String> ownJemalloc = new HashMap<>(Map.of("LD_PRELOAD", "/opt/jemalloc/lib/libjemalloc.so.2"));
        ForkedTraining.configureAllocator(ownJemalloc, "auto", Optional.of("/usr/lib/libjemalloc.so.2"),
                new SystemStreamLog());
        assertEquals("/opt/jemalloc/lib/libjemalloc.so.2", ownJemalloc.get("LD_PRELOAD"));
        assertEquals(NativeAllocator.JEMALLOC_KEEP_PAGES, ownJemalloc.get("MALLOC_CONF"),
                "a preloaded jemalloc keeps its pages too, unless the user configured it");
    }

    @Test
    void jemallocFallsBackToTunedGlibcWhereItIsNotInstalled() throws Exception {
        Map<String, String> env = new HashMap<>();
        ForkedTraining.configureAllocator(env, "jemalloc", Optional.empty(), new SystemStreamLog());
        assertFalse(env.containsKey("LD_PRELOAD"));
        assertEquals(NativeAllocator.TUNED_GLIBC, NativeAllocator.of(env));
    }

    @Test
    void jemallocKeepsItsPages() throws Exception {
        assumeTrue(NativeAllocator.installedJemalloc().isPresent(),
                "libjemalloc.so.2 is not installed (apt-get install libjemalloc2)");
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
        assertTrue(e.getMessage().contains("auto, jemalloc, tuned-glibc or system, got 'tcmalloc'"), e.getMessage());
        assertThrows(MojoExecutionException.class,
                () -> ForkedTraining.configureAllocator(new HashMap<>(), "tcmalloc", new SystemStreamLog()));
    }
}
