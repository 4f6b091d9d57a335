package io.cnnbench.maven;

import io.cnnbench.reports.Baseline;
import io.cnnbench.reports.BaselineGate;
import io.cnnbench.reports.CsvFormatException;
import io.cnnbench.reports.GateRule;
import io.cnnbench.reports.GateScope;
import io.cnnbench.reports.ResultRow;
import io.cnnbench.reports.Violation;
import java.io.File;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;

/**
 * The build gate as a goal runs it: optionally rewrites the baseline from the results, judges the results
 * against the rules and the baseline, logs every verdict, and fails the build on a violation unless
 * haltOnFailure is off. Shared by cnn:check and cnn:benchmark.
 */
final class QualityGate {
    private QualityGate() {
    }

    /** The POM's rules as the gate's; an invalid rule fails with a message that says which and why. */
    static List<GateRule> gateRules(List<Rule> rules) throws MojoExecutionException {
        List<GateRule> out = new ArrayList<>();
        if (rules != null) {
            for (Rule r : rules) {
                out.add(r.toGateRule());
            }
        }
        return out;
    }

    /**
     * Runs the gate on {@code results}.
     *
     * @param goal           the goal's name for messages, e.g. {@code cnn:check}
     * @param baseline       the baseline file, or {@code null} when none is configured
     * @param updateBaseline rewrite {@code baseline} from {@code results} first
     * @param haltOnFailure  fail the build on a violation; otherwise log it as a warning
     * @throws MojoFailureException   when a rule is broken and haltOnFailure is set
     * @throws MojoExecutionException when the configuration or a file is wrong
     */
    static BaselineGate.Result run(String goal, Log log, List<ResultRow> results, File baseline, List<Rule> rules,
                                   GateScope scope, boolean updateBaseline, boolean haltOnFailure)
            throws MojoExecutionException, MojoFailureException {
        Path baselinePath = baseline == null ? null : baseline.toPath();
        // A baseline without rules is judged by the default rule: a configured baseline never does nothing.
        List<GateRule> gateRules = GateRule.effective(gateRules(rules), baselinePath != null);
        try {
            if (updateBaseline) {
                updateBaseline(goal, log, results, baselinePath);
            }
            if (rules == null || rules.isEmpty()) {
                log.info(goal + (gateRules.isEmpty() ? ": no <rules> and no baseline configured"
                        : ": no <rules> configured; judging every architecture by the default rule (maxDrop "
                        + GateRule.DEFAULT_BASELINE_RULE.maxDrop() + ", maxRise " + GateRule.DEFAULT_BASELINE_RULE
                        .maxRise() + ", or " + GateRule.DEFAULT_STD_DEVS + " standard errors where the seeds are"
                        + " noisier) against " + baselinePath));
            }
            List<ResultRow> baselineRows = null;
            if (baselinePath != null) {
                if (!Files.exists(baselinePath)) {
                    throw new MojoExecutionException(Baseline.doesNotExist(baselinePath));
                }
                baselineRows = Baseline.read(baselinePath);
            }
            String baselineName = baselinePath == null ? "baseline" : baselinePath.getFileName().toString();
            BaselineGate.Result result = BaselineGate.check(results, baselineRows, baselineName, gateRules, scope);
            for (String line : result.checked()) {
                log.info(goal + ": " + line);
            }
            for (String warning : result.warnings()) {
                log.warn(goal + ": " + warning);
            }
            if (result.passed()) {
                log.info(goal + ": all rules passed" + (baselinePath == null ? "" : " (baseline " + baselinePath + ")"));
                return result;
            }
            StringBuilder message = new StringBuilder(goal + ": " + result.violations().size() + " rule violation"
                    + (result.violations().size() == 1 ? "" : "s") + ":");
            for (Violation v : result.violations()) {
                message.append("\n  ").append(v.message());
            }
            if (haltOnFailure) {
                throw new MojoFailureException(message.toString());
            }
            for (Violation v : result.violations()) {
                log.warn(goal + ": " + v.message());
            }
            log.warn(goal + ": the build goes on because haltOnFailure is false");
            return result;
        } catch (CsvFormatException | UncheckedIOException e) {
            throw new MojoExecutionException(e.getMessage(), e);
        }
    }

    /**
     * Rewrites {@code baseline} from {@code results} (atomically); architectures not in them keep their rows. A row
     * the gate would refuse, new or kept, fails the goal with the file left as it was.
     */
    static void updateBaseline(String goal, Log log, List<ResultRow> results, Path baseline)
            throws MojoExecutionException {
        if (baseline == null) {
            throw new MojoExecutionException("cnn.updateBaseline=true needs the baseline file: set <baseline> in the"
                    + " plugin configuration or -Dcnn.baseline=path/to/cnn-baseline.csv");
        }
        if (results.stream().noneMatch(ResultRow::ok)) {
            throw new MojoExecutionException("cnn.updateBaseline=true, but no architecture ran successfully: the"
                    + " baseline " + baseline + " is left as it was");
        }
        List<String> updated;
        try {
            updated = Baseline.update(baseline, results);
        } catch (CsvFormatException | IllegalArgumentException | UncheckedIOException e) {
            throw new MojoExecutionException(e.getMessage() + "; the baseline " + baseline + " is left as it was",
                    e);
        }
        log.info(goal + ": baseline " + baseline + " rewritten from these results for " + String.join(", ", updated)
                + "; commit it to make it the new reference");
    }
}
