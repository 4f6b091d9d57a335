package io.cnnbench.maven;

import io.cnnbench.core.bench.BenchmarkConfig;
import io.cnnbench.core.bench.BenchmarkMain;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.logging.Log;

/**
 * Runs the benchmark in a child JVM, as Surefire forks tests. Two reasons: the allocator is configured
 * through the environment before the process starts (glibc returning and re-faulting libtorch's large
 * blocks made training ~4x slower here), and a native crash in the engine cannot take Maven down with it.
 */
final class ForkedTraining {
    /**
     * glibc's defaults unmap blocks above a dynamic threshold after each use; libtorch allocates and frees
     * multi-megabyte activations every step, so each step page-faults them back. Keeping them mapped trades a
     * larger resident size for far fewer faults. One arena: a JVM's threads (the training thread included)
     * allocate from secondary arenas, whose heaps are at most 64 MB, so larger blocks are mmapped and unmapped
     * on every use whatever the thresholds say; in the main arena the thresholds hold (inference 1.5x faster,
     * 10x fewer page faults, lower peak RSS; see docs/performance.md).
     */
    static final Map<String, String> TUNED_GLIBC = Map.of(
            "MALLOC_MMAP_THRESHOLD_", "4294967296",
            "MALLOC_TRIM_THRESHOLD_", "4294967296",
            "MALLOC_TOP_PAD_", "536870912",
            "MALLOC_ARENA_MAX", "1");
    static final String[] JEMALLOC_PATHS = {"/usr/lib/x86_64-linux-gnu/libjemalloc.so.2",
        "/usr/lib64/libjemalloc.so.2", "/usr/lib/libjemalloc.so.2"};

    private ForkedTraining() {
    }

    static int run(BenchmarkConfig config, List<String> classpath, String jvmArgs, String allocator, Log log)
            throws MojoExecutionException {
        Path out = config.outputDirectory();
        Path props = out.resolve(".fork.properties");
        try {
            Files.createDirectories(out);
            try (OutputStream os = Files.newOutputStream(props)) {
                config.toProperties().store(os, "cnn:benchmark configuration for the forked training JVM");
            }
        } catch (IOException e) {
            throw new MojoExecutionException("cannot write " + props + ": " + e.getMessage(), e);
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (jvmArgs != null && !jvmArgs.isBlank()) {
            cmd.addAll(List.of(jvmArgs.trim().split("\\s+")));
        }
        cmd.add("-Dai.djl.offline=true");
        cmd.add("-Dorg.slf4j.simpleLogger.logFile=System.out");
        cmd.add("-Dorg.slf4j.simpleLogger.showThreadName=false");
        cmd.add("-Dorg.slf4j.simpleLogger.showLogName=false");
        cmd.add("-Dorg.slf4j.simpleLogger.levelInBrackets=true");
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, classpath));
        cmd.add(BenchmarkMain.class.getName());
        cmd.add(props.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        configureAllocator(pb.environment(), allocator, log);
        log.debug("forking: " + String.join(" ", cmd));
        try {
            Process p = pb.start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    forward(line, log);
                }
            }
            int status = p.waitFor();
            if (status != BenchmarkMain.ALL_PASSED && status != BenchmarkMain.SOME_FAILED) {
                throw new MojoExecutionException("the training JVM exited with status " + status
                        + (status == BenchmarkMain.NOT_STARTED ? " (see the error above)"
                        : " (it crashed; rerun with -Dcnn.resume=true to continue from the last checkpoints)"));
            }
            return status;
        } catch (IOException e) {
            throw new MojoExecutionException("cannot start the training JVM: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MojoExecutionException("interrupted while training", e);
        } finally {
            try {
                Files.deleteIfExists(props);
            } catch (IOException ignored) {
                // a leftover configuration file is harmless and rewritten next run
            }
        }
    }

    static void configureAllocator(Map<String, String> env, String allocator, Log log) throws MojoExecutionException {
        switch (allocator) {
            case "system":
                return;
            case "tuned-glibc":
                TUNED_GLIBC.forEach(env::putIfAbsent);
                return;
            case "jemalloc":
                for (String lib : JEMALLOC_PATHS) {
                    if (Files.exists(Path.of(lib))) {
                        env.put("LD_PRELOAD", lib);
                        return;
                    }
                }
                log.warn("cnn.allocator=jemalloc but libjemalloc.so.2 is not installed (apt-get install"
                        + " libjemalloc2); using tuned glibc settings instead");
                TUNED_GLIBC.forEach(env::putIfAbsent);
                return;
            default:
                throw new MojoExecutionException("cnn.allocator must be tuned-glibc, jemalloc or system, got '"
                        + allocator + "'");
        }
    }

    /** The child logs "[LEVEL] message" (slf4j-simple); Maven shows it at the same level. */
    private static void forward(String line, Log log) {
        if (line.startsWith("[ERROR] ")) {
            log.error(line.substring(8));
        } else if (line.startsWith("[WARN] ")) {
            log.warn(line.substring(7));
        } else if (line.startsWith("[INFO] ")) {
            log.info(line.substring(7));
        } else if (line.startsWith("[DEBUG] ")) {
            log.debug(line.substring(8));
        } else {
            log.info(line);
        }
    }
}
