package io.cnnbench.maven;

import io.cnnbench.reports.GateScope;
import io.cnnbench.reports.ResultRow;
import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * The gate's parameters, declared once for the goals that run it (cnn:check, and cnn:benchmark after training),
 * as jacoco's check and report goals share theirs.
 */
abstract class AbstractGateMojo extends AbstractCnnMojo {

    /**
     * The baseline: a results.csv (or summary.csv) of an earlier run, committed in the repository. Needed for
     * maxDrop and maxRise rules and for cnn.updateBaseline. Without {@code <rules>}, every architecture is judged
     * against it by the default rule: at most 0.02 down or up, or 3 standard errors where the seeds are noisier.
     */
    @Parameter(property = "cnn.baseline")
    protected File baseline;

    /** The rules; see {@link Rule}. */
    @Parameter
    protected List<Rule> rules = new ArrayList<>();

    /** Fail the build on a broken rule; false only logs it. */
    @Parameter(property = "cnn.haltOnFailure", defaultValue = "true")
    protected boolean haltOnFailure;

    /** Rewrite the baseline (atomically) from these results; architectures not in them keep their rows. */
    @Parameter(property = "cnn.updateBaseline", defaultValue = "false")
    protected boolean updateBaseline;

    /**
     * Architectures (names or patterns, comma-separated) admitted although the baseline has no row for them: the
     * one explicit way to add a new architecture to a gated build. Without it a missing baseline row fails.
     */
    @Parameter(property = "cnn.allowMissingBaseline")
    protected String allowMissingBaseline;

    /** Whether anything is configured for the gate to judge. */
    protected boolean gateConfigured() {
        return !rules.isEmpty() || baseline != null || updateBaseline;
    }

    protected List<String> admittedWithoutBaseline() {
        if (allowMissingBaseline == null || allowMissingBaseline.isBlank()) {
            return List.of();
        }
        return Arrays.stream(allowMissingBaseline.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** What the gate answers for: the architectures in {@code selected} (null: all in the results). */
    protected GateScope gateScope(List<String> selected) {
        return new GateScope(selected == null ? null : new LinkedHashSet<>(selected), admittedWithoutBaseline());
    }

    /** Runs the gate on {@code rows} for the architectures in {@code selected} (null: all in the results). */
    protected void runGate(String goal, List<ResultRow> rows, List<String> selected)
            throws MojoExecutionException, MojoFailureException {
        runGate(goal, rows, selected, updateBaseline);
    }

    /** As {@link #runGate(String, List, List)}, rewriting the baseline first only when {@code update} is set. */
    protected void runGate(String goal, List<ResultRow> rows, List<String> selected, boolean update)
            throws MojoExecutionException, MojoFailureException {
        QualityGate.run(goal, getLog(), rows, baseline, rules, gateScope(selected), update, haltOnFailure);
    }
}
