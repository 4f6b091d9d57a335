package io.cnnbench.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which allocator a training JVM runs on, read from the environment the plugin gave it. */
class NativeAllocatorTest {

    @Test
    void jemallocIsAPreloadedJemalloc() {
        Map<String, String> env = Map.of("LD_PRELOAD", "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2",
                "MALLOC_CONF", NativeAllocator.JEMALLOC_KEEP_PAGES);
        assertEquals(NativeAllocator.JEMALLOC, NativeAllocator.of(env));
        assertFalse(NativeAllocator.JEMALLOC.trimmable(), "glibc's trim cannot reach jemalloc's pages");
        assertEquals("jemalloc (MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1,"
                + " /usr/lib/x86_64-linux-gnu/libjemalloc.so.2)", NativeAllocator.JEMALLOC.describe(env));
    }

    @Test
    void tunedGlibcNeedsEverySetting() {
        Map<String, String> env = new HashMap<>(NativeAllocator.TUNED_GLIBC_ENVIRONMENT);
        assertEquals(NativeAllocator.TUNED_GLIBC, NativeAllocator.of(env));
        assertTrue(NativeAllocator.TUNED_GLIBC.trimmable());
        env.remove("MALLOC_ARENA_MAX");
        assertEquals(NativeAllocator.GLIBC, NativeAllocator.of(env), "without one arena the thresholds do not hold");
        assertEquals(NativeAllocator.GLIBC, NativeAllocator.of(Map.of()));
        env.put("LD_PRELOAD", "/opt/libtcmalloc.so");
        assertEquals(NativeAllocator.GLIBC, NativeAllocator.of(env), "another preload is not jemalloc");
    }
}
