package io.cnnbench.reports;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The build gate: judges each architecture's test accuracy against the rules, on the mean over its seeds. A
 * rule's {@code minTestAccuracy} is a floor for that mean; its {@code maxDrop} and {@code maxRise} limit how far
 * the mean may move below and above the baseline's mean, widened to {@code stdDevs} standard errors of the
 * difference where the baseline's seeds are noisier than that ({@link ChangeTolerance}), so that seed-to-seed
 * noise alone does not fail a build.
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

        /** This verdict with {@code earlier} violations (found before the rows reached the gate) listed first. */
        public Result withEarlier(List<Violation> earlier) {
            List<Violation> all = new ArrayList<>(earlier);
            all.addAll(violations);
            return new Result(all, checked, warnings);
        }
    }

    /** The limits that apply to one architecture, merged from every rule that matches it. */
    record Limits(Double minTestAccuracy, Double maxDrop, Double maxRise, double stdDevs) {
        boolean comparesWithBaseline() {
            return maxDrop != null || maxRise != null;
        }
    }

    /** {@link #check} with the baseline named "baseline" in messages; returns only the violations. */
    public static List<Violation> evaluate(List<ResultRow> results, List<ResultRow> baseline, List<GateRule> rules) {
        return check(results, baseline, "baseline", rules).violations();
    }

    /** {@link #check(List, List, String, List, GateScope)} for every architecture of the results and baseline. */
    public static Result check(List<ResultRow> results, List<ResultRow> baseline, String baselineName,
                               List<GateRule> rules) {
        return check(results, baseline, baselineName, rules, GateScope.ALL);
    }

    /**
     * Judges {@code results} (rows of results.csv, one per architecture and seed) against {@code rules}. The gate
     * fails closed: it passes only on evidence in {@code results}. No rows, no rule, a rule whose architecture has
     * no row, a selected or baselined architecture with no row, a failed run, a maxDrop or maxRise without a
     * baseline and a baseline that lacks an architecture (unless {@code scope} admits it) are all violations.
     *
     * @param baseline     rows of the baseline, or {@code null} when none is configured
     * @param baselineName how messages name the baseline, usually its file name
     * @param scope        the architectures this run answers for, and those admitted without a baseline
     */
    public static Result check(List<ResultRow> results, List<ResultRow> baseline, String baselineName,
                               List<GateRule> rules, GateScope scope) {
        List<Violation> violations = new ArrayList<>();
        List<String> checked = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<ResultRow> judged = new ArrayList<>();
        for (ResultRow r : results) {
            if (scope.includes(r.architecture())) {
                judged.add(r);
            }
        }
        if (judged.isEmpty()) {
            violations.add(new Violation("*", Violation.Kind.MISSING_RESULT, Double.NaN, Double.NaN,
                    "results.csv has no rows" + (scope.selected() == null ? "" : " for " + String.join(", ",
                            scope.selected())) + ": this run produced nothing to judge (see the benchmark's log)"));
            return new Result(violations, checked, warnings);
        }
        if (rules.isEmpty()) {
            violations.add(new Violation("*", Violation.Kind.NO_RULE, Double.NaN, Double.NaN, "no rule to judge by:"
                    + " configure <rules> or a baseline (cnn.baseline)"));
            return new Result(violations, checked, warnings);
        }
        Summary current = Summary.of(judged);
        Summary previous = baseline == null ? null : Summary.of(baseline);
        missingResults(current, previous, baselineName, rules, scope, violations, checked);
        for (ArchitectureStats arch : current.architectures()) {
            String name = arch.architecture();
            Statistic acc = arch.testAccuracy();
            boolean fractions = true;
            for (ResultRow r : arch.okRuns()) {
                String text = r.get(ResultColumn.TEST_ACCURACY);
                if (text.isEmpty()) {
                    // Left out of the mean, it would let the other seeds speak for it.
                    violations.add(new Violation(name, Violation.Kind.NO_SUCCESSFUL_RUN, Double.NaN, Double.NaN,
                            name + ": seed " + r.get(ResultColumn.SEED) + " is marked ok but has no test_accuracy:"
                                    + " the row is incomplete (edited, or not written by cnn:benchmark); rerun"
                                    + " cnn:benchmark"));
                    fractions = false;
                    continue;
                }
                double v = Double.parseDouble(text);
                if (!(v >= 0 && v <= 1)) {
                    violations.add(new Violation(name, Violation.Kind.NO_SUCCESSFUL_RUN, Double.NaN, Double.NaN,
                            name + ": seed " + r.get(ResultColumn.SEED) + " has test_accuracy '"
                                    + r.get(ResultColumn.TEST_ACCURACY) + "', not a fraction in [0, 1]"));
                    fractions = false;
                }
            }
            if (!fractions) {
                continue;
            }
            Limits limits = limitsFor(name, rules);
            if (limits == null) {
                // A failed run fails the gate even where no rule applies: it is no evidence of anything.
                if (arch.okRuns().size() < arch.runs().size()) {
                    violations.add(new Violation(name, Violation.Kind.NO_SUCCESSFUL_RUN, Double.NaN, Double.NaN,
                            name + ": a run failed (" + failureSummary(arch) + ")"));
                }
                checked.add(name + ": no rule applies, not judged");
                continue;
            }
            if (!acc.present() || arch.okRuns().size() < arch.runs().size()) {
                String why = failureSummary(arch);
                violations.add(new Violation(name, Violation.Kind.NO_SUCCESSFUL_RUN, Double.NaN, Double.NaN,
                        name + ": " + (acc.present() ? "a run failed" : "no test accuracy to check") + " (" + why
                                + ")"));
                if (!acc.present()) {
                    continue;
                }
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
            if (limits.comparesWithBaseline()) {
                ArchitectureStats base = previous == null ? null : previous.get(name);
                if (previous == null) {
                    ok = false;
                    violations.add(new Violation(name, Violation.Kind.MISSING_BASELINE, acc.mean(), Double.NaN,
                            name + ": a maxDrop or maxRise rule applies but no baseline is configured"
                                    + " (cnn.baseline); record one with -Dcnn.updateBaseline=true"
                                    + " -Dcnn.baseline=cnn-baseline.csv"));
                } else if (base == null || !base.testAccuracy().present()) {
                    String lacks = base == null ? baselineName + " has no row for " + name
                            : baselineName + " has no test accuracy for " + name + " (column "
                            + ResultColumn.TEST_ACCURACY.header() + " missing, empty or only failed runs)";
                    if (scope.admitsWithoutBaseline(name)) {
                        warnings.add(name + ": the baseline comparison is not checked: " + lacks + "; admitted by"
                                + " allowMissingBaseline until the baseline is updated (-Dcnn.updateBaseline=true)");
                        line.append("; no baseline (admitted by allowMissingBaseline)");
                    } else {
                        ok = false;
                        violations.add(new Violation(name, Violation.Kind.MISSING_BASELINE, acc.mean(), Double.NaN,
                                name + ": " + lacks + "; a new architecture is admitted only explicitly, with"
                                        + " <allowMissingBaseline>" + name + "</allowMissingBaseline> (or"
                                        + " -Dcnn.allowMissingBaseline=" + name + "), or record it with"
                                        + " -Dcnn.updateBaseline=true"));
                    }
                } else if (sameProtocol(name, arch, base, baselineName, violations, warnings)) {
                    ok &= compare(name, measured, acc, base.testAccuracy(), baselineName, limits, line, violations,
                            warnings);
                } else {
                    ok = false;
                    line.append("; measured under another protocol than the baseline");
                }
            }
            checked.add(line.append(ok ? ": ok" : ": FAILED").toString());
        }
        return new Result(violations, checked, warnings);
    }

    /**
     * Why some of {@code stats}' seeds record a protocol and others do not, or {@code null}: a seed that does not say
     * how it was measured cannot be taken to share its neighbours' protocol.
     */
    private static String unrecordedAmongRecorded(ArchitectureStats stats, Set<String> protocols, String whose) {
        if (protocols.isEmpty()) {
            return null;
        }
        List<String> unrecorded = new ArrayList<>();
        for (ResultRow r : stats.okRuns()) {
            if (r.get(ResultColumn.PROTOCOL).isEmpty()) {
                unrecorded.add(r.get(ResultColumn.SEED));
            }
        }
        return unrecorded.isEmpty() ? null : whose + " seed" + (unrecorded.size() == 1 ? " " : "s ")
                + String.join(", ", unrecorded) + " do" + (unrecorded.size() == 1 ? "es" : "") + " not record the"
                + " protocol the other seeds record, so they cannot be taken as measured the same way; "
                + (whose.equals("this run's") ? "rerun cnn:benchmark"
                : "rerun those seeds and re-record the baseline with -Dcnn.updateBaseline=true");
    }

    /**
     * Whether the run and the baseline measured {@code name} the same way, by their {@code protocol} columns; a
     * change between accuracies measured under other settings (fewer epochs, other training images) says nothing
     * about the code. A baseline written before the column existed is compared with a warning saying so; a run
     * without it against a baseline with it, either side's seeds under several protocols, or a seed without one
     * beside seeds with one, is not compared at all.
     */
    private static boolean sameProtocol(String name, ArchitectureStats run, ArchitectureStats base,
                                        String baselineName, List<Violation> violations, List<String> warnings) {
        Set<String> runs = Protocol.of(run.okRuns());
        Set<String> bases = Protocol.of(base.okRuns());
        if (bases.isEmpty() && runs.isEmpty()) {
            return true; // rows not written by cnn:benchmark (cnn:check refuses those for their missing run_id)
        }
        String problem = unrecordedAmongRecorded(run, runs, "this run's");
        if (problem == null && bases.isEmpty()) {
            warnings.add(name + ": " + baselineName + " does not record the protocol it was measured under (it"
                    + " predates results.csv's protocol column, or is a summary), so that this run measured "
                    + name + " the same way is not checked; re-record it with -Dcnn.updateBaseline=true");
            return true;
        }
        if (problem == null) {
            problem = unrecordedAmongRecorded(base, bases, baselineName + "'s");
        }
        if (problem == null) {
            if (runs.isEmpty()) {
                problem = "this run's rows do not record their protocol, so they cannot be compared with "
                        + baselineName + ", which does; rerun cnn:benchmark";
            } else if (runs.size() > 1 || bases.size() > 1) {
                problem = (runs.size() > 1 ? "this run's" : baselineName + "'s") + " seeds were measured under "
                        + Math.max(runs.size(), bases.size()) + " different protocols; rerun them with one set of"
                        + " settings";
            } else {
                List<String> differences = Protocol.differences(runs.iterator().next(), bases.iterator().next());
                if (differences.isEmpty()) {
                    return true;
                }
                problem = "measured under another protocol than " + baselineName + " (" + String.join(", ",
                        differences) + "), so the accuracies are not comparable; run with the baseline's settings,"
                        + " or re-record the baseline with -Dcnn.updateBaseline=true";
            }
        }
        violations.add(new Violation(name, Violation.Kind.PROTOCOL_MISMATCH, run.testAccuracy().mean(), Double.NaN,
                name + ": " + problem));
        return false;
    }

    /**
     * Judges the change of the mean against the baseline's mean by the rule's maxDrop and maxRise; appends the
     * verdict to {@code line} and returns whether it passed.
     */
    private static boolean compare(String name, String measured, Statistic acc, Statistic base, String baselineName,
                                   Limits limits, StringBuilder line, List<Violation> violations,
                                   List<String> warnings) {
        double change = acc.mean() - base.mean();
        ChangeTolerance tolerance = ChangeTolerance.of(base, acc);
        line.append("; baseline ").append(fmt(base.mean())).append(" (").append(signed(change)).append(")");
        boolean ok = true;
        if (limits.maxDrop() != null) {
            double allowed = tolerance.allowed(limits.maxDrop(), limits.stdDevs());
            String allowance = "allowed drop " + tolerance.describe("maxDrop", limits.maxDrop(), limits.stdDevs());
            line.append(", ").append(allowance);
            if (-change > allowed + EPSILON) {
                ok = false;
                violations.add(new Violation(name, Violation.Kind.DROP_OVER_LIMIT, acc.mean(), allowed,
                        name + ": " + measured + " dropped " + fmt(-change) + " below baseline " + fmt(base.mean())
                                + " (" + baselineName + "); " + allowance));
            }
        }
        if (limits.maxRise() != null) {
            double allowed = tolerance.allowed(limits.maxRise(), limits.stdDevs());
            String allowance = "allowed rise " + tolerance.describe("maxRise", limits.maxRise(), limits.stdDevs());
            line.append(", ").append(allowance);
            if (change > allowed + EPSILON) {
                ok = false;
                violations.add(new Violation(name, Violation.Kind.RISE_OVER_LIMIT, acc.mean(), allowed,
                        name + ": " + measured + " rose " + fmt(change) + " above baseline " + fmt(base.mean())
                                + " (" + baselineName + "); " + allowance + ". A change this large means the"
                                + " benchmark now measures something else (network, data, protocol or libraries);"
                                + " if it is intended, record the new level with -Dcnn.updateBaseline=true so that"
                                + " later drops are measured from it"));
            }
        }
        if (!tolerance.noiseKnown() && limits.stdDevs() > 0) {
            warnings.add(name + ": the baseline has one seed, so seed noise is unknown and the limits apply"
                    + " unwidened; record the baseline over several seeds (-Dcnn.seeds=3 -Dcnn.updateBaseline=true)");
        }
        return ok;
    }

    /**
     * Architectures the gate expects a row for but the results lack: those a rule names, those a pattern rule
     * should match, those the run selected and those the baseline holds.
     */
    private static void missingResults(Summary current, Summary previous, String baselineName, List<GateRule> rules,
                                       GateScope scope, List<Violation> violations, List<String> checked) {
        Set<String> reported = new LinkedHashSet<>();
        String present = " (results.csv has " + String.join(", ", current.architectureNames()) + ")";
        for (GateRule rule : rules) {
            if (rule.isPattern()) {
                if (scope.selected() != null && scope.selected().stream().noneMatch(rule::matches)) {
                    checked.add("rule for '" + rule.architecture() + "': no architecture selected in this run"
                            + " matches it, not judged");
                } else if (current.architectureNames().stream().noneMatch(rule::matches)) {
                    violations.add(new Violation(rule.architecture(), Violation.Kind.MISSING_RESULT, Double.NaN,
                            Double.NaN, "rule for '" + rule.architecture() + "' matches no architecture" + present));
                }
            } else if (!scope.includes(rule.architecture())) {
                checked.add(rule.architecture() + ": not selected in this run (cnn.architectures), not judged");
            } else if (current.get(rule.architecture()) == null && reported.add(rule.architecture())) {
                violations.add(new Violation(rule.architecture(), Violation.Kind.MISSING_RESULT, Double.NaN,
                        Double.NaN, rule.architecture() + ": a rule names it but this run has no result for it"
                        + present));
            }
        }
        if (scope.selected() != null) {
            for (String name : scope.selected()) {
                if (current.get(name) == null && reported.add(name)) {
                    violations.add(new Violation(name, Violation.Kind.MISSING_RESULT, Double.NaN, Double.NaN,
                            name + ": selected, but this run has no result for it" + present));
                }
            }
        }
        if (previous != null) {
            for (String name : previous.architectureNames()) {
                if (scope.includes(name) && current.get(name) == null && reported.add(name)) {
                    violations.add(new Violation(name, Violation.Kind.MISSING_RESULT, Double.NaN, Double.NaN,
                            name + ": " + baselineName + " has it, but this run has no result for it" + present
                                    + "; select the architectures you benchmarked with -Dcnn.architectures"));
                }
            }
        }
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
        Double rise = null;
        Double stdDevs = null;
        for (GateRule r : matching) {
            min = min != null ? min : r.minTestAccuracy();
            drop = drop != null ? drop : r.maxDrop();
            rise = rise != null ? rise : r.maxRise();
            stdDevs = stdDevs != null ? stdDevs : r.stdDevs();
        }
        return new Limits(min, drop, rise, stdDevs != null ? stdDevs : GateRule.DEFAULT_STD_DEVS);
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
        if (!Double.isFinite(v)) {
            // BigDecimal has no NaN or infinity: a message about a broken value must not become an exception.
            return Double.toString(v);
        }
        return BigDecimal.valueOf(v).setScale(4, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    private static String signed(double v) {
        String text = fmt(v);
        return text.startsWith("-") ? text : "+" + text;
    }
}
