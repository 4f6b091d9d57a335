package io.cnnbench.maven;

import io.cnnbench.reports.CsvFormatException;
import io.cnnbench.reports.ResultRow;
import io.cnnbench.reports.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * {@code mvn cnn:check}: the build gate, modelled on jacoco:check. Reads {@code results.csv} in
 * {@code cnn.outputDirectory} and fails the build when an architecture breaks a rule: its mean test accuracy is
 * under {@code minTestAccuracy}, or it fell more than {@code maxDrop} below the baseline committed in the
 * repository (or rose more than {@code maxRise} above it), by more than {@code stdDevs} standard errors of seed
 * noise too. With {@code -Dcnn.updateBaseline=true} the
 * baseline is first rewritten, atomically, from the results. It fails closed: no rows, a rule or selected
 * architecture without a row, a failed run, rows of several runs, and a baseline lacking an architecture (unless
 * {@code allowMissingBaseline} admits it) all fail the build. A baseline without rules is judged by the default
 * rule; with neither, the goal fails instead of passing on nothing.
 * <pre>{@code
 * <configuration>
 *   <baseline>${project.basedir}/cnn-baseline.csv</baseline>
 *   <rules>
 *     <rule><architecture>resnext-seed</architecture><minTestAccuracy>0.20</minTestAccuracy>
 *           <maxDrop>0.02</maxDrop><maxRise>0.02</maxRise><stdDevs>3</stdDevs></rule>
 *     <rule><architecture>*</architecture><maxDrop>0.05</maxDrop></rule>
 *   </rules>
 *   <haltOnFailure>true</haltOnFailure>
 * </configuration>
 * }</pre>
 */
@Mojo(name = "check", defaultPhase = LifecyclePhase.VERIFY, aggregator = true, threadSafe = true)
public class CheckMojo extends AbstractGateMojo {

    /**
     * Output directories to judge together, e.g. the jobs of a CI matrix (comma-separated as a property);
     * default: {@code cnn.outputDirectory}. Each must hold one run's results; a run split with {@code cnn.shard}
     * must be complete: a missing shard fails.
     */
    @Parameter(property = "cnn.resultDirectories")
    private List<File> resultDirectories = new ArrayList<>();

    /** This directory's rows, as written; whether they can be judged is {@link RunRefusals}' to say. */
    private List<ResultRow> read(Path results) throws MojoExecutionException {
        if (!Files.isRegularFile(results)) {
            throw new MojoExecutionException("cnn:check found no " + results + "; run cnn:benchmark first, or point"
                    + " cnn.outputDirectory (or cnn.resultDirectories) at the directories holding results.csv");
        }
        try {
            return RunFiles.readResults(results);
        } catch (CsvFormatException e) {
            throw new MojoExecutionException(e.getMessage(), e);
        }
    }

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("cnn:check skipped (cnn.skip=true)");
            return;
        }
        refuseUnknownProperties();
        if (!gateConfigured()) {
            throw new MojoExecutionException("cnn:check has nothing to judge by: configure <rules> or a baseline"
                    + " (cnn.baseline) in the cnn-maven-plugin configuration; see docs/reports.md");
        }
        List<Path> dirs = new ArrayList<>();
        for (File f : resultDirectories) {
            dirs.add(f.toPath());
        }
        if (dirs.isEmpty()) {
            dirs.add(outputDirectory.toPath());
        }
        Map<Path, List<ResultRow>> byDirectory = new LinkedHashMap<>();
        for (Path dir : dirs) {
            byDirectory.put(dir, read(dir.resolve(RunFiles.RESULTS)));
        }
        List<String> refusals = RunRefusals.of(byDirectory, dirs.size());
        if (!refusals.isEmpty()) {
            throw new MojoExecutionException(String.join("\n", refusals));
        }
        List<ResultRow> rows = new ArrayList<>();
        byDirectory.forEach((dir, dirRows) -> {
            rows.addAll(dirRows);
            if (!dirRows.isEmpty()) {
                getLog().info("cnn:check: judging run " + RunRefusals.runIds(dirRows).iterator().next() + " ("
                        + dir.resolve(RunFiles.RESULTS) + ")");
            }
        });
        int shards = RunRefusals.shardCount(rows);
        if (shards > 1) {
            getLog().info("cnn:check: all " + shards + " shards present");
        }
        runGate("cnn:check", rows, selectedOrAll());
    }
}
