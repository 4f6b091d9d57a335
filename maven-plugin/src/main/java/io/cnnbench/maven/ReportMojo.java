package io.cnnbench.maven;

import io.cnnbench.reports.GateScope;
import java.io.File;
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
 */
@Mojo(name = "report", requiresProject = false, aggregator = true, threadSafe = true)
public class ReportMojo extends AbstractRulesMojo {

    /** Output directories of cnn:benchmark to merge (comma-separated as a property); default: cnn.outputDirectory. */
    @Parameter(property = "cnn.resultDirectories")
    private List<File> resultDirectories = new ArrayList<>();

    /** The report file; default {@code <cnn.outputDirectory>/report.html}. */
    @Parameter(property = "cnn.reportFile")
    private File reportFile;

    /** The history file to chart accuracy over commits from ({@code cnn-history.csv}, as cnn:benchmark writes it). */
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
        ReportWriter.write(getLog(), out, html, dirs, baseline, rules, scope, history == null ? null : history.toPath(),
                null, true);
    }
}
