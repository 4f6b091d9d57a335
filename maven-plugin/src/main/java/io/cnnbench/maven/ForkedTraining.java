package io.cnnbench.maven;

import io.cnnbench.core.bench.BenchmarkConfig;
import io.cnnbench.core.bench.BenchmarkMain;
import io.cnnbench.core.bench.Settings;
import io.cnnbench.core.train.NativeAllocator;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.logging.Log;

/**
 * Runs the benchmark in a child JVM, as Surefire forks tests. Two reasons: the allocator is configured
 * through the environment before the process starts (glibc returning and re-faulting libtorch's large
 * blocks made training ~4x slower here), and a native crash in the engine cannot take Maven down with it.
 */
final class ForkedTraining {
    private ForkedTraining() {
    }

    /** Lines of the training JVM's output kept for a failure message. */
    static final int LAST_LINES = 15;

    /**
     * How the training JVM ended.
     *
     * @param status    its exit status (128 + n when killed by signal n), or -1 when it timed out
     * @param started   whether it printed {@link BenchmarkMain#STARTED}: false means the JVM itself did not start
     * @param timedOut  whether it ran past cnn.timeout and was killed
     * @param lastLines its last lines of output, for the failure message
     */
    record Outcome(int status, boolean started, boolean timedOut, Duration timeout, List<String> lastLines) {
        /**
         * Why rows may be missing, for the failure rows and the build message; {@code null} when the JVM finished
         * normally (then a missing row is the run's own failure to report).
         */
        String cause() {
            String tail = lastLines.isEmpty() ? "" : "; its last output: " + String.join(" | ", lastLines);
            if (timedOut) {
                return "timed out after " + timeout + " (cnn.timeout); the training JVM was killed" + tail;
            }
            if (!started) {
                return "the training JVM could not start (exit status " + status + "); check cnn.jvmArgs" + tail;
            }
            if (status > 128) {
                return "the training JVM was killed by signal " + (status - 128) + " (" + signalName(status - 128)
                        + "); rerun with -Dcnn.resume=true to continue from the last checkpoints" + tail;
            }
            if (status == BenchmarkMain.OUT_OF_MEMORY) {
                return "the training JVM ran out of Java heap; raise -Xmx in cnn.jvmArgs" + tail;
            }
            if (status == BenchmarkMain.JVM_EXIT_ON_OUT_OF_MEMORY) {
                return "the training JVM ran out of Java heap and stopped at once (exit status 3,"
                        + " -XX:+ExitOnOutOfMemoryError); raise -Xmx in cnn.jvmArgs" + tail;
            }
            if (status == BenchmarkMain.NOT_STARTED) {
                return "the run stopped with an error before it finished" + tail;
            }
            if (status != BenchmarkMain.ALL_PASSED && status != BenchmarkMain.SOME_FAILED) {
                return "the training JVM exited with status " + status + tail;
            }
            return null;
        }
    }

    static String signalName(int signal) {
        return switch (signal) {
            case 9 -> "SIGKILL: killed from outside, often by the kernel's out-of-memory killer";
            case 6 -> "SIGABRT: a native abort, e.g. in libtorch";
            case 11 -> "SIGSEGV: a native crash";
            case 7 -> "SIGBUS: a native crash";
            case 15 -> "SIGTERM: asked to stop";
            case 2 -> "SIGINT: interrupted";
            default -> "signal " + signal;
        };
    }

    /** Heap sizing for the training JVM: see where {@link #run} puts it on the command line. */
    static final List<String> HEAP_FREE_RATIOS = List.of("-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=20");

    /**
     * Runs the benchmark in a child JVM and waits for it, at most {@code timeout} (null: no limit). The child is
     * killed when the timeout passes, when Maven shuts down, and (through its standard input) when Maven dies.
     * Never throws for the child's own fate: the outcome says what happened, so the caller can record it.
     */
    static Outcome run(BenchmarkConfig config, List<String> classpath, String jvmArgs, String allocator,
                       Duration timeout, Log log) throws MojoExecutionException {
        return run(config, classpath, Map.of(), jvmArgs, allocator, timeout, log);
    }

