package io.cnnbench.maven;

import io.cnnbench.core.bench.Shard;
import io.cnnbench.reports.CsvFormatException;
import io.cnnbench.reports.MergedResults;
import io.cnnbench.reports.ResultColumn;
import io.cnnbench.reports.ResultRow;
import io.cnnbench.reports.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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

    /** This directory's rows: they must exist and come from one run, written by this version of cnn:benchmark. */
    private List<ResultRow> readOneRun(Path results) throws MojoExecutionException {
        if (!Files.isRegularFile(results)) {
            throw new MojoExecutionException("cnn:check found no " + results + "; run cnn:benchmark first, or point"
                    + " cnn.outputDirectory (or cnn.resultDirectories) at the directories holding results.csv");
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
                    runs) + "): rerun cnn:benchmark, or give each run its own directory and list them in"
                    + " cnn.resultDirectories");
        }
        if (!runs.isEmpty()) {
            getLog().info("cnn:check: judging run " + runs.iterator().next() + " (" + results + ")");
        }
        return rows;
    }

    /**
     * Each (architecture, seed) may be judged once: the same directory listed twice, or a stale copy of a job's
     * directory beside the fresh one, would otherwise be averaged into the mean (and could pass a drop that the
     * fresh row alone fails).
     */
    static void refuseDuplicates(Map<Path, List<ResultRow>> byDirectory, int listed)
            throws MojoExecutionException {
        if (byDirectory.size() < listed) {
            throw new MojoExecutionException("cnn.resultDirectories lists a directory more than once: list each"
                    + " run's directory once");
        }
        List<MergedResults.Duplicate> duplicates = MergedResults.duplicates(byDirectory);
        if (!duplicates.isEmpty()) {
            throw new MojoExecutionException(duplicates.get(0).refusal());
        }
    }

    /** A run split into n shards passes only with every shard's rows present, each once. */
    private void checkShards(List<ResultRow> rows, List<Path> dirs) throws MojoExecutionException {
        Set<String> seen = new TreeSet<>();
        Integer count = null;
        for (ResultRow r : rows) {
            String text = r.get(ResultColumn.SHARD);
            if (text.isEmpty()) {
                continue;
            }
            Shard shard;
            try {
                shard = Shard.parse(text);
            } catch (IllegalArgumentException e) {
                throw new MojoExecutionException("results.csv has shard '" + text + "': " + e.getMessage());
            }
            if (count != null && count != shard.count()) {
                throw new MojoExecutionException("the result directories come from runs split " + count + " and "
                        + shard.count() + " ways: judge one split run at a time");
            }
            count = shard.count();
            seen.add(shard.toString());
        }
        if (count == null || count == 1) {
            return;
        }
        List<String> missing = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            if (!seen.contains(i + "/" + count)) {
                missing.add(i + "/" + count);
            }
        }
        if (!missing.isEmpty()) {
            throw new MojoExecutionException("shard" + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing)
                    + " of the split run " + (missing.size() == 1 ? "is" : "are") + " missing from " + dirs
                    + ": list every shard job's output directory in -Dcnn.resultDirectories");
        }
        getLog().info("cnn:check: all " + count + " shards present");
    }

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
        List<Path> dirs = new ArrayList<>();
        for (File f : resultDirectories) {
            dirs.add(f.toPath());
        }
        if (dirs.isEmpty()) {
            dirs.add(outputDirectory.toPath());
        }
        Map<Path, List<ResultRow>> byDirectory = new LinkedHashMap<>();
        for (Path dir : dirs) {
            byDirectory.put(dir, readOneRun(dir.resolve(RunFiles.RESULTS)));
        }
        refuseDuplicates(byDirectory, dirs.size());
        List<ResultRow> rows = new ArrayList<>();
        byDirectory.values().forEach(rows::addAll);
        checkShards(rows, dirs);
        runGate("cnn:check", rows, selectedOrAll());
    }
}
