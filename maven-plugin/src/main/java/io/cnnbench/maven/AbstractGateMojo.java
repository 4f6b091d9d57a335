package io.cnnbench.maven;

import io.cnnbench.reports.ResultRow;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * The parameters of the goals that enforce the gate (cnn:check, and cnn:benchmark after training), as jacoco's check
 * goal has its own beside those it shares with report; what the gate judges by is in {@link AbstractRulesMojo}.
 */
abstract class AbstractGateMojo extends AbstractRulesMojo {

    /** Fail the build on a broken rule; false only logs it. */
    @Parameter(property = "cnn.haltOnFailure", defaultValue = "true")
    protected boolean haltOnFailure;

    /** Rewrite the baseline (atomically) from these results; architectures not in them keep their rows. */
    @Parameter(property = "cnn.updateBaseline", defaultValue = "false")
    protected boolean updateBaseline;

    /** Whether anything is configured for the gate to judge. */
    protected boolean gateConfigured() {
        return !rules.isEmpty() || baseline != null || updateBaseline;
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