    /** As {@link #run(BenchmarkConfig, List, String, String, Duration, Log)}, with system properties for the JVM. */
    static Outcome run(BenchmarkConfig config, List<String> classpath, Map<String, String> systemProperties,
                       String jvmArgs, String allocator, Duration timeout, Log log) throws MojoExecutionException {
        return run(config, classpath, systemProperties, Map.of(), "", jvmArgs, allocator, timeout, log);
    }

    /**
     * As {@link #run(BenchmarkConfig, List, Map, String, String, Duration, Log)}, with environment variables for the
     * JVM and a prefix for each line it logs (several JVMs at once, {@link GpuWorkers}).
     */
    static Outcome run(BenchmarkConfig config, List<String> classpath, Map<String, String> systemProperties,
                       Map<String, String> environment, String logPrefix, String jvmArgs, String allocator,
                       Duration timeout, Log log) throws MojoExecutionException {
        Path out = config.outputDirectory();
        // Named after the run, so two runs can never read each other's configuration.
        Path props = out.resolve(".fork-" + config.runId() + ".properties");
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
        // The full GC before each training (MemoryStats.releaseUnused) then shrinks the heap to its live data plus
        // 20 %, not the default 70 %: the CIFAR archive passes through the heap while loading. cnn.jvmArgs come
        // after, so a user's own ratios win.
        cmd.addAll(HEAP_FREE_RATIOS);
        if (jvmArgs != null && !jvmArgs.isBlank()) {
            cmd.addAll(List.of(jvmArgs.trim().split("\\s+")));
        }
        cmd.add("-Dai.djl.offline=true");
        systemProperties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-D" + BenchmarkMain.WATCH_PARENT + "=true");
        cmd.add("-Dorg.slf4j.simpleLogger.logFile=System.out");
        cmd.add("-Dorg.slf4j.simpleLogger.showThreadName=false");
        cmd.add("-Dorg.slf4j.simpleLogger.showLogName=false");
        cmd.add("-Dorg.slf4j.simpleLogger.levelInBrackets=true");
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, classpath));
        cmd.add(BenchmarkMain.class.getName());
        cmd.add(props.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(environment);
        configureAllocator(pb.environment(), allocator, log);
        config.get(Settings.PRECISION).applyTo(pb.environment());
        log.debug("forking: " + String.join(" ", cmd));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            deleteQuietly(props);
            throw new MojoExecutionException("cannot start the training JVM: " + e.getMessage(), e);
        }
        Thread killOnExit = new Thread(() -> destroyTree(p), "cnnbench-kill-training-jvm");
        Runtime.getRuntime().addShutdownHook(killOnExit);
        Deque<String> lastLines = new ArrayDeque<>();
        AtomicBoolean started = new AtomicBoolean();
        Thread pump = new Thread(() -> pump(p, log, logPrefix, lastLines, started), "cnnbench-training-output");
        pump.setDaemon(true);
        pump.start();
        try {
            boolean finished = timeout == null ? waitFor(p) : p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                log.error("the training JVM ran past cnn.timeout=" + timeout + "; killing it");
                destroyTree(p);
                p.waitFor(30, TimeUnit.SECONDS);
            }
            pump.join(5_000);
            synchronized (lastLines) {
                return new Outcome(finished ? p.exitValue() : -1, started.get(), !finished, timeout,
                        List.copyOf(lastLines));
            }
        } catch (InterruptedException e) {
            destroyTree(p);
            Thread.currentThread().interrupt();
            throw new MojoExecutionException("interrupted while training", e);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running or has run: it kills the child
            }
            deleteQuietly(props);
        }
    }

    private static boolean waitFor(Process p) throws InterruptedException {
        p.waitFor();
        return true;
    }

    private static void pump(Process p, Log log, String prefix, Deque<String> lastLines, AtomicBoolean started) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.contains(BenchmarkMain.STARTED)) {
                    started.set(true);
                }
                forward(line, prefix, log);
                synchronized (lastLines) {
                    lastLines.addLast(line.length() > 300 ? line.substring(0, 300) + "…" : line);
                    while (lastLines.size() > LAST_LINES) {
                        lastLines.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            log.debug("training JVM output closed: " + e.getMessage());
        }
    }

    /** Kills the child and anything it started. */
    static void destroyTree(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover configuration file of a finished run is harmless
        }
    }

    /** The values of cnn.allocator. */
    static final List<String> ALLOCATORS = List.of("auto", "jemalloc", "tuned-glibc", "system");

    /** Fails on an allocator name {@link #configureAllocator} does not know (checked before the lock, silently). */
    static void checkAllocator(String allocator) throws MojoExecutionException {
        if (!ALLOCATORS.contains(allocator)) {
            throw new MojoExecutionException("cnn.allocator must be auto, jemalloc, tuned-glibc or system, got '"
                    + allocator + "'");
        }
    }

    static void configureAllocator(Map<String, String> env, String allocator, Log log) throws MojoExecutionException {
        configureAllocator(env, allocator, NativeAllocator.installedJemalloc(), log);
    }

    /**
     * Sets the training JVM's allocator in its environment. {@code auto} (the default) is jemalloc keeping its pages
     * where it is installed, the faster of the two here (docs/performance.md), and tuned glibc otherwise, so a
     * machine with nothing but Java trains as before. Settings of the user's own (MALLOC_CONF, MALLOC_*, and for
     * {@code auto} an LD_PRELOAD) win.
     *
     * @param jemalloc jemalloc's library on this machine, if installed
     */
    static void configureAllocator(Map<String, String> env, String allocator, Optional<String> jemalloc, Log log)
            throws MojoExecutionException {
        checkAllocator(allocator);
        switch (allocator) {
            case "system":
                return;
            case "tuned-glibc":
                tuneGlibc(env);
                return;
            case "auto":
                if (NativeAllocator.of(env) == NativeAllocator.JEMALLOC) {
                    env.putIfAbsent("MALLOC_CONF", NativeAllocator.JEMALLOC_KEEP_PAGES); // the user's own jemalloc
                } else if (env.containsKey("LD_PRELOAD")) {
                    log.info("cnn.allocator=auto: the environment preloads " + env.get("LD_PRELOAD")
                            + ", which is kept; glibc's settings are tuned in case it is not an allocator");
                    tuneGlibc(env);
                } else if (jemalloc.isPresent()) {
                    preloadJemalloc(env, jemalloc.get());
                } else {
                    log.info("cnn.allocator=auto: libjemalloc.so.2 is not installed, so the training JVM uses tuned"
                            + " glibc settings; apt-get install libjemalloc2 trains about 5-9 % faster"
                            + " (docs/performance.md)");
                    tuneGlibc(env);
                }
                return;
            case "jemalloc":
                if (jemalloc.isPresent()) {
                    preloadJemalloc(env, jemalloc.get());
                    return;
                }
                log.warn("cnn.allocator=jemalloc but libjemalloc.so.2 is not installed (apt-get install"
                        + " libjemalloc2); using tuned glibc settings instead");
                tuneGlibc(env);
                return;
            default:
                throw new IllegalStateException(allocator);
        }
    }

    /** glibc's settings, each unless the user's environment has its own. */
    private static void tuneGlibc(Map<String, String> env) {
        NativeAllocator.TUNED_GLIBC_ENVIRONMENT.forEach(env::putIfAbsent);
    }

    private static void preloadJemalloc(Map<String, String> env, String library) {
        env.put("LD_PRELOAD", library);
        // Keep freed pages: jemalloc's default decay returns them after every step, its slowest configuration for
        // libtorch here (docs/performance.md). A MALLOC_CONF of the user's wins.
        env.putIfAbsent("MALLOC_CONF", NativeAllocator.JEMALLOC_KEEP_PAGES);
    }

    /** The child logs "[LEVEL] message" (slf4j-simple); Maven shows it at the same level. */
    private static void forward(String line, String prefix, Log log) {
        if (line.startsWith("[ERROR] ")) {
            log.error(prefix + line.substring(8));
        } else if (line.startsWith("[WARN] ")) {
            log.warn(prefix + line.substring(7));
        } else if (line.startsWith("[INFO] ")) {
            log.info(prefix + line.substring(7));
        } else if (line.startsWith("[DEBUG] ")) {
            log.debug(prefix + line.substring(8));
        } else {
            log.info(prefix + line);
        }
    }
}
