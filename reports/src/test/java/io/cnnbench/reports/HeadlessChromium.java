package io.cnnbench.reports;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Drives the Debian {@code chromium} package headless: dumps a page's DOM after its scripts ran, or takes a
 * screenshot. Every network request goes to a proxy that does not exist, so a page that needs the network shows
 * it as errors instead of silently fetching.
 */
final class HeadlessChromium {
    static final Path DEFAULT_BINARY = Path.of("/usr/bin/chromium");

    private final Path binary;

    HeadlessChromium(Path binary) {
        this.binary = binary;
    }

    /** {@code -Dcnn.chromium=/path/to/chrome} overrides /usr/bin/chromium. */
    static Path binary() {
        String configured = System.getProperty("cnn.chromium");
        return configured != null && !configured.isBlank() ? Path.of(configured) : DEFAULT_BINARY;
    }

    record Outcome(int exitCode, String stdout, String stderr) {
    }

    String dumpDom(Path page) throws IOException, InterruptedException {
        Outcome o = run(List.of("--window-size=1400,3000", "--dump-dom", page.toUri().toString()));
        if (o.exitCode() != 0 || o.stdout().isBlank()) {
            throw new AssertionError("chromium --dump-dom failed (exit " + o.exitCode() + "):\n" + o.stderr());
        }
        return o.stdout();
    }

    void screenshot(Path page, Path png) throws IOException, InterruptedException {
        Files.deleteIfExists(png);
        // Tall enough for the comparison, the baseline and the first architectures of a typical report.
        Outcome o = run(List.of("--window-size=1400,4500", "--screenshot=" + png.toAbsolutePath(),
                page.toUri().toString()));
        if (o.exitCode() != 0 || !Files.isRegularFile(png)) {
            throw new AssertionError("chromium --screenshot failed (exit " + o.exitCode() + "):\n" + o.stderr());
        }
    }

    private Outcome run(List<String> action) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("cnn-chromium-profile");
        Path stdout = Files.createTempFile("cnn-chromium", ".out");
        Path stderr = Files.createTempFile("cnn-chromium", ".err");
        try {
            List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox",
                    "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run", "--no-default-browser-check",
                    "--hide-scrollbars", "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
                    "--user-data-dir=" + profile, "--virtual-time-budget=15000"));
            command.addAll(action);
            Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                    .start();
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("chromium did not finish within 180 s: " + command);
            }
            return new Outcome(p.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                    Files.readString(stderr, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
