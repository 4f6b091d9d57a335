package io.cnnbench.maven;

import io.cnnbench.reports.GateScope;
import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * What the gate judges by and what it answers for, declared once for every goal that shows or enforces its verdict:
 * cnn:report shows it, cnn:check and cnn:benchmark ({@link AbstractGateMojo}) enforce it. One declaration keeps the
 * report's verdict the build's: the same baseline, rules, selection and admitted architectures.
 */
abstract class AbstractRulesMojo extends AbstractCnnMojo {

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

    /**
     * Architectures (names or patterns, comma-separated) admitted although the baseline has no row for them: the
     * one explicit way to add a new architecture to a gated build. Without it a missing baseline row fails.
     */
    @Parameter(property = "cnn.allowMissingBaseline")
    protected String allowMissingBaseline;

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
}
