package io.cnnbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaselineGateTest {
    @TempDir
    Path dir;

    private static List<ResultRow> seeds(String architecture, double... accuracies) {
        List<ResultRow> rows = new ArrayList<>();
        for (int i = 0; i < accuracies.length; i++) {
            rows.add(SampleRuns.row(architecture, 42 + i, accuracies[i]));
        }
        return rows;
    }

    @Test
    void theIssuesExampleFailsWithEveryNumberInTheMessage() {
        List<ResultRow> results = seeds("resnext-seed", 0.179, 0.183, 0.187);
        List<ResultRow> baseline = seeds("resnext-seed", 0.235);
        BaselineGate.Result r = BaselineGate.check(results, baseline, "cnn-baseline.csv",
                List.of(new GateRule("resnext-seed", 0.10, 0.02, 2.0)));
        assertEquals(1, r.violations().size());
        Violation v = r.violations().get(0);
        assertEquals(Violation.Kind.DROP_OVER_LIMIT, v.kind());
        assertEquals("resnext-seed: test accuracy 0.183 (mean of 3 seeds, std 0.004) dropped 0.052 below baseline"
                + " 0.235 (cnn-baseline.csv); allowed drop 0.02",
                v.message());
        assertEquals(0.183, v.measured(), 1e-12);
        assertEquals(0.02, v.limit(), 1e-12);
    }

    @Test
    void aDropThatTheBaselinesSeedNoiseExplainsPasses() {
        // Drop 0.03 > maxDrop 0.02, but within 3 standard errors: 3 x 0.01 x sqrt(1/3 + 1/1) = 0.0346.
        List<ResultRow> results = seeds("a", 0.20);
        List<ResultRow> baseline = seeds("a", 0.22, 0.23, 0.24);
        BaselineGate.Result r = BaselineGate.check(results, baseline, "b.csv",
                List.of(new GateRule("a", null, 0.02, 3.0)));
        assertTrue(r.passed(), r.violations().toString());
        assertEquals(List.of("a: test accuracy 0.2 (seed 42); baseline 0.23 (-0.03), allowed drop"
                + " max(maxDrop 0.02, 3 x SE 0.0115 = 0.0346) = 0.0346: ok"), r.checked());
        // Two standard errors (0.0231) do not explain it.
        assertEquals(1, BaselineGate.evaluate(results, baseline, List.of(new GateRule("a", null, 0.02, 2.0))).size());
        // With no standard-deviation tolerance the same drop fails.
        assertEquals(1, BaselineGate.evaluate(results, baseline, List.of(new GateRule("a", null, 0.02, 0.0))).size());
    }

    @Test
    void aRunsOwnSpreadDoesNotWidenItsBand() {
        // One seed collapsed to chance: mean 0.315. Pooling the run's spread (std 0.30) with the baseline's would
        // allow a drop of about 0.48; the baseline's noise alone allows 3 x 0.01 x sqrt(1/3 + 1/2) = 0.0274.
        List<Violation> v = BaselineGate.evaluate(seeds("a", 0.53, 0.10), seeds("a", 0.52, 0.53, 0.54),
                List.of(new GateRule("*", null, 0.02, 3.0)));
        assertEquals(1, v.size(), v.toString());
        assertEquals(Violation.Kind.DROP_OVER_LIMIT, v.get(0).kind());
        assertEquals(0.0274, v.get(0).limit(), 1e-4);
        // Against a single-seed baseline the noise is unknown, however many seeds the run has: the limit alone.
        BaselineGate.Result r = BaselineGate.check(seeds("a", 0.19, 0.20, 0.21), seeds("a", 0.23), "b.csv",
                List.of(new GateRule("a", null, 0.02, 3.0)));
        assertEquals(1, r.violations().size(), "drop 0.03 over the limit 0.02");
        assertTrue(r.warnings().get(0).contains("the baseline has one seed"), r.warnings().toString());
    }

    @Test
    void aSingleSeedAgainstASingleSeedIsJudgedByTheLimitAloneWithAWarning() {
        BaselineGate.Result r = BaselineGate.check(seeds("a", 0.20), seeds("a", 0.225), "baseline",
                List.of(new GateRule("*", null, 0.02, null)));
        List<Violation> v = r.violations();
        assertEquals(1, v.size());
        assertEquals("a: test accuracy 0.2 (seed 42) dropped 0.025 below baseline 0.225 (baseline); allowed drop"
                + " 0.02", v.get(0).message());
        assertEquals(List.of("a: the baseline has one seed, so seed noise is unknown and the limits apply"
                + " unwidened; record the baseline over several seeds (-Dcnn.seeds=3 -Dcnn.updateBaseline=true)"),
                r.warnings());
        assertTrue(BaselineGate.evaluate(seeds("a", 0.20), seeds("a", 0.22),
                List.of(new GateRule("*", null, 0.02, null))).isEmpty(), "exactly at the limit passes");
    }

    @Test
    void theBaselineMeanIsComparedWhenTheBaselineHasSeveralSeeds() {
        List<Violation> v = BaselineGate.evaluate(seeds("a", 0.30), seeds("a", 0.30, 0.36),
                List.of(new GateRule("a", null, 0.02, 0.0)));
        assertEquals(1, v.size(), "baseline mean 0.33, drop 0.03");
        assertTrue(v.get(0).message().contains("dropped 0.03 below baseline 0.33"), v.get(0).message());
    }

    @Test
    void minimumAccuracyIsJudgedOnTheMean() {
        List<Violation> v = BaselineGate.evaluate(seeds("a", 0.17, 0.19), null,
                List.of(new GateRule("a", 0.20, null, null)));
        assertEquals(1, v.size());
        assertEquals(Violation.Kind.BELOW_MINIMUM, v.get(0).kind());
        assertTrue(v.get(0).message().startsWith("a: test accuracy 0.18 (mean of 2 seeds, std 0.0141) is below the"
                + " minimum 0.2"), v.get(0).message());
    }

    @Test
    void aGainPassesAndArchitecturesWithoutRulesAreNotJudged() {
        List<ResultRow> results = new ArrayList<>(seeds("a", 0.40));
        results.addAll(seeds("unruled", 0.01));
        BaselineGate.Result r = BaselineGate.check(results, seeds("a", 0.30), "b.csv",
                List.of(new GateRule("a", 0.2, 0.0, 0.0)));
        assertTrue(r.passed());
        assertEquals(List.of("a: test accuracy 0.4 (seed 42); minimum 0.2; baseline 0.3 (+0.1), allowed drop 0: ok",
                "unruled: no rule applies, not judged"), r.checked());
    }

    @Test
    void specificRulesOverrideThePatternLimitByLimit() {
        List<GateRule> rules = List.of(new GateRule("*", 0.10, 0.05, null),
                new GateRule("resnext*", null, 0.03, null), new GateRule("resnext-seed", null, 0.10, 1.0));
        assertEquals(new BaselineGate.Limits(0.10, 0.10, null, 1.0), BaselineGate.limitsFor("resnext-seed", rules));
        assertEquals(new BaselineGate.Limits(0.10, 0.03, null, GateRule.DEFAULT_STD_DEVS),
                BaselineGate.limitsFor("resnext", rules));
        assertEquals(new BaselineGate.Limits(0.10, 0.05, null, GateRule.DEFAULT_STD_DEVS),
                BaselineGate.limitsFor("mobilenetv3-small", rules));
        assertEquals(null, BaselineGate.limitsFor("x", List.of(new GateRule("resnext*", 0.1, null, null))));
    }

    @Test
    void anArchitectureWithoutSuccessfulRunFails() {
        ResultRow failed = new ResultRow().set(ResultColumn.ARCHITECTURE, "a").set(ResultColumn.SEED, 42)
                .set(ResultColumn.STATUS, ResultRow.FAILED).set(ResultColumn.MESSAGE, "loss became NaN");
        List<Violation> v = BaselineGate.evaluate(List.of(failed), seeds("a", 0.3),
                List.of(new GateRule("*", null, 0.02, null)));
        assertEquals(1, v.size());
        assertEquals(Violation.Kind.NO_SUCCESSFUL_RUN, v.get(0).kind());
        assertTrue(v.get(0).message().contains("seed 42 failed: loss became NaN"), v.get(0).message());
    }

    @Test
    void aRuleWhoseArchitectureHasNoRowFails() {
        BaselineGate.Result r = BaselineGate.check(seeds("a", 0.3), null, "b.csv",
                List.of(new GateRule("gone", 0.5, null, null), new GateRule("a", 0.2, null, null)));
        assertEquals(1, r.violations().size(), r.violations().toString());
        assertEquals(Violation.Kind.MISSING_RESULT, r.violations().get(0).kind());
        assertEquals("gone: a rule names it but this run has no result for it (results.csv has a)",
                r.violations().get(0).message());
        // A pattern that matches nothing fails the same way.
        assertEquals(Violation.Kind.MISSING_RESULT, BaselineGate.evaluate(seeds("a", 0.3), null,
                List.of(new GateRule("mobilenet*", 0.1, null, null))).get(0).kind());
    }

    @Test
    void resultsWithNoRowsFailWhateverTheRules() {
        BaselineGate.Result r = BaselineGate.check(List.of(), null, "b.csv",
                List.of(new GateRule("resnext-seed", 0.2, null, null)));
        assertEquals(1, r.violations().size());
        assertTrue(r.violations().get(0).message().startsWith("results.csv has no rows"), r.violations().toString());
        assertEquals(1, BaselineGate.evaluate(List.of(), seeds("a", 0.3),
                GateRule.effective(List.of(), true)).size());
    }

    @Test
    void noRuleAtAllIsAViolationNotAPass() {
        List<Violation> v = BaselineGate.evaluate(seeds("a", 0.3), null, List.of());
        assertEquals(Violation.Kind.NO_RULE, v.get(0).kind());
    }

    @Test
    void aBaselineWithoutRulesIsJudgedByTheDefaultRule() {
        List<GateRule> rules = GateRule.effective(List.of(), true);
        assertEquals(List.of(GateRule.DEFAULT_BASELINE_RULE), rules);
        // Everything in the baseline raised to 0.99: the run falls far below it.
        List<Violation> v = BaselineGate.evaluate(seeds("a", 0.30, 0.31), seeds("a", 0.99), rules);
        assertEquals(1, v.size());
        assertEquals(Violation.Kind.DROP_OVER_LIMIT, v.get(0).kind());
        // What it lets through: a drop that 3 standard errors of the seeds explain (0.0520 here).
        assertTrue(BaselineGate.evaluate(seeds("a", 0.29, 0.31), seeds("a", 0.32), rules).isEmpty());
        assertEquals(List.of(), GateRule.effective(List.of(), false), "no baseline, no rules: nothing is made up");
    }

    @Test
    void theDefaultRuleOnTheCiProtocolsMeasuredNumbers() {
        // docs/regression-tracking.md: resnext-seed on the ci protocol, seeds 42-47 (std 0.0067), each run one seed.
        List<GateRule> rules = GateRule.effective(List.of(), true);
        List<ResultRow> baseline = seeds("resnext-seed", 0.5289, 0.5272, 0.5255, 0.5242, 0.5374, 0.5405);
        BaselineGate.Result unchanged = BaselineGate.check(seeds("resnext-seed", 0.5289), baseline, "b.csv", rules);
        assertTrue(unchanged.passed(), unchanged.violations().toString());
        // Six seeds of std 0.0067: 3 standard errors of one seed against them (0.0218) exceed the 2-point floor.
        assertEquals(List.of("resnext-seed: test accuracy 0.5289 (seed 42); baseline 0.5306 (-0.0017), allowed drop"
                + " max(maxDrop 0.02, 3 x SE 0.0073 = 0.0218) = 0.0218, allowed rise max(maxRise 0.02, 3 x SE 0.0073"
                + " = 0.0218) = 0.0218: ok"), unchanged.checked());
        // The learning rate x 0.1: 15 points down.
        assertEquals(Violation.Kind.DROP_OVER_LIMIT, BaselineGate.evaluate(seeds("resnext-seed", 0.3752), baseline,
                rules).get(0).kind());
        // Half the width (1.7 points down) and augmentation off (0.9 up) are within one seed's noise: let through.
        assertTrue(BaselineGate.evaluate(seeds("resnext-seed", 0.5137), baseline, rules).isEmpty());
        assertTrue(BaselineGate.evaluate(seeds("resnext-seed", 0.5396), baseline, rules).isEmpty());
        // A rise past the band fails too, so the baseline cannot go stale unnoticed.
        List<Violation> rise = BaselineGate.evaluate(seeds("resnext-seed", 0.56), baseline, rules);
        assertEquals(1, rise.size());
        assertEquals(Violation.Kind.RISE_OVER_LIMIT, rise.get(0).kind());
        assertEquals("resnext-seed: test accuracy 0.56 (seed 42) rose 0.0294 above baseline 0.5306 (baseline);"
                + " allowed rise max(maxRise 0.02, 3 x SE 0.0073 = 0.0218) = 0.0218. A change this large means the"
                + " benchmark now measures something else (network, data, protocol or libraries); if it is"
                + " intended, record the new level with -Dcnn.updateBaseline=true so that later drops are measured"
                + " from it", rise.get(0).message());
        // A noisy protocol widens its own band: the sample IT's seeds (0.26-0.30) let a 2-point drop through
        // (3 x SE = 0.07), not a 15-point one.
        List<ResultRow> noisy = seeds("resnext-seed", 0.304, 0.262);
        assertTrue(BaselineGate.evaluate(seeds("resnext-seed", 0.25, 0.27), noisy, rules).isEmpty());
        assertEquals(1, BaselineGate.evaluate(seeds("resnext-seed", 0.15, 0.124), noisy, rules).size());
    }

    @Test
    void aRiseIsJudgedOnlyWhereARuleLimitsIt() {
        List<ResultRow> baseline = seeds("a", 0.50, 0.50, 0.50);
        assertTrue(BaselineGate.evaluate(seeds("a", 0.60), baseline, List.of(new GateRule("a", null, 0.01, null)))
                .isEmpty(), "a maxDrop rule alone lets any rise through");
        List<Violation> v = BaselineGate.evaluate(seeds("a", 0.52), baseline,
                List.of(new GateRule("a", null, null, 0.01, null)));
        assertEquals(Violation.Kind.RISE_OVER_LIMIT, v.get(0).kind());
        assertEquals(0.01, v.get(0).limit(), 1e-12);
        assertTrue(BaselineGate.evaluate(seeds("a", 0.51), baseline, List.of(new GateRule("a", null, null, 0.01,
                null))).isEmpty(), "exactly at the limit passes");
        assertEquals(Violation.Kind.MISSING_BASELINE, BaselineGate.evaluate(seeds("a", 0.51), null,
                List.of(new GateRule("a", null, null, 0.01, null))).get(0).kind(), "maxRise needs a baseline");
    }

    @Test
    void aBaselineLackingTheArchitectureFailsUnlessItIsAdmittedExplicitly() {
        List<GateRule> rules = List.of(new GateRule("*", null, 0.02, null));
        BaselineGate.Result r = BaselineGate.check(seeds("new-arch", 0.3), seeds("new-arch-other", 0.5), "b.csv",
                rules, new GateScope(Set.of("new-arch"), List.of()));
        assertEquals(1, r.violations().size(), r.violations().toString());
        Violation v = r.violations().get(0);
        assertEquals(Violation.Kind.MISSING_BASELINE, v.kind());
        assertTrue(v.message().contains("b.csv has no row for new-arch")
                && v.message().contains("<allowMissingBaseline>new-arch</allowMissingBaseline>"), v.message());

        BaselineGate.Result admitted = BaselineGate.check(seeds("new-arch", 0.3), seeds("new-arch-other", 0.5),
                "b.csv", rules, new GateScope(Set.of("new-arch"), List.of("new-*")));
        assertTrue(admitted.passed(), admitted.violations().toString());
        assertTrue(admitted.warnings().get(0).contains("admitted by allowMissingBaseline"), admitted.warnings()
                .toString());
        // Admission waives only the missing baseline, never a minimum.
        assertEquals(Violation.Kind.BELOW_MINIMUM, BaselineGate.check(seeds("new-arch", 0.3), seeds("x", 0.5), "b.csv",
                List.of(new GateRule("*", 0.5, 0.02, null)), new GateScope(Set.of("new-arch"), List.of("new-arch")))
                .violations().get(0).kind());
    }

    @Test
    void aBaselineWithoutTheAccuracyColumnFails() {
        ResultRow noAccuracy = new ResultRow().set(ResultColumn.ARCHITECTURE, "a").set(ResultColumn.SEED, 42)
                .set(ResultColumn.STATUS, ResultRow.OK);
        List<Violation> v = BaselineGate.evaluate(seeds("a", 0.3), List.of(noAccuracy),
                List.of(new GateRule("a", null, 0.02, null)));
        assertEquals(Violation.Kind.MISSING_BASELINE, v.get(0).kind());
        assertTrue(v.get(0).message().contains("no test accuracy for a"), v.get(0).message());
    }

    @Test
    void aMaxDropWithoutAnyBaselineFails() {
        List<Violation> v = BaselineGate.evaluate(seeds("a", 0.3), null, List.of(new GateRule("a", null, 0.02, null)));
        assertEquals(Violation.Kind.MISSING_BASELINE, v.get(0).kind());
    }

    @Test
    void theSelectionDecidesWhatMustHaveARowAndWhatIsNotJudged() {
        List<GateRule> rules = List.of(new GateRule("a", 0.2, null, null), new GateRule("b", 0.2, null, null));
        // b is not selected: its rule is not judged, and the baseline's b is not missing.
        BaselineGate.Result r = BaselineGate.check(seeds("a", 0.3), seeds("b", 0.3), "b.csv", rules,
                new GateScope(Set.of("a"), List.of()));
        assertTrue(r.passed(), r.violations().toString());
        assertTrue(r.checked().contains("b: not selected in this run (cnn.architectures), not judged"), r.checked()
                .toString());
        // Selected but absent fails; a baseline architecture missing from an unscoped check fails too.
        assertEquals(Violation.Kind.MISSING_RESULT, BaselineGate.check(seeds("a", 0.3), null, "b.csv", rules,
                new GateScope(Set.of("a", "c"), List.of())).violations().stream()
                .filter(x -> x.architecture().equals("c")).findFirst().orElseThrow().kind());
        assertTrue(BaselineGate.check(seeds("a", 0.3), seeds("c", 0.3), "b.csv",
                List.of(new GateRule("a", 0.2, null, null))).violations().stream()
                .anyMatch(x -> x.message().startsWith("c: b.csv has it, but this run has no result")));
    }

    @Test
    void oneFailedSeedFailsTheArchitectureEvenWhenTheOthersPass() {
        List<ResultRow> rows = new ArrayList<>(seeds("a", 0.3, 0.3));
        rows.add(new ResultRow().set(ResultColumn.ARCHITECTURE, "a").set(ResultColumn.SEED, 44)
                .set(ResultColumn.STATUS, ResultRow.FAILED).set(ResultColumn.MESSAGE, "killed by signal 9"));
        List<Violation> v = BaselineGate.evaluate(rows, null, List.of(new GateRule("a", 0.2, null, null)));
        assertEquals(1, v.size());
        assertTrue(v.get(0).message().contains("seed 44 failed: killed by signal 9"), v.get(0).message());
    }

    @Test
    void rulesRejectNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new GateRule("", 0.1, null, null));
        assertThrows(IllegalArgumentException.class, () -> new GateRule("a", 20.0, null, null));
        assertThrows(IllegalArgumentException.class, () -> new GateRule("a", null, -0.1, null));
        assertThrows(IllegalArgumentException.class, () -> new GateRule("a", null, null, 1.5, null));
        assertThrows(IllegalArgumentException.class, () -> new GateRule("a", null, null, null));
        assertThrows(IllegalArgumentException.class, () -> new GateRule("*", null, null, 3.0), "stdDevs alone judges"
                + " nothing");
        assertTrue(new GateRule("mobile?et*", 0.1, null, null).matches("mobilenetv3-small"));
        assertTrue(!new GateRule("mobile.*", 0.1, null, null).matches("mobilenet"), "a dot is literal");
    }

    @Test
    void updatingTheBaselineKeepsArchitecturesThisRunDidNotProduce() throws Exception {
        Path baseline = dir.resolve("cnn-baseline.csv");
        List<ResultRow> first = new ArrayList<>(seeds("a", 0.30));
        first.addAll(seeds("b", 0.40));
        assertEquals(List.of("a", "b"), Baseline.update(baseline, first));

        ResultRow failedB = new ResultRow().set(ResultColumn.ARCHITECTURE, "b").set(ResultColumn.SEED, 42)
                .set(ResultColumn.STATUS, ResultRow.FAILED);
        List<ResultRow> second = new ArrayList<>(seeds("a", 0.20, 0.22));
        second.add(failedB);
        second.addAll(seeds("c", 0.5));
        assertEquals(List.of("a", "c"), Baseline.update(baseline, second));

        Summary s = Summary.of(Baseline.read(baseline));
        assertEquals(List.of("b", "a", "c"), s.architectureNames());
        assertEquals(0.40, s.get("b").testAccuracy().mean(), 1e-12, "b failed this time: its baseline stays");
        assertEquals(0.21, s.get("a").testAccuracy().mean(), 1e-12);
        assertEquals(2, s.get("a").runs().size());
        assertTrue(BaselineGate.check(second, Baseline.read(baseline), "b.csv",
                List.of(new GateRule("a", null, 0.0, 0.0)), new GateScope(Set.of("a"), List.of())).passed(),
                "a run passes the baseline it wrote");
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary files left beside the baseline");
        }
    }

    @Test
    void aFailedRunFailsEvenWhereNoRuleApplies() {
        ResultRow failed = new ResultRow().set(ResultColumn.ARCHITECTURE, "b").set(ResultColumn.SEED, 42)
                .set(ResultColumn.STATUS, ResultRow.FAILED).set(ResultColumn.MESSAGE, "killed");
        List<ResultRow> rows = new ArrayList<>(seeds("a", 0.3));
        rows.add(failed);
        List<Violation> v = BaselineGate.check(rows, null, "b.csv", List.of(new GateRule("a", 0.2, null, null)),
                new GateScope(Set.of("a", "b"), List.of())).violations();
        assertEquals(1, v.size(), v.toString());
        assertTrue(v.get(0).message().startsWith("b: a run failed"), v.get(0).message());
    }

    @Test
    void anAccuracyThatIsNotAFractionFails() throws Exception {
        Path file = dir.resolve("results.csv");
        Files.writeString(file, "architecture,seed,status,test_accuracy,run_id\na,42,ok,Infinity,r\n");
        CsvFormatException e = assertThrows(CsvFormatException.class, () -> RunFiles.readResults(file));
        assertTrue(e.getMessage().contains("must be a finite number"), e.getMessage());
        Files.writeString(file, "architecture,seed,status,test_accuracy,run_id\na,42,ok,1.5,r\n");
        List<ResultRow> rows = RunFiles.readResults(file);
        List<Violation> v = BaselineGate.evaluate(rows, null, List.of(new GateRule("a", 0.2, null, null)));
        assertTrue(v.stream().anyMatch(x -> x.message().contains("not a fraction")), v.toString());
    }

    @Test
    void anOkSeedWithoutAnAccuracyFailsInsteadOfLeavingTheMeanToTheOthers() throws Exception {
        Path file = dir.resolve("results.csv");
        Files.writeString(file, "architecture,seed,status,test_accuracy,run_id\na,42,ok,,r\na,43,ok,0.9,r\n");
        List<Violation> v = BaselineGate.evaluate(RunFiles.readResults(file), null,
                List.of(new GateRule("a", 0.5, null, null)));
        assertEquals(1, v.size(), v.toString());
        assertEquals(Violation.Kind.NO_SUCCESSFUL_RUN, v.get(0).kind());
        assertTrue(v.get(0).message().contains("seed 42 is marked ok but has no test_accuracy"), v.get(0).message());
    }

    @Test
    void aPatternRuleForArchitecturesThisRunDidNotSelectIsNotJudged() {
        BaselineGate.Result r = BaselineGate.check(seeds("mobilenetv3-small", 0.3), null, "b.csv",
                List.of(new GateRule("resnext*", 0.2, null, null), new GateRule("mobilenet*", 0.2, null, null)),
                new GateScope(Set.of("mobilenetv3-small"), List.of()));
        assertTrue(r.passed(), r.violations().toString());
    }

    @Test
    void aBaselineHandedOverInMemoryWithAnOverflowingSpreadIsJudgedNotThrown() {
        // Baseline.read refuses such values in files; an API caller's rows must still get a verdict, not a crash.
        BaselineGate.Result r = BaselineGate.check(seeds("a", 0.1), seeds("a", 0.5, 1e200), "b.csv",
                List.of(GateRule.DEFAULT_BASELINE_RULE));
        assertTrue(r.checked().size() + r.violations().size() > 0, r.toString());
        assertEquals("NaN", BaselineGate.fmt(Double.NaN));
        assertEquals("Infinity", BaselineGate.fmt(Double.POSITIVE_INFINITY));
        assertEquals("0.5306", BaselineGate.fmt(0.53064));
    }

    private static List<ResultRow> under(String protocol, List<ResultRow> rows) {
        rows.forEach(r -> r.set(ResultColumn.PROTOCOL, protocol));
        return rows;
    }

    @Test
    void aBaselineMeasuredUnderAnotherProtocolIsNotComparedAndTheDifferenceIsNamed() {
        String ci = "cnn.epochs=default,cnn.protocol=ci,cnn.trainLimit=24000";
        List<GateRule> rules = List.of(GateRule.DEFAULT_BASELINE_RULE);
        // What it lets through: the same accuracy, measured the same way.
        assertTrue(BaselineGate.check(under(ci, seeds("a", 0.53)), under(ci, seeds("a", 0.52, 0.53, 0.54)), "b.csv",
                rules).passed());
        // The same accuracy measured with one epoch instead of the baseline's is not evidence about the code.
        BaselineGate.Result other = BaselineGate.check(
                under("cnn.epochs=1,cnn.protocol=ci,cnn.trainLimit=24000", seeds("a", 0.53)),
                under(ci, seeds("a", 0.52, 0.53, 0.54)), "b.csv", rules);
        assertEquals(1, other.violations().size());
        assertEquals(Violation.Kind.PROTOCOL_MISMATCH, other.violations().get(0).kind());
        assertTrue(other.violations().get(0).message().startsWith("a: measured under another protocol than b.csv"
                + " (cnn.epochs=1 (baseline: default)), so the accuracies are not comparable"), other.toString());
        // A baseline from before the column: compared, with a warning that says so.
        BaselineGate.Result old = BaselineGate.check(under(ci, seeds("a", 0.53)), seeds("a", 0.52, 0.53, 0.54),
                "b.csv", rules);
        assertTrue(old.passed(), old.violations().toString());
        assertTrue(old.warnings().stream().anyMatch(w -> w.startsWith("a: b.csv does not record the protocol")),
                old.warnings().toString());
        // A run that does not say how it was measured, or a baseline whose seeds disagree on it, is not compared.
        assertEquals(Violation.Kind.PROTOCOL_MISMATCH, BaselineGate.check(seeds("a", 0.53),
                under(ci, seeds("a", 0.52, 0.53)), "b.csv", rules).violations().get(0).kind());
        List<ResultRow> mixed = under(ci, seeds("a", 0.52, 0.53));
        mixed.get(1).set(ResultColumn.PROTOCOL, "cnn.epochs=1");
        assertTrue(BaselineGate.check(under(ci, seeds("a", 0.53)), mixed, "b.csv", rules).violations().get(0)
                .message().contains("b.csv's seeds were measured under 2 different protocols"));
        // A seed without a protocol beside seeds with one does not borrow theirs, on either side.
        List<ResultRow> partlyRecorded = under(ci, seeds("a", 0.52, 0.53));
        partlyRecorded.get(1).set(ResultColumn.PROTOCOL, "");
        BaselineGate.Result partRun = BaselineGate.check(partlyRecorded, under(ci, seeds("a", 0.52, 0.53, 0.54)),
                "b.csv", rules);
        assertEquals(Violation.Kind.PROTOCOL_MISMATCH, partRun.violations().get(0).kind(), partRun.toString());
        assertTrue(partRun.violations().get(0).message().contains("this run's seed 43 does not record the protocol"),
                partRun.violations().get(0).message());
        List<ResultRow> partlyRecordedBase = under(ci, seeds("a", 0.52, 0.53, 0.54));
        partlyRecordedBase.get(0).set(ResultColumn.PROTOCOL, "");
        assertTrue(BaselineGate.check(under(ci, seeds("a", 0.53)), partlyRecordedBase, "b.csv", rules).violations()
                .get(0).message().contains("b.csv's seed 42 does not record the protocol"));
    }
}
