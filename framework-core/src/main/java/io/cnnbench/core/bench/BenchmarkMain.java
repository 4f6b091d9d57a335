package io.cnnbench.core.bench;

import io.cnnbench.api.registry.ProviderRegistry;
import io.cnnbench.reports.ResultRow;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * Entry point of the training JVM the Maven plugin forks (as Surefire forks tests): the fork gets its own
 * allocator settings in its environment and keeps a native crash away from Maven. Argument: a properties file
 * written by {@link BenchmarkConfig#toProperties()}.
 *
 * <p>Exit status: {@link #ALL_PASSED}, {@link #SOME_FAILED} (results.csv says which), {@link #NOT_STARTED} (the
 * error is printed) or {@link #OUT_OF_MEMORY}. None is one the JVM itself exits with: 1 (a JVM that cannot start,
 * a bad option, an uncaught exception) or 3 ({@code -XX:+ExitOnOutOfMemoryError}, a common flag in
 * {@code cnn.jvmArgs}), so the parent never mistakes those for a run that produced results.
 */
public final class BenchmarkMain {
    public static final int ALL_PASSED = 0;
    public static final int SOME_FAILED = 10;
    public static final int NOT_STARTED = 11;
    public static final int OUT_OF_MEMORY = 12;
    /** What HotSpot exits with under {@code -XX:+ExitOnOutOfMemoryError}: it halts, so no handler of ours runs. */
    public static final int JVM_EXIT_ON_OUT_OF_MEMORY = 3;
    /** Printed first, so the parent can tell "the JVM never started" from "the run failed". */
    public static final String STARTED = "cnnbench training JVM started";
    /**
     * With this system property set, the JVM exits when its standard input closes: the parent keeps that pipe
     * open and never writes, so when Maven dies, even by SIGKILL with no shutdown hook run, training stops too.
     */
    public static final String WATCH_PARENT = "cnn.fork.watchParent";

    private BenchmarkMain() {
    }

    public static void main(String[] args) {
        System.out.println("[INFO] " + STARTED + " (pid " + ProcessHandle.current().pid() + ")");
        if (Boolean.getBoolean(WATCH_PARENT)) {
            watchParent();
        }
        if (args.length != 1) {
            System.err.println("[ERROR] usage: BenchmarkMain <config.properties>");
            System.exit(NOT_STARTED);
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
            p.load(in);
        } catch (IOException e) {
            System.err.println("[ERROR] cannot read " + args[0] + ": " + e.getMessage());
            System.exit(NOT_STARTED);
        }
        int status;
        try {
            List<ResultRow> rows = new BenchmarkRunner(ProviderRegistry.load(), BenchmarkConfig.fromProperties(p)).run();
            status = rows.stream().allMatch(ResultRow::ok) ? ALL_PASSED : SOME_FAILED;
        } catch (OutOfMemoryError e) {
            System.err.println("[ERROR] the training JVM ran out of Java heap: " + e.getMessage());
            status = OUT_OF_MEMORY;
        } catch (RuntimeException | LinkageError e) {
            System.err.println("[ERROR] " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            status = NOT_STARTED;
        }
        System.exit(status);
    }

    private static void watchParent() {
        Thread t = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // the parent never writes; anything read is ignored
                }
            } catch (IOException ignored) {
                // a broken pipe means the same as end of input
            }
            System.err.println("[ERROR] the Maven process that started this training JVM is gone; stopping");
            Runtime.getRuntime().halt(NOT_STARTED);
        }, "cnnbench-parent-watch");
        t.setDaemon(true);
        t.start();
    }
}
