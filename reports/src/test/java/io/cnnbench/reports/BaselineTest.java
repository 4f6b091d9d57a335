package io.cnnbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A baseline is read only when every value the gate would compare with is one: a successful row's test accuracy a
 * fraction in [0, 1], each training run once. Anything else moves or widens the band without a word.
 */
class BaselineTest {
    private static final String HEADER = "architecture,seed,status,test_accuracy,run_id\n";
    private static final List<GateRule> DEFAULT_RULE = GateRule.effective(List.of(), true);

    @TempDir
    Path dir;

    private Path file(String content) throws Exception {
        Path f = dir.resolve("cnn-baseline.csv");
        Files.writeString(f, content);
        return f;
    }

    private static CsvFormatException assertLocated(Path file, long line, int column, Runnable read) {
        CsvFormatException e = assertThrows(CsvFormatException.class, read::run);
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(column, e.column(), e.getMessage());
        assertTrue(e.getMessage().startsWith(file + ":" + line + ":" + column + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("-Dcnn.updateBaseline=true"), "says what to do: " + e.getMessage());
        return e;
    }

    /** The gate's verdict on a run at {@code accuracy} (seeds 45-47) against the baseline file. */
    private static boolean passes(Path baseline, double accuracy) {
        List<ResultRow> run = List.of(SampleRuns.row("resnext-seed", 45, accuracy),
                SampleRuns.row("resnext-seed", 46, accuracy), SampleRuns.row("resnext-seed", 47, accuracy));
        return BaselineGate.check(run, Baseline.read(baseline), "cnn-baseline.csv", DEFAULT_RULE).passed();
    }

    @Test
    void aBaselineOfFractionsJudgesAChanceRunAndPassesAnUnchangedOne() throws Exception {
        Path f = file(HEADER + "resnext-seed,42,ok,0.5289,r\nresnext-seed,43,ok,0.5272,r\n"
                + "resnext-seed,44,ok,0.5255,r\nresnext-seed,45,failed,NaN,r\nresnext-seed,,failed,,r\n");
        assertEquals(5, Baseline.read(f).size(), "failed rows may lack an accuracy and a seed");
        assertTrue(passes(f, 0.53));
        assertTrue(!passes(f, 0.10), "chance accuracy fails the default rule");
    }

    @Test
    void aSeedWrittenAsAPercentageIsRefusedWhereItIs() throws Exception {
        // Read as it stands, the mean would be 18.37 and a run at chance (0.10) would pass the default rule.
        Path f = file(HEADER + "resnext-seed,42,ok,0.5289,r\nresnext-seed,43,ok,54.05,r\nresnext-seed,44,ok,0.5255,r\n");
        CsvFormatException e = assertLocated(f, 3, 4, () -> Baseline.read(f));
        assertTrue(e.getMessage().contains("fraction in [0, 1], found '54.05'"), e.getMessage());
        assertThrows(CsvFormatException.class, () -> passes(f, 0.10));
    }

    @Test
    void aNegativeNanEmptyOrHugeAccuracyOfASuccessfulRowIsRefused() throws Exception {
        for (String value : List.of("-0.5272", "NaN", "1e200", "1.0001")) {
            Path f = file(HEADER + "resnext-seed,42,ok,0.5289,r\nresnext-seed,43,ok," + value + ",r\n");
            CsvFormatException e = assertLocated(f, 3, 4, () -> Baseline.read(f));
            assertTrue(e.getMessage().contains("found '" + value + "'"), e.getMessage());
        }
        Path empty = file(HEADER + "resnext-seed,42,ok,0.5289,r\nresnext-seed,43,ok,,r\n");
        CsvFormatException e = assertLocated(empty, 3, 4, () -> Baseline.read(empty));
        assertTrue(e.getMessage().contains("no test_accuracy"), e.getMessage());
        // The ends of the range are fractions.
        assertEquals(2, Baseline.read(file(HEADER + "a,42,ok,0,r\na,43,ok,1.0,r\n")).size());
    }

    @Test
    void aBaselineWithoutTheAccuracyColumnIsRefusedAtItsHeader() throws Exception {
        Path f = file("architecture,seed,status\nresnext-seed,42,ok\n");
        CsvFormatException e = assertLocated(f, 1, 1, () -> Baseline.read(f));
        assertTrue(e.getMessage().contains("no test_accuracy column"), e.getMessage());
        assertEquals(1, Baseline.read(file("architecture,seed,status\nresnext-seed,42,failed\n")).size(),
                "a baseline of failed rows only has nothing to compare, and says so at the gate");
    }

    @Test
    void aTrainingRunTwiceIsRefusedAtItsSecondRow() throws Exception {
        Path f = file(HEADER + "resnext-seed,42,ok,0.5289,r\nresnext-seed,43,ok,0.5272,r\nresnext-seed,42,ok,0.40,r\n");
        CsvFormatException e = assertLocated(f, 4, 2, () -> Baseline.read(f));
        assertTrue(e.getMessage().contains("resnext-seed seed 42") && e.getMessage().contains("line 2"),
                e.getMessage());
        // The same seed of another architecture, and rows that record no seed, are not repeats.
        assertEquals(4, Baseline.read(file(HEADER + "a,42,ok,0.5,r\nb,42,ok,0.5,r\nc,,ok,0.5,r\nc,,ok,0.6,r\n"))
                .size());
    }

    @Test
    void aSummaryIsCheckedTheSameWay() throws Exception {
        String header = "architecture,runs,ok_runs,seeds,test_accuracy_mean,test_accuracy_std\n";
        assertEquals(2, Baseline.read(file(header + "a,3,3,42 43 44,0.52,0.01\nb,1,0,42,,\n")).size(),
                "an architecture without a successful run needs no mean, one seed no std");
        Path percent = file(header + "a,3,3,42 43 44,52.1,0.01\n");
        assertLocated(percent, 2, 5, () -> Baseline.read(percent));
        Path missing = file(header + "a,3,2,42 43 44,,\n");
        assertLocated(missing, 2, 5, () -> Baseline.read(missing));
        Path twice = file(header + "a,3,3,42 43 44,0.52,0.01\na,3,3,45 46 47,0.30,0.01\n");
        CsvFormatException e = assertLocated(twice, 3, 1, () -> Baseline.read(twice));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        for (String std : List.of("-0.01", "NaN")) {
            Path f = file(header + "a,3,3,42 43 44,0.52," + std + "\n");
            CsvFormatException s = assertLocated(f, 2, 6, () -> Baseline.read(f));
            assertTrue(s.getMessage().contains("found '" + std + "'"), s.getMessage());
        }
    }

    @Test
    void anUpdateWritesNothingWhenARowOfItWouldBeRefused() throws Exception {
        String before = HEADER + "resnext-seed,42,ok,0.5289,r\nmobilenet,42,ok,0.50,r\n";
        Path f = file(before);
        List<List<ResultRow>> refused = List.of(
                List.of(SampleRuns.row("resnext-seed", 43, 0.53), SampleRuns.row("resnext-seed", 44, Double.NaN)),
                List.of(SampleRuns.row("resnext-seed", 43, 1.7)),
                List.of(SampleRuns.row("resnext-seed", 43, 0.53), SampleRuns.row("resnext-seed", 43, 0.52)),
                List.of(new ResultRow().set(ResultColumn.ARCHITECTURE, "resnext-seed").set(ResultColumn.SEED, 43)
                        .set(ResultColumn.STATUS, ResultRow.OK)));
        for (List<ResultRow> results : refused) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Baseline.update(f, results));
            assertTrue(e.getMessage().contains("resnext-seed seed 4"), e.getMessage());
            assertEquals(before, Files.readString(f), "the baseline is left as it was");
        }
        // A failed row is not written, so its NaN stands in no one's way.
        assertEquals(List.of("resnext-seed"), Baseline.update(f, List.of(SampleRuns.row("resnext-seed", 43, 0.53),
                new ResultRow().set(ResultColumn.ARCHITECTURE, "resnext-seed").set(ResultColumn.SEED, 44)
                        .set(ResultColumn.STATUS, ResultRow.FAILED).set(ResultColumn.TEST_ACCURACY, "NaN"))));
        assertEquals(0.53, Summary.of(Baseline.read(f)).get("resnext-seed").testAccuracy().mean(), 1e-12);
    }

    @Test
    void anUpdateReplacesABadRowOfItsArchitectureButKeepsNoBadRowOfAnother() throws Exception {
        Path f = file(HEADER + "resnext-seed,42,ok,54.05,r\nmobilenet,42,ok,0.50,r\n");
        assertEquals(List.of("resnext-seed"), Baseline.update(f, List.of(SampleRuns.row("resnext-seed", 42, 0.5289))));
        assertEquals(2, Baseline.read(f).size(), "rewritten, the file reads");

        String before = HEADER + "resnext-seed,42,ok,0.5289,r\nmobilenet,42,ok,-0.5,r\n";
        Files.writeString(f, before);
        assertLocated(f, 3, 4, () -> Baseline.update(f, List.of(SampleRuns.row("resnext-seed", 42, 0.53))));
        assertEquals(before, Files.readString(f), "the baseline is left as it was");
    }
}
