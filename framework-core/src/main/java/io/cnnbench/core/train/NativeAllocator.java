package io.cnnbench.core.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The native allocator libtorch's tensors come from in the training JVM, which the plugin chooses through that JVM's
 * environment before it starts (cnn.allocator): this process can only read what it was given.
 *
 * <p>libtorch frees and allocates multi-megabyte activations every step. An allocator that hands those pages back
 * to the system and faults them in again makes training several times slower, so both configurations here keep
 * them: jemalloc with its page decay switched off (the faster of the two where it is installed, with the same numbers
 * to the last digit: docs/performance.md, "jemalloc for the training JVM"), and glibc with its thresholds raised and
 * one arena (no extra package needed). What each keeps can be given back between phases only under glibc
 * ({@link MemoryStats#trimNativeHeap}); jemalloc reuses it instead.
 */
public enum NativeAllocator {
    /** jemalloc preloaded (by the plugin: keeping its pages, {@link #JEMALLOC_KEEP_PAGES}). */
    JEMALLOC("jemalloc"),
    /** glibc with {@link #TUNED_GLIBC_ENVIRONMENT}'s settings. */
    TUNED_GLIBC("glibc, tuned (one arena, no unmapping)"),
    /** glibc as it comes (cnn.allocator=system, or a JVM not started by the plugin). */
    GLIBC("glibc defaults");

    /**
     * jemalloc's configuration: no decay of dirty or muzzy pages. With its default decay jemalloc returns an
     * activation's pages within seconds and refaults them the next step, libtorch's slowest configuration here.
     */
    public static final String JEMALLOC_KEEP_PAGES = "dirty_decay_ms:-1,muzzy_decay_ms:-1";

    /** Where Debian's libjemalloc2 (and other distributions' jemalloc) install the library. */
    public static final List<String> JEMALLOC_PATHS = List.of("/usr/lib/x86_64-linux-gnu/libjemalloc.so.2",
            "/usr/lib/aarch64-linux-gnu/libjemalloc.so.2", "/usr/lib64/libjemalloc.so.2", "/usr/lib/libjemalloc.so.2");

    /**
     * glibc's settings: its defaults unmap blocks above a dynamic threshold after each use, so each step page-faults
     * libtorch's activations back; the thresholds keep them mapped. One arena: a JVM's threads allocate from
     * secondary arenas, whose heaps are at most 64 MB, so larger blocks are mmapped and unmapped on every use
     * whatever the thresholds say; in the main arena the thresholds hold (docs/performance.md).
     */
    public static final Map<String, String> TUNED_GLIBC_ENVIRONMENT = Map.of(
            "MALLOC_MMAP_THRESHOLD_", "4294967296",
            "MALLOC_TRIM_THRESHOLD_", "4294967296",
            "MALLOC_TOP_PAD_", "536870912",
            "MALLOC_ARENA_MAX", "1");

    private final String description;

    NativeAllocator(String description) {
        this.description = description;
    }

    /** jemalloc's library on this machine, if one of {@link #JEMALLOC_PATHS} exists. */
    public static Optional<String> installedJemalloc() {
        return JEMALLOC_PATHS.stream().filter(p -> Files.isRegularFile(Path.of(p))).findFirst();
    }

    /** The allocator a process with this environment runs on. */
    public static NativeAllocator of(Map<String, String> environment) {
        if (environment.getOrDefault("LD_PRELOAD", "").contains("libjemalloc")) {
            return JEMALLOC;
        }
        return environment.keySet().containsAll(TUNED_GLIBC_ENVIRONMENT.keySet()) ? TUNED_GLIBC : GLIBC;
    }

    /** The allocator this process runs on. */
    public static NativeAllocator current() {
        return of(System.getenv());
    }

    /** Whether glibc's malloc_trim can give this allocator's free pages back (jemalloc's are not glibc's). */
    public boolean trimmable() {
        return this != JEMALLOC;
    }

    /** What environment.properties and the logs say, with jemalloc's configuration where it applies. */
    public String describe(Map<String, String> environment) {
        if (this == JEMALLOC) {
            return description + " (MALLOC_CONF=" + environment.getOrDefault("MALLOC_CONF", "") + ", "
                    + environment.get("LD_PRELOAD") + ")";
        }
        return description;
    }

    @Override
    public String toString() {
        return description;
    }
}
