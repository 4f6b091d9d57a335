package io.cnnbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cnn-history.csv: appending, reading back, refusing what is not a history file. */
class HistoryTest {
    @TempDir
    Path dir;

    static HistoryEntry entry(String commit, String architecture, int seeds, double mean, double std) {
        return new HistoryEntry(Instant.parse("2025-03-0" + (commit.length() % 9 + 1) + "T10:15:30Z"), commit,
                "main", "ci-runner", "quick", "f1e2d3", architecture, seeds, mean, std, 412.5, "run-" + commit);
    }

    @Test
    void appendCreatesTheFileWithItsHeaderThenAddsLines() throws Exception {
        Path file = dir.resolve(History.FILE);
        HistoryEntry first = entry("a1b2c3d4e5", "resnext", 3, 0.52, 0.011);
        HistoryEntry second = entry("0f0f0f0f0f", "resnext", 1, 0.55, Double.NaN);
        History.append(file, List.of(first));
        History.append(file, List.of(second));
        List<String> lines = Files.readAllLines(file);
        assertEquals(List.of(
                "date,commit,branch,machine,protocol,fingerprint,architecture,seeds,mean_test_accuracy,"
                        + "std_test_accuracy,train_images_per_second,run_id",
                "2025-03-02T10:15:30Z,a1b2c3d4e5,main,ci-runner,quick,f1e2d3,resnext,3,0.520000,0.0110000,412.500,"
                        + "run-a1b2c3d4e5",
                "2025-03-02T10:15:30Z,0f0f0f0f0f,main,ci-runner,quick,f1e2d3,resnext,1,0.550000,,412.500,"
                        + "run-0f0f0f0f0f"), lines);
        assertEquals(List.of(first, second).toString(), History.read(file).toString());
        assertTrue(Double.isNaN(History.read(file).get(1).stdTestAccuracy()), "std of one seed reads as NaN");
        try (Stream<Path> files = Files.list(dir)) {
            // Only the file and the (empty, hidden) lock file the appends take turns on.
            assertEquals(List.of(file), files.filter(f -> !f.getFileName().toString().endsWith(".lock")).toList(),
                    "no temporary file is left behind");
        }
    }

    @Test
    void anEntryOfARunAlreadyInTheFileIsNotAppendedAgain() throws Exception {
        Path file = dir.resolve(History.FILE);
        HistoryEntry resnext = entry("a1b2c3d4e5", "resnext", 3, 0.52, 0.011);
        assertEquals(List.of(resnext), History.append(file, List.of(resnext)));
        String once = Files.readString(file);
        // The same run again (cnn:report merging the same shards twice) adds nothing and leaves the file as it was.
        assertEquals(List.of(), History.append(file, List.of(resnext)));
        assertEquals(once, Files.readString(file));
        // What it lets through: another architecture of the same run, the same architecture of another run, and
        // entries without a run id (nothing says they are the same run).
        HistoryEntry mobilenet = entry("a1b2c3d4e5", "mobilenetv3-small", 3, 0.50, 0.01);
        HistoryEntry nextRun = entry("0f0f0f0f0f", "resnext", 3, 0.53, 0.01);
        HistoryEntry noId = new HistoryEntry(resnext.date(), "abc", "main", "m", "quick", "fp", "resnext", 1, 0.5,
                Double.NaN, Double.NaN, "");
        assertEquals(List.of(mobilenet, nextRun, noId, noId),
                History.append(file, List.of(resnext, mobilenet, nextRun, noId, noId)));
        assertEquals(5, History.read(file).size());
    }

    private static HistoryEntry ofRun(String architecture, String runId) {
        return new HistoryEntry(Instant.parse("2025-03-01T10:15:30Z"), "abc", "main", "ci-runner", "quick", "fp",
                architecture, 3, 0.52, 0.01, 412.5, runId);
    }

    @Test
    void aMergeSharingSomeShardsWithALineAlreadyThereIsRefusedWholeAndNamesIt() throws Exception {
        Path file = dir.resolve(History.FILE);
        History.append(file, List.of(ofRun("resnext", "s1+s2+s3"), ofRun("mobilenetv3-small", "s1+s2+s3")));
        String before = Files.readString(file);
        // Shard 2 rerun, then merged again: s1 and s3 would count in two points.
        History.SharedRunException e = assertThrows(History.SharedRunException.class, () -> History.append(file,
                List.of(ofRun("resnext", "s1+s2b+s3"), ofRun("mobilenetv3-small", "s1+s2b+s3"))));
        assertTrue(e.getMessage().startsWith("resnext: run s1+s2b+s3 shares a run with the line of run s1+s2+s3"
                + " (2025-03-01T10:15:30Z) in " + file), e.getMessage());
        assertEquals(before, Files.readString(file), "nothing is appended when any entry is refused");
        // What it lets through: the same shards in another order (the same run), a run sharing no shard, and a
        // shard's run id for another architecture.
        assertEquals(List.of(), History.append(file, List.of(ofRun("resnext", "s3+s1+s2"))));
        HistoryEntry next = ofRun("resnext", "t1+t2+t3");
        HistoryEntry otherArchitecture = ofRun("mobilenetv3-large", "s1+s2b+s3");
        assertEquals(List.of(next, otherArchitecture), History.append(file, List.of(next, otherArchitecture)));
    }

