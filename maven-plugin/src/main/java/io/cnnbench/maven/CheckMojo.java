package io.cnnbench.maven;

import io.cnnbench.reports.CsvFormatException;
import io.cnnbench.reports.ResultColumn;
import io.cnnbench.reports.ResultRow;
import io.cnnbench.reports.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * {@code mvn cnn:check}: the build gate, modelled on jacoco:check. Reads {@code results.csv} in
 * {@code cnn.outputDirectory} and fails the build when an architecture breaks a rule: its mean test accuracy is
 * under {@code minTestAccuracy}, or it fell more than {@code maxDrop} (+ {@code stdDevs} standard deviations of
 * its seeds) below the baseline committed in the repository. With {@code -Dcnn.updateBaseline=true} the
 * baseline is first rewritten, atomically, from the results. It fails closed: no rows, a rule or selected
 * architecture without a row, a failed run, rows of several runs, and a baseline lacking an architecture (unless
 * {@code allowMissingBaseline} admits it) all fail the build. A baseline without rules is judged by the default
 * rule; with neither, the goal fails instead of passing on nothing.
 * <pre>{@code
 * <configuration>
 *   <baseline>${project.basedir}/cnn-baseline.csv</baseline>
 *   <rules>
 *     <rule><architecture>resnext-seed</architecture><minTestAccuracy>0.20</minTestAccuracy>
 *           <maxDrop>0.02</maxDrop><stdDevs>2</stdDevs></rule>
 *     <rule><architecture>*</architecture><maxDrop>0.05</maxDrop></rule>
 *   </rules>
 *   <haltOnFailure>true</haltOnFailure>
 * </configuration>
 * }</pre>
 */
@Mojo(name = "check", defaultPhase = LifecyclePhase.VERIFY, aggregator = true, threadSafe = true)
public class CheckMojo extends AbstractGateMojo {

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("cnn:check skipped (cnn.skip=true)");
            return;
        }
        if (!gateConfigured()) {
            throw new MojoExecutionException("cnn:check has nothing to judge by: configure <rules> or a baseline"
                    + " (cnn.baseline) in the cnn-maven-plugin configuration; see docs/reports.md");
        }
        Path results = outputDirectory.toPath().resolve(RunFiles.RESULTS);
        if (!Files.isRegularFile(results)) {
            throw new MojoExecutionException("cnn:check found no " + results + "; run cnn:benchmark first, or point"
                    + " cnn.outputDirectory at the directory holding results.csv");
        }
        List<ResultRow> rows;
        try {
            rows = RunFiles.readResults(results);
        } catch (CsvFormatException e) {
            throw new MojoExecutionException(e.getMessage(), e);
        }
        Set<String> runs = new TreeSet<>();
        for (ResultRow r : rows) {
            runs.add(r.get(ResultColumn.RUN_ID));
        }
        if (runs.contains("")) {
            throw new MojoExecutionException(results + " has rows without a run_id: it was not written by this"
                    + " version of cnn:benchmark (or was edited); rerun cnn:benchmark");
        }
        if (runs.size() > 1) {
            throw new MojoExecutionException(results + " mixes rows of " + runs.size() + " runs (" + String.join(", ",
                    runs) + "): rerun cnn:benchmark, or merge result directories with cnn:report");
        }
        if (!runs.isEmpty()) {
            getLog().info("cnn:check: judging run " + runs.iterator().next() + " (" + results + ")");
        }
        List<String> selected = selectedNames();
        runGate("cnn:check", rows, selected.isEmpty() ? null : selected);
    }
}
