package io.cnnbench.maven;

import io.cnnbench.core.bench.BenchmarkConfig;
import io.cnnbench.core.bench.Setting;
import io.cnnbench.core.bench.Settings;
import io.cnnbench.core.djl.Precision;
import io.cnnbench.api.spi.Options;
import io.cnnbench.reports.ArchitectureStats;
import io.cnnbench.reports.Environment;
import io.cnnbench.reports.History;
import io.cnnbench.reports.HistoryEntry;
import io.cnnbench.reports.ResultRow;
import io.cnnbench.reports.Summary;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Appends a benchmark run to the history file ({@code cnn-history.csv}): one line per architecture with the
 * commit, branch, machine, the protocol (every setting that changes what accuracy means) and its fingerprint,
 * so that accuracy can be followed across commits and only like is compared with like.
 */
final class RunHistory {
    /**
     * Settings that do not change what the accuracy measures: where files go, limits of the plumbing, seeds, how the
     * work is spread over devices, what happens after the test accuracy is measured (the ONNX stage, its form and
     * its timings), and the checksum that only verifies the data.
     */
    private static final Set<Setting<?>> NOT_PROTOCOL = Set.of(Settings.OUTPUT_DIRECTORY, Settings.RESUME,
            Settings.ONNX, Settings.ONNX_RELATIVE_TOLERANCE, Settings.ONNX_MIN_AGREEMENT, Settings.ONNX_FORM,
            Settings.ONNX_CHANNEL_BLOCK, Settings.INFERENCE_TIMING, Settings.DATA_CACHE, Settings.DATASET_CHECKSUM,
            Settings.EXTRACT_MAX_BYTES, Settings.EXTRACT_MAX_ENTRIES, Settings.DOWNLOAD_TIMEOUT,
            Settings.DOWNLOAD_ATTEMPTS, Settings.CACHE_LOCK_TIMEOUT, Settings.SEED, Settings.SEEDS, Settings.DEVICE,
            Settings.DEVICES, Settings.SHARD, Settings.EVAL_BATCH_SIZE);

    private RunHistory() {
    }

    /**
     * Where the history goes: {@code cnn.history}, else beside the baseline (the file CI commits), else in the
     * output directory.
     */
    static Path file(File history, File baseline, Path outputDirectory) {
        if (history != null) {
            return history.toPath();
        }
        if (baseline != null) {
            return baseline.toPath().toAbsolutePath().resolveSibling(History.FILE);
        }
        return outputDirectory.resolve(History.FILE);
    }

    /**
     * How the accuracy was measured, as text: each accuracy-relevant setting with its effective value. results.csv
     * records it per row, and the gate compares a run only with a baseline measured under the same one. The
     * architectures' options are left out: they say what network was measured, and a changed network is what the
     * gate is there to judge, as it judges changed code.
     */
    static String trainingProtocol(BenchmarkConfig cfg) {
        return join(settings(cfg));
    }

    /**
     * The history's protocol of {@code architecture}: {@link #trainingProtocol} and that architecture's options, so
     * that its chart compares only like networks measured alike (another architecture's options do not matter).
     */
    static String protocol(BenchmarkConfig cfg, String architecture) {
        Map<String, String> parts = settings(cfg);
        Options options = cfg.architectureOptions().get(architecture);
        if (options != null) {
            options.asMap().forEach((k, v) -> parts.put(architecture + "." + k, v));
        }
        return join(parts);
    }

    private static Map<String, String> settings(BenchmarkConfig cfg) {
        Map<String, String> parts = new TreeMap<>();
        for (Setting<?> s : Settings.all()) {
            if (!NOT_PROTOCOL.contains(s)) {
                Object v = cfg.get(s);
                if (s == Settings.PRECISION && v == Precision.FLOAT32) {
                    // Listed only when not float32: every result before the setting existed was float32, so
                    // baselines and histories recorded then stay comparable with float32 runs, and a bf16 run is
                    // never compared with them.
                    continue;
                }
                String text = v == null ? "default" : s.format(v);
                if (s == Settings.DATASET && (text.contains("/") || text.contains("\\"))) {
                    // The same archive in another checkout or cache is the same data: its name, not its folder.
                    text = Path.of(text).getFileName().toString();
                }
                parts.put(s.parameter(), text);
            }
        }
        return parts;
    }

