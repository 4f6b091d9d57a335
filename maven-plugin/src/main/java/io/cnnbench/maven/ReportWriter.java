package io.cnnbench.maven;

import io.cnnbench.reports.CsvFormatException;
import io.cnnbench.reports.Environment;
import io.cnnbench.reports.GateRule;
import io.cnnbench.reports.GateScope;
import io.cnnbench.reports.HtmlReport;
import io.cnnbench.reports.MergedResults;
import io.cnnbench.reports.Summary;
import java.io.File;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.logging.Log;

/** Writes summary.csv and report.html for one or more result directories. Shared by cnn:report and cnn:benchmark. */
final class ReportWriter {
    private ReportWriter() {
    }

    /**
     * Writes {@code <outputDirectory>/summary.csv} (mean and standard deviation per architecture over the merged
     * results) and the HTML report.
     *
     * @param reportFile where report.html goes
     * @param scope      what the gate shown in the report answers for, as the build's gate did
     * @param history    the history file to chart, or {@code null}; one that does not exist yet is left out
     * @param env        the environment of the run that just produced the results, or {@code null}
     * @param refusals   what fails the gate shown before any rule: cnn:check's {@link RunRefusals} of the
     *                   directories for cnn:report, whose directories may hold anything (see {@link #refusals});
     *                   none for cnn:benchmark, whose own rows are one run's by construction, and a shard job's its
     *                   shard alone by design
     * @return the report file
     */
    static Path write(Log log, Path outputDirectory, Path reportFile, List<Path> resultDirectories, File baseline,
                      List<Rule> rules, GateScope scope, Path history, Environment env, List<String> refusals)
            throws MojoExecutionException {
        return write(log, outputDirectory, reportFile, load(resultDirectories), baseline, rules, scope, history, env,
                refusals);
    }

    /** {@link #write(Log, Path, Path, List, File, List, GateScope, Path, Environment, List)} of loaded results. */
    static Path write(Log log, Path outputDirectory, Path reportFile, MergedResults merged, File baseline,
                      List<Rule> rules, GateScope scope, Path history, Environment env, List<String> refusals)
            throws MojoExecutionException {
        try {
            Path summary = outputDirectory.resolve(Summary.FILE);
            Summary.of(merged.rows()).write(summary);
            HtmlReport.write(reportFile, merged, baseline == null ? null : baseline.toPath(), env,
                    GateRule.effective(QualityGate.gateRules(rules), baseline != null), scope,
                    history != null && java.nio.file.Files.exists(history) ? history : null, read -> refusals);
            log.info("summary: " + summary.toAbsolutePath());
            log.info("report: " + reportFile.toAbsolutePath().toUri());
            return reportFile;
        } catch (CsvFormatException | UncheckedIOException | IllegalArgumentException e) {
            throw new MojoExecutionException(e.getMessage(), e);
        }
    }

    /** The result directories' rows, read once for the summary, the report and the history. */
    static MergedResults load(List<Path> resultDirectories) throws MojoExecutionException {
        try {
            return MergedResults.load(resultDirectories);
        } catch (CsvFormatException | UncheckedIOException | IllegalArgumentException e) {
            throw new MojoExecutionException(e.getMessage(), e);
        }
    }

    /** What cnn:check refuses in {@code merged}'s directories. */
    static List<String> refusals(MergedResults merged) {
        return RunRefusals.of(merged.rowsByDirectory(), merged.directories().size());
    }
}
