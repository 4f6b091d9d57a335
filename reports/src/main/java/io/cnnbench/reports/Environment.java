package io.cnnbench.reports;

import io.cnnbench.api.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Where a run happened: machine, Java, engine and library versions, git commit and date, kept in
 * {@code environment.properties} in the output directory so that a report built later (or merged from several
 * CI jobs) can still say what produced each number.
 */
public final class Environment {
    public static final String FILE = "environment.properties";

    public static final String DATE = "date";
    public static final String OS = "os";
    public static final String CPU = "cpu";
    public static final String CPU_CORES = "cpu.cores";
    public static final String GPU = "gpu";
    public static final String DEVICE = "device";
    public static final String JAVA = "java";
    public static final String ENGINE = "engine";
    public static final String ENGINE_VERSION = "engine.version";
    public static final String GIT_COMMIT = "git.commit";
    /** The id of the run that wrote the file, as its rows of results.csv carry it in {@code run_id}. */
    public static final String RUN_ID = "run.id";
    /** Prefix of library versions, e.g. {@code library.onnxruntime=1.20.0}. */
    public static final String LIBRARY_PREFIX = "library.";

    private final Map<String, String> values;

    private Environment(Map<String, String> values) {
        this.values = values;
    }

    /** An environment from known values, in the given order; empty values are dropped. */
    public static Environment of(Map<String, String> values) {
        Map<String, String> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (v != null && !v.isBlank()) {
                copy.put(k, v.trim());
            }
        });
        return new Environment(copy);
    }

    /** This machine and JVM now, with the git commit of the working directory when there is one. */
    public static Environment capture(String engineName, String engineVersion, String device) {
        return capture(engineName, engineVersion, device, Path.of("").toAbsolutePath());
    }

    /**
     * This machine and JVM now. The git commit is that of {@code projectDir} ({@code git rev-parse HEAD}), or of
     * the CI system's variables ({@code GITHUB_SHA}, {@code CI_COMMIT_SHA}, {@code GIT_COMMIT}) when git is not
     * available; it is left out when neither says.
     */
    public static Environment capture(String engineName, String engineVersion, String device, Path projectDir) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put(DATE, OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        v.put(OS, System.getProperty("os.name") + " " + System.getProperty("os.version") + " ("
                + System.getProperty("os.arch") + ")");
        v.put(CPU, cpuModel());
        v.put(CPU_CORES, Integer.toString(Runtime.getRuntime().availableProcessors()));
        v.put(GPU, gpuModel());
        v.put(DEVICE, device);
        v.put(JAVA, System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version",
                System.getProperty("java.version")) + " (" + System.getProperty("java.vendor") + ")");
        v.put(ENGINE, engineName);
        v.put(ENGINE_VERSION, engineVersion);
        v.put(GIT_COMMIT, gitCommit(projectDir));
        return of(v);
    }

    /** A copy with one more entry, e.g. {@code with(LIBRARY_PREFIX + "onnxruntime", "1.20.0")}. */
    public Environment with(String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(values);
        copy.put(key, value);
        return of(copy);
    }

    public String get(String key) {
        return values.get(key);
    }

    public Map<String, String> values() {
        return Collections.unmodifiableMap(values);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** Writes {@code <dir>/environment.properties} atomically, keys in a stable order. */
    public Path write(Path dir) {
        Path file = dir.resolve(FILE);
        Properties p = new Properties();
        p.putAll(values);
        StringWriter text = new StringWriter();
        try {
            p.store(text, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Properties.store escapes correctly but writes a date comment and no fixed order: keep the escaped
        // lines, drop the comment, and order the keys as captured.
        Map<String, String> lines = new LinkedHashMap<>();
        for (String line : text.toString().split("\\R")) {
            if (!line.startsWith("#") && !line.isEmpty()) {
                String key = new ArrayList<>(load(line).stringPropertyNames()).get(0);
                lines.put(key, line);
            }
        }
        StringBuilder out = new StringBuilder("# Where the results in this directory were produced.\n");
        for (String key : values.keySet()) {
            out.append(lines.get(key)).append('\n');
        }
        AtomicFiles.writeString(file, out.toString());
        return file;
    }

    /** {@code <dir>/environment.properties}, or {@code null} when the directory has none. */
    public static Environment read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            Properties p = load(text);
            // Keep the file's order: Properties forgets it.
            Map<String, String> v = new LinkedHashMap<>();
            for (String line : text.split("\\R")) {
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#") || t.startsWith("!")) {
                    continue;
                }
                for (String key : load(t).stringPropertyNames()) {
                    v.put(key, p.getProperty(key));
                }
            }
            for (String key : p.stringPropertyNames()) {
                v.putIfAbsent(key, p.getProperty(key));
            }
            return of(v);
        } catch (IOException | IllegalArgumentException e) {
            throw new CsvFormatException(file, "is not a valid properties file: " + e.getMessage());
        }
    }

    private static Properties load(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    static String cpuModel() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.isReadable(cpuinfo)) {
            try {
                for (String line : Files.readAllLines(cpuinfo, StandardCharsets.UTF_8)) {
                    int colon = line.indexOf(':');
                    if (colon > 0 && line.substring(0, colon).trim().equals("model name")) {
                        return line.substring(colon + 1).trim();
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                // fall through to the JVM's description
            }
        }
        String id = System.getenv("PROCESSOR_IDENTIFIER");
        return id != null ? id : System.getProperty("os.arch");
    }

    /** GPU names from nvidia-smi, when an NVIDIA driver is installed. */
    static String gpuModel() {
        List<String> out = run(Path.of("").toAbsolutePath(), "nvidia-smi", "--query-gpu=name,driver_version",
                "--format=csv,noheader");
        return out.isEmpty() ? null : String.join("; ", out);
    }

    static String gitCommit(Path projectDir) {
        List<String> out = run(projectDir, "git", "rev-parse", "HEAD");
        if (out.size() == 1 && out.get(0).matches("[0-9a-f]{40,64}")) {
            List<String> dirty = run(projectDir, "git", "status", "--porcelain", "--untracked-files=no");
            return out.get(0) + (dirty.isEmpty() ? "" : " (with uncommitted changes)");
        }
        for (String variable : List.of("GITHUB_SHA", "CI_COMMIT_SHA", "GIT_COMMIT", "BUILD_VCS_NUMBER")) {
            String sha = System.getenv(variable);
            if (sha != null && !sha.isBlank()) {
                return sha.trim();
            }
        }
        return null;
    }

    /** The non-empty output lines of a command that succeeded within five seconds; empty otherwise. */
    private static List<String> run(Path dir, String... command) {
        Process process = null;
        try {
            process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(false)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            // The outputs read here are a line or two, well inside the pipe's buffer: waiting first cannot block
            // the command, and a command that hangs (a broken GPU driver) is abandoned after five seconds.
            if (!process.waitFor(5, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return List.of();
            }
            byte[] bytes;
            try (InputStream in = process.getInputStream()) {
                bytes = in.readAllBytes();
            }
            List<String> lines = new ArrayList<>();
            for (String line : new String(bytes, StandardCharsets.UTF_8).split("\\R")) {
                if (!line.isBlank()) {
                    lines.add(line.trim());
                }
            }
            return lines;
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        } finally {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Environment e && e.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