    private static String join(Map<String, String> parts) {
        StringBuilder b = new StringBuilder();
        parts.forEach((k, v) -> b.append(b.length() == 0 ? "" : ",").append(k).append('=').append(v));
        return b.toString();
    }

    static String fingerprint(String protocol) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(protocol.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Appends this run's successful architectures; returns how many lines were written. */
    static int append(Path file, BenchmarkConfig cfg, List<ResultRow> rows, Path projectDir, Environment env) {
        List<HistoryEntry> entries = entries(cfg, rows, projectDir, env);
        return entries.isEmpty() ? 0 : History.append(file, entries).size();
    }

    /**
     * The history lines of this run's successful architectures, one each: commit, branch and machine from here, the
     * mean and spread over the seeds of {@code rows}. A {@code cnn.shard} job's are its own seeds' and go to its
     * output directory's {@link History#SHARD_FILE}, for {@link SplitRunHistory} to merge.
     */
    static List<HistoryEntry> entries(BenchmarkConfig cfg, List<ResultRow> rows, Path projectDir, Environment env) {
        List<ResultRow> ok = rows.stream().filter(ResultRow::ok).toList();
        if (ok.isEmpty()) {
            return List.of();
        }
        String machine = env == null ? "" : (env.get(Environment.CPU) + " x" + env.get(Environment.CPU_CORES)
                + ", " + env.get(Environment.DEVICE));
        String commit = commit(projectDir);
        String branch = git(projectDir, List.of("rev-parse", "--abbrev-ref", "HEAD"),
                List.of("GITHUB_REF_NAME", "CI_COMMIT_REF_NAME", "BRANCH_NAME", "GIT_BRANCH"));
        Instant now = Instant.now();
        List<HistoryEntry> entries = new ArrayList<>();
        for (ArchitectureStats a : Summary.of(ok).architectures()) {
            if (!a.testAccuracy().present()) {
                continue;
            }
            String protocol = protocol(cfg, a.architecture());
            entries.add(HistoryEntry.fromStats(a, now, commit, branch, machine, protocol, fingerprint(protocol),
                    cfg.runId()));
        }
        return entries;
    }

    /** What {@link #commit} adds to a commit whose work tree has uncommitted changes. */
    static final String UNCOMMITTED = " (with uncommitted changes)";

    /**
     * The commit the run was built from, marked when the work tree has uncommitted changes to tracked files (as
     * {@code environment.properties} marks it): the chart must not credit a local edit to the commit before it.
     */
    static String commit(Path projectDir) {
        String commit = git(projectDir, List.of("rev-parse", "HEAD"), List.of("GITHUB_SHA", "CI_COMMIT_SHA",
                "GIT_COMMIT"));
        if (commit.matches("[0-9a-f]{40,64}") && !git(projectDir, List.of("status", "--porcelain",
                "--untracked-files=no"), List.of()).isEmpty()) {
            return commit + UNCOMMITTED;
        }
        return commit;
    }

    /** {@code git args} in {@code dir}; where git, the repository or a branch is missing, the first CI variable set. */
    static String git(Path dir, List<String> args, List<String> variables) {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add("git");
        cmd.addAll(args);
        try {
            Path out = java.nio.file.Files.createTempFile("cnnbench-git", ".txt");
            try {
                // Standard error is left out: a warning git prints on success is not a commit or a branch name.
                Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD)
                        .redirectOutput(out.toFile()).start();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                } else if (p.exitValue() == 0) {
                    String text = java.nio.file.Files.readString(out).trim();
                    // A detached HEAD (what most CI checkouts are) has no branch name: the CI system's says it.
                    if (!text.isEmpty() && !text.equals("HEAD")) {
                        return text.lines().findFirst().orElse("");
                    }
                }
            } finally {
                java.nio.file.Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            // no git on the PATH: fall back to the CI system's variables
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (String variable : variables) {
            String v = System.getenv(variable);
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return "";
    }
}
