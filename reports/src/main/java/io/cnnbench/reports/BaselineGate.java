package io.cnnbench.reports;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The build gate: judges each architecture's test accuracy against the rules, on the mean over its seeds. A
 * rule's {@code minTestAccuracy} is a floor for that mean; its {@code maxDrop} limits how far the mean may fall
 * below the baseline's mean, widened by {@code stdDevs} sample standard deviations of this run's seeds, so that
 * seed-to-seed noise alone does not fail a build.
 */
public final class BaselineGate {
    /** Differences smaller than this are rounding in the CSV files, not changes. */
    private static final double EPSILON = 1e-9;

    private BaselineGate() {
    }

    /**
     * What the gate found: the violations that fail the build, one line per judged architecture for the log, and
     * warnings about limits that could not be checked.
     */
    public record Result(List<Violation> violations, List<String> checked, List<String> warnings) {
        public Result {
            violations = List.copyOf(violations);
            checked = List.copyOf(checked);
            warnings = List.copyOf(warnings);
        }

        public boolean passed() {
            return violations.isEmpty();
        }
    }

    /** The limits that apply to one architecture, merged from every rule that matches it. */
    record Limits(Double minTestAccuracy, Double maxDrop, double stdDevs) {
    }

    /** {@link #check} with the baseline named "baseline" in messages; returns only the violations. */
    public static List<Violation> evaluate(List<ResultRow> results, List<ResultRow> baseline, List<GateRule> rules) {
        return check(results, baseline, "baseline", rules).violations();
    }

    /**
     * Judges {@code results} (rows of results.csv, one per architecture and seed) against {@code rules}.
     *
     * @param baseline     rows of the baseline, or {@code null} when none is configured (drops are not checked)
     * @param baselineName how messages name the baseline, usually its file name
     */
    public static Result check(List<ResultRow> results, List<ResultRow> baseline, String baselineName,
                               List<GateRule> rules) {
        List<Violation> violations = new ArrayList<>();
        List<String> checked = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Summary current = Summary.of(results);
        Summary previous = baseline == null ? null : Summary.of(baseline);
        for (GateRule rule : rules) {
            if (!rule.isPattern() && current.get(rule.architecture()) == null) {
                warnings.add("rule for '" + rule.architecture() + "' matches no architecture in the results ("
                        + String.join(", ", current.architectureNames()) + ")");
            }
        }
        for (ArchitectureStats arch : current.architectures()) {
            Limits limits = limitsFor(arch.architecture(), rules);
            if (limits == null) {
                continue;
            }
            String name = arch.architecture();
            Statistic acc = arch.testAccuracy();
            if (!acc.present()) {
                String why = arch.okRuns().isEmpty() ? failureSummary(arch) : "results.csv has no test_accuracy";
                violations.add(new Violation(name, Violation.Kind.NO_SUCCESSFUL_RUN, Double.NaN, Double.NaN,
                        name + ": no test accuracy to check (" + why + ")"));
                continue;
            }
            String measured = "test accuracy " + fmt(acc.mean()) + " " + describe(arch, acc);
            StringBuilder line = new StringBuilder(name + ": " + measured);
            boolean ok = true;
            if (limits.minTestAccuracy() != null) {
                double min = limits.minTestAccuracy();
                line.append("; minimum ").append(fmt(min));
                if (acc.mean() < min - EPSILON) {
                    ok = false;
                    violations.add(new Violation(name, Violation.Kind.BELOW_MINIMUM, acc.mean(), min,
                            name + ": " + measured + " is below the minimum " + fmt(min)));
                }
            }
            if (limits.maxDrop() != null) {
                ArchitectureStats base = previous == null ? null : previous.get(name);
                if (previous == null) {
                    warnings.add(name + ": maxDrop " + fmt(limits.maxDrop()) + " is not checked: no baseline is"
                            + " configured (cnn.baseline)");
                } else if (base == null || !base.testAccuracy().present()) {
                    warnings.add(name + ": maxDrop is not checked: " + baselineName + " has no successful run of "
                            + name + "; record one with -Dcnn.updateBaseline=true");
                } else {
                    double baseMean = base.testAccuracy().mean();
                    double drop = baseMean - acc.mean();
                    double std = acc.stdOrZero();
                    double allowed = limits.maxDrop() + limits.stdDevs() * std;
                    String allowance = "allowed drop " + fmt(limits.maxDrop());
                    if (acc.count() > 1 && limits.stdDevs() > 0) {
                        allowance += " + " + fmt(limits.stdDevs()) + " x std " + fmt(std) + " = " + fmt(allowed);
                    }
                    line.append("; baseline ").append(fmt(baseMean)).append(" (").append(signed(-drop))
                            .append("), ").append(allowance);
                    if (drop > allowed + EPSILON) {
                        ok = false;
                        violations.add(new Violation(name, Violation.Kind.DROP_OVER_LIMIT, acc.mean(), allowed,
                                name + ": " + measured + " dropped " + fmt(drop) + " below baseline " + fmt(baseMean)
                                        + " (" + baselineName + "); " + allowance));
                    }
                }
            }
            checked.add(line.append(ok ? ": ok" : ": FAILED").toString());
        }
        return new Result(violations, checked, warnings);
    }

    /** The limits for {@code architecture}, each from the most specific rule that sets it; null if none match. */
    static Limits limitsFor(String architecture, List<GateRule> rules) {
        List<GateRule> matching = new ArrayList<>();
        for (GateRule r : rules) {
            if (r.matches(architecture)) {
                matching.add(r);
            }
        }
        if (matching.isEmpty()) {
            return null;
        }
        // A stable sort keeps the declaration order among rules of equal specificity.
        matching.sort(Comparator.comparingInt(GateRule::specificity).reversed());
        Double min = null;
        Double drop = null;
        Double stdDevs = null;
        for (GateRule r : matching) {
            min = min != null ? min : r.minTestAccuracy();
            drop = drop != null ? drop : r.maxDrop();
            stdDevs = stdDevs != null ? stdDevs : r.stdDevs();
        }
        return new Limits(min, drop, stdDevs != null ? stdDevs : GateRule.DEFAULT_STD_DEVS);
    }

    private static String describe(ArchitectureStats arch, Statistic acc) {
        if (acc.count() == 1) {
            String seed = arch.okRuns().get(0).get(ResultColumn.SEED);
            return seed.isEmpty() ? "(1 run)" : "(seed " + seed + ")";
        }
        String failed = arch.runs().size() > arch.okRuns().size()
                ? ", " + (arch.runs().size() - arch.okRuns().size()) + " failed" : "";
        return "(mean of " + acc.count() + " seeds, std " + fmt(acc.std()) + failed + ")";
    }

    private static String failureSummary(ArchitectureStats arch) {
        StringBuilder s = new StringBuilder();
        for (ResultRow r : arch.runs()) {
            if (s.length() > 0) {
                s.append("; ");
            }
            s.append("seed ").append(r.get(ResultColumn.SEED)).append(' ').append(r.get(ResultColumn.STATUS));
            if (!r.get(ResultColumn.MESSAGE).isEmpty()) {
                s.append(": ").append(r.get(ResultColumn.MESSAGE));
            }
        }
        return s.length() == 0 ? "no runs" : s.toString();
    }

    /** Four decimals at most, trailing zeros dropped: accuracies on 10,000 test images have four. */
    static String fmt(double v) {
        return BigDecimal.valueOf(v).setScale(4, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    private static String signed(double v) {
        String text = fmt(v);
        return text.startsWith("-") ? text : "+" + text;
    }
}
