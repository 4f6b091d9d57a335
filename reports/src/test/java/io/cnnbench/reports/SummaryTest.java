package io.cnnbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SummaryTest {
    @TempDir
    Path dir;

    @Test
    void meanAndSampleStandardDeviation() {
        Statistic s = Statistic.of(Arrays.asList(0.20, 0.22, 0.24));
        assertEquals(3, s.count());
        assertEquals(0.22, s.mean(), 1e-12);
        // Sample (n - 1) standard deviation: sqrt((0.02^2 + 0 + 0.02^2) / 2) = 0.02.
        assertEquals(0.02, s.std(), 1e-12);
    }

    @Test
    void oneValueHasNoStandardDeviationAndEmptyCellsAreSkipped() {
        Statistic s = Statistic.of(Arrays.asList(Double.NaN, 0.3));
        assertEquals(1, s.count());
        assertEquals(0.3, s.mean(), 1e-12);
        assertTrue(Double.isNaN(s.std()));
        assertEquals(0, s.stdOrZero());
        assertFalse(Statistic.of(List.of()).present());
    }

    @Test
    void groupsByArchitectureOverSuccessfulRuns() {
        List<ResultRow> rows = List.of(SampleRuns.row("b", 42, 0.50), SampleRuns.row("a", 42, 0.20),
                SampleRuns.row("a", 43, 0.24),
                new ResultRow().set(ResultColumn.ARCHITECTURE, "a").set(ResultColumn.SEED, 44)
                        .set(ResultColumn.STATUS, ResultRow.FAILED).set(ResultColumn.TEST_ACCURACY, 0.0));
        Summary summary = Summary.of(rows);
        assertEquals(List.of("b", "a"), summary.architectureNames(), "order of first appearance");
        ArchitectureStats a = summary.get("a");
        assertEquals(3, a.runs().size());
        assertEquals(2, a.okRuns().size(), "the failed seed is not averaged in");
        assertEquals(List.of("42", "43"), a.seeds());
        assertEquals(0.22, a.mean(ResultColumn.TEST_ACCURACY), 1e-12);
        assertEquals(Math.sqrt(0.0008), a.std(ResultColumn.TEST_ACCURACY), 1e-12);
    }

    @Test
    void summaryCsvHasMeanAndStdAndReadsBackAsABaseline() throws Exception {
        List<ResultRow> rows = List.of(
                SampleRuns.row("resnext-seed", 42, 0.20).set(ResultColumn.MACS, 40894720),
                SampleRuns.row("resnext-seed", 43, 0.22).set(ResultColumn.MACS, 40894720),
                SampleRuns.row("resnext-seed", 44, 0.24).set(ResultColumn.MACS, 40894720),
                SampleRuns.row("mobilenet", 42, 0.5));
        Path f = dir.resolve(Summary.FILE);
        Summary.of(rows).write(f);
        List<String> lines = Files.readAllLines(f);
        assertTrue(lines.get(0).startsWith("architecture,runs,ok_runs,seeds,trainable_params_mean,"
                + "trainable_params_std,macs_mean,macs_std"), lines.get(0));
        assertTrue(lines.get(0).contains(",test_accuracy_mean,test_accuracy_std,"), lines.get(0));
        assertTrue(lines.get(1).startsWith("resnext-seed,3,3,42 43 44,"), lines.get(1));
        assertTrue(lines.get(1).contains(",0.220000,0.0200000,"), lines.get(1));
        assertTrue(lines.get(2).contains(",0.500000,,"), "one seed: no std; " + lines.get(2));

        List<ResultRow> baseline = Baseline.read(f);
        assertEquals(2, baseline.size());
        assertEquals(0.22, baseline.get(0).getDouble(ResultColumn.TEST_ACCURACY), 1e-9);
        assertEquals(40894720, baseline.get(0).getDouble(ResultColumn.MACS), 1e-3);
        assertTrue(baseline.get(0).ok());
    }
}
