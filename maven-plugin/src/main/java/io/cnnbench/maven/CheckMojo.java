package io.cnnbench.maven;

import io.cnnbench.reports.CsvFormatException;
import io.cnnbench.reports.ResultRow;
import io.cnnbench.reports.RunFiles;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * {@code mvn cnn:check}: the build gate, modelled on jacoco:check. Reads {@code results.csv} in
 * {@code cnn.outputDirectory} and fails the build when an architecture breaks a rule: its mean test accuracy is
 * under {@code minTestAccuracy}, or it fell more than {@code maxDrop} (+ {@code stdDevs} standard deviations of
 * its seeds) below the baseline committed in the repository. With {@code -Dcnn.updateBaseline=true} the
 * baseline is first rewritten, atomically, from the results.
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
public class CheckMojo extends AbstractMojo {

    /** Where cnn:benchmark wrote results.csv. */
    @Parameter(property = "cnn.outputDirectory", defaultValue = "${project.build.directory}/cnn")
    private File outputDirectory;

    /**
     * The baseline: a results.csv (or summary.csv) of an earlier run, committed in the repository. Needed for
     * maxDrop rules and for cnn.updateBaseline.
     */
    @Parameter(property = "cnn.baseline")
    private File baseline;

    /** The rules; without any, nothing is checked. */
    @Parameter
    private List<Rule> rules = new ArrayList<>();

    /** Fail the build on a broken rule; false only logs it. */
    @Parameter(property = "cnn.haltOnFailure", defaultValue = "true")
    private boolean haltOnFailure;

    /** Rewrite the baseline from these results (architectures not in them keep their baseline rows). */
    @Parameter(property = "cnn.updateBaseline", defaultValue = "false")
    private boolean updateBaseline;

    @Parameter(property = "cnn.skip", defaultValue = "false")
    private boolean skip;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("cnn:check skipped (cnn.skip=true)");
            return;
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
        QualityGate.run("cnn:check", getLog(), rows, baseline, rules, updateBaseline, haltOnFailure);
    }
}