    @Test
    void textCellsAreNeutralisedAndReadBack() throws Exception {
        Path file = dir.resolve(History.FILE);
        HistoryEntry e = new HistoryEntry(Instant.parse("2025-01-01T00:00:00Z"), "abc", "=HYPERLINK(\"x\")",
                "@machine", "-quick", "+fp", "'quoted", 2, 0.5, 0.01, Double.NaN, "run");
        History.append(file, List.of(e));
        String text = Files.readString(file);
        assertTrue(text.contains("\"'=HYPERLINK(\"\"x\"\")\",'@machine,'-quick,'+fp,''quoted"), text);
        assertEquals(e, History.read(file).get(0));
    }

    @Test
    void aFileWithAnotherHeaderIsRefusedAndLeftAsItWas() throws Exception {
        Path file = dir.resolve(History.FILE);
        String results = "architecture,seed,test_accuracy\nresnext,42,0.5\n";
        Files.writeString(file, results);
        CsvFormatException e = assertThrows(CsvFormatException.class,
                () -> History.append(file, List.of(entry("abc", "resnext", 1, 0.5, Double.NaN))));
        assertEquals(file, e.file());
        assertEquals(1, e.line());
        assertEquals(1, e.column());
        assertTrue(e.getMessage().startsWith(file + ":1:1: not a cnn-history.csv file"), e.getMessage());
        assertEquals(results, Files.readString(file), "a refused append must not touch the file");

        Files.writeString(file, History.HEADER_LINE + ",extra\n");
        CsvFormatException extra = assertThrows(CsvFormatException.class, () -> History.read(file));
        assertEquals(13, extra.column(), extra.getMessage());
    }

    @Test
    void aMalformedCellIsReportedWithItsLineAndColumn() throws Exception {
        Path file = dir.resolve(History.FILE);
        History.append(file, List.of(entry("abc", "resnext", 1, 0.5, Double.NaN)));
        Files.writeString(file, Files.readString(file)
                + "yesterday,abc,main,m,quick,fp,resnext,1,0.5,,,run\n"
                + "2025-01-01T00:00:00Z,abc,main,m,quick,fp,resnext,1,half,,,run\n");
        CsvFormatException date = assertThrows(CsvFormatException.class, () -> History.read(file));
        assertEquals(file + ":3:1: date must be an ISO-8601 UTC time such as 2025-01-01T12:00:00Z, found"
                + " 'yesterday'", date.getMessage());
        List<String> lines = Files.readAllLines(file);
        Files.write(file, List.of(lines.get(0), lines.get(1), lines.get(3)));
        CsvFormatException mean = assertThrows(CsvFormatException.class, () -> History.read(file));
        assertEquals(file + ":3:9: column mean_test_accuracy must be a number, found 'half'", mean.getMessage());
    }

    @Test
    void aMeanInPerCentOrASpreadOutOfRangeIsRefusedWithItsLineAndColumn() throws Exception {
        Path file = dir.resolve(History.FILE);
        History.append(file, List.of(entry("abc", "resnext", 3, 0.5306, 0.0067)));
        String good = Files.readString(file);
        // What it lets through: the line as written, and a spread of zero.
        assertEquals(1, History.read(file).size());
        Files.writeString(file, good + "2025-01-01T00:00:00Z,abd,main,m,quick,fp,resnext,3,0.53,0,,run\n");
        assertEquals(2, History.read(file).size());
        Files.writeString(file, good + "2025-01-01T00:00:00Z,abd,main,m,quick,fp,resnext,3,53.06,0.67,,run\n");
        CsvFormatException percent = assertThrows(CsvFormatException.class, () -> History.read(file));
        assertTrue(percent.getMessage().startsWith(file + ":3:9: mean_test_accuracy must be a fraction in [0, 1],"
                + " found '53.06' (a percentage?)"), percent.getMessage());
        Files.writeString(file, good + "2025-01-01T00:00:00Z,abd,main,m,quick,fp,resnext,3,0.53,-1,,run\n");
        CsvFormatException negative = assertThrows(CsvFormatException.class, () -> History.read(file));
        assertTrue(negative.getMessage().startsWith(file + ":3:10: std_test_accuracy must be between 0 and 1"),
                negative.getMessage());
    }

    @Test
    void anEntryHoldsTheMeanAndSpreadOfTheSuccessfulSeeds() {
        Summary summary = Summary.of(List.of(
                SampleRuns.row("resnext", 42, 0.50).set(ResultColumn.TRAIN_IMAGES_PER_SECOND, 400),
                SampleRuns.row("resnext", 43, 0.52).set(ResultColumn.TRAIN_IMAGES_PER_SECOND, 420),
                new ResultRow().set(ResultColumn.ARCHITECTURE, "resnext").set(ResultColumn.SEED, 44)
                        .set(ResultColumn.STATUS, ResultRow.FAILED)));
        Instant now = Instant.parse("2025-05-05T05:05:05.123Z");
        HistoryEntry e = HistoryEntry.fromStats(summary.architectures().get(0), now, "c0ffee1234", "main", "box",
                "full", "fp", "run-7");
        assertEquals("resnext", e.architecture());
        assertEquals(2, e.seeds());
        assertEquals(0.51, e.meanTestAccuracy(), 1e-12);
        assertEquals(0.0141421356, e.stdTestAccuracy(), 1e-9);
        assertEquals(410, e.trainImagesPerSecond(), 1e-9);
        assertEquals(Instant.parse("2025-05-05T05:05:05Z"), e.date(), "to the second");
        assertEquals("c0ffee1", e.shortCommit());
    }
}
