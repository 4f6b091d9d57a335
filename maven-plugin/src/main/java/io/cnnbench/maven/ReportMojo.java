package io.cnnbench.maven;

import io.cnnbench.reports.CsvFormatException;
import io.cnnbench.reports.GateScope;
import io.cnnbench.reports.History;
import io.cnnbench.reports.HistoryEntry;
import io.cnnbench.reports.MergedResults;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * {@code mvn cnn:report}: rebuilds {@code report.html} (and {@code summary.csv}) from one or more result
 * directories, merged into one report: e.g. {@code -Dcnn.resultDirectories=job-a/target/cnn,job-b/target/cnn}
 * after a CI matrix where each job benchmarked one architecture. The report opens offline. Its gate section is
 * judged as cnn:check judges: by the same {@code <rules>} and baseline, for {@code cnn.architectures} (when set)
 * with {@code cnn.allowMissingBaseline}; what cnn:check refuses to judge at all (rows of several runs or without a
 * run_id, an (architecture, seed) or a directory given twice, a missing shard, a missing baseline file) fails it.
 * <p>
 * Merging every shard of a run split with {@code cnn.shard} also appends that run's history lines, which no shard
 * job can write alone ({@link SplitRunHistory}); merging the same shards again appends nothing.
 */
@Mojo(name = "report", requiresProject = false, aggregator = true, threadSafe = true)
public class ReportMojo extends AbstractRulesMojo {

    /** Output directories of cnn:benchmark to merge (comma-separated as a property); default: cnn.outputDirectory. */
    @Parameter(property = "cnn.resultDirectories")
    private List<File> resultDirectories = new ArrayList<>();

    /** The report file; default {@code <cnn.outputDirectory>/report.html}. */
    @Parameter(property = "cnn.reportFile")
    private File reportFile;

    /**
     * The history file ({@code cnn-history.csv}) to chart accuracy over commits from, and to append a merged split
     * run's lines to; default as cnn:benchmark's: beside {@code cnn.baseline}, else in {@code cnn.outputDirectory}.
     */
    @Parameter(property = "cnn.history")
    private File history;

    @Override
    public void execute() throws MojoExecutionException {
        if (skip) {
            getLog().info("cnn:report skipped (cnn.skip=true)");
            return;
        }
        refuseUnknownProperties();
        List<Path> dirs = new ArrayList<>();
        for (File f : resultDirectories) {
            dirs.add(f.toPath());
        }
        if (dirs.isEmpty()) {
            dirs.add(outputDirectory.toPath());
        }
        Path out = outputDirectory.toPath();
        Path html = reportFile != null ? reportFile.toPath() : out.resolve(io.cnnbench.reports.HtmlReport.FILE);
        getLog().info("cnn:report: merging " + dirs.size() + " result director" + (dirs.size() == 1 ? "y" : "ies"));
        GateScope scope = gateScope(selectedOrAll());
        MergedResults merged = ReportWriter.load(dirs);
        Path historyFile = RunHistory.file(history, baseline, out);
        // What cnn:check would refuse: the gate shown fails on it, and a split run with any of it gets no history.
        List<String> refusals = ReportWriter.refusals(merged);
        MojoExecutionException historyProblem = appendSplitRun(merged, refusals, historyFile);
        if (historyProblem == null) {
            warnIfUnreadable(historyFile);
        }
        ReportWriter.write(getLog(), out, html, merged, baseline, rules, scope, historyFile, null, refusals);
        if (historyProblem != null) {
            throw historyProblem;
        }
    }

    /** The page notes a history it cannot chart; the log says so too, where a CI job's reader looks. */
    private void warnIfUnreadable(Path historyFile) {
        if (Files.exists(historyFile)) {
            try {
                History.read(historyFile);
            } catch (CsvFormatException e) {
                getLog().warn("history: " + historyFile + " is unreadable, so report.html does not chart it: "
                        + e.getMessage());
            }
        }
    }

    /**
     * Appends a complete split run's lines to {@code historyFile}; a split run that cannot be merged gets a warning
     * saying why, and no line. The build goes on: an incomplete run fails the report's gate and cnn:check anyway, and
     * the other refusals (shard files, commits, protocols, a rerun shard) concern the history alone. Returns the error
     * to raise after the report is written when the history file itself cannot be read or written, as cnn:benchmark
     * does.
     */
    private MojoExecutionException appendSplitRun(MergedResults merged, List<String> refusals, Path historyFile) {
        SplitRunHistory.Merge merge = SplitRunHistory.merge(merged.rowsByDirectory(), refusals);
        if (merge == null) {
            return null;
        }
        if (merge.problem() != null) {
            getLog().warn("history: no line for this split run: " + merge.problem());
            return null;
        }
        if (merge.entries().isEmpty()) {
            getLog().info("history: no line for this split run: no architecture has a successful seed");
            return null;
        }
        try {
            List<HistoryEntry> added = History.append(historyFile, merge.entries());
            String run = merge.entries().get(0).runId();
            if (added.isEmpty()) {
                getLog().info("history: the split run " + run + " is already in " + historyFile + "; nothing"
                        + " appended");
            } else {
                getLog().info("history: the split run " + run + " merged, " + added.stream()
                        .map(e -> e.architecture() + " over " + e.seeds() + " seed" + (e.seeds() == 1 ? "" : "s"))
                        .collect(java.util.stream.Collectors.joining(", ")) + ", appended to " + historyFile);
            }
            return null;
        } catch (History.SharedRunException e) {
            // Not a damaged file: the history already has this run's point, merged before a shard was rerun.
            getLog().warn("history: no line for this split run: " + e.getMessage());
            return null;
        } catch (RuntimeException e) {
            MojoExecutionException problem = new MojoExecutionException("cannot append to the history " + historyFile
                    + ": " + e.getMessage(), e);
            getLog().error(problem.getMessage());
            return problem;
        }
    }
}
