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
 * written by {@link BenchmarkConfig#toProperties()}. Exit status: 0 when every architecture passed, 1 when
 * some failed (results.csv says which), 2 when the run could not start.
 */
public final class BenchmarkMain {
    public static final int ALL_PASSED = 0;
    public static final int SOME_FAILED = 1;
    public static final int NOT_STARTED = 2;

    private BenchmarkMain() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: BenchmarkMain <config.properties>");
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
        } catch (RuntimeException e) {
            System.err.println("[ERROR] " + e.getMessage());
            status = NOT_STARTED;
        }
        System.exit(status);
    }
}
