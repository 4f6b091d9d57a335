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
 * after a CI matrix where each job benchmarked one architecture. The report opens offline.
 */
@Mojo(name = "report", requiresProject = false, aggregator = true, threadSafe = true)
public class ReportMojo extends AbstractCnnMojo {

    /** Output directories of cnn:benchmark to merge (comma-separated as a property); default: cnn.outputDirectory. */
    @Parameter(property = "cnn.resultDirectories")
    private List<File> resultDirectories = new ArrayList<>();

    /** The report file; default {@code <cnn.outputDirectory>/report.html}. */
    @Parameter(property = "cnn.reportFile")
    private File reportFile;

    /** A baseline to show the change against, per architecture. */
    @Parameter(property = "cnn.baseline")
    private File baseline;

    /** cnn:check's rules, if configured: the report then shows which architectures pass them. */
    @Parameter
    private List<Rule> rules = new ArrayList<>();

    /** The history file to chart accuracy over commits from ({@code cnn-history.csv}, as cnn:benchmark writes it). */
    @Parameter(property = "cnn.history")
    private File history;

    @Override
    public void execute() throws MojoExecutionException {
        if (skip) {
            getLog().info("cnn:report skipped (cnn.skip=true)");
            return;
        }
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
        ReportWriter.write(getLog(), out, html, dirs, baseline, rules, GateScope.ALL,
                history == null ? null : history.toPath(), null);
    }
}
