package io.cnnbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed data files fail with the file, the line (header = 1) and the cell, and say what was expected. */
class RunFilesParsingTest {
    @TempDir
    Path dir;

    private Path file(String name, String content) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return f;
    }

    private static CsvFormatException assertLocated(Path file, long line, int column, Runnable read) {
        CsvFormatException e = assertThrows(CsvFormatException.class, read::run);
        assertEquals(file, e.file(), e.getMessage());
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(column, e.column(), e.getMessage());
        assertTrue(e.getMessage().startsWith(file + ":" + line + ":" + column + ": "), e.getMessage());
        return e;
    }

    @Test
    void resultsRoundTrip() {
        Path f = dir.resolve("results.csv");
        ResultRow row = SampleRuns.row("resnext-seed", 42, 0.2351).set(ResultColumn.MESSAGE, "a, \"quoted\"\nmessage");
        RunFiles.writeResults(f, List.of(row, SampleRuns.row("mobilenet", 7, 0.5)));
        List<ResultRow> back = RunFiles.readResults(f);
        assertEquals(2, back.size());
        assertEquals(0.2351, back.get(0).getDouble(ResultColumn.TEST_ACCURACY), 1e-12);
        assertEquals("a, \"quoted\"\nmessage", back.get(0).get(ResultColumn.MESSAGE));
        assertEquals("mobilenet", back.get(1).architecture());
    }

    @Test
    void aNonFiniteMeasurementIsWrittenAsNaNAndTheFileStaysReadable() {
        // A run whose validation loss was NaN in every epoch keeps +Infinity as its best; written as such, the
        // reader refused the whole file, and every other architecture's row with it.
        Path f = dir.resolve("results.csv");
        ResultRow diverged = SampleRuns.row("b", 42, 0.1).set(ResultColumn.BEST_VAL_LOSS, Double.POSITIVE_INFINITY)
                .set(ResultColumn.TEST_LOSS, Double.NEGATIVE_INFINITY);
        RunFiles.writeResults(f, List.of(SampleRuns.row("a", 42, 0.5), diverged));
        List<ResultRow> back = RunFiles.readResults(f);
        assertEquals(2, back.size());
        assertEquals("NaN", back.get(1).get(ResultColumn.BEST_VAL_LOSS));
        assertEquals("NaN", back.get(1).get(ResultColumn.TEST_LOSS));
        assertEquals(0.5, back.get(0).getDouble(ResultColumn.TEST_ACCURACY), 1e-12);
    }

    @Test
    void aNonNumericAccuracyNamesLineAndColumn() throws Exception {
        Path f = file("results.csv", "architecture,seed,status,test_accuracy\n"
                + "resnext-seed,42,ok,0.25\n"
                + "mobilenet,42,ok,0.2x5\n");
        CsvFormatException e = assertLocated(f, 3, 4, () -> RunFiles.readResults(f));
        assertTrue(e.getMessage().contains("test_accuracy must be a number, found '0.2x5'"), e.getMessage());
    }

    @Test
    void lineNumbersCountLinesNotRecordsWhenACellSpansLines() throws Exception {
        Path f = file("results.csv", "architecture,seed,status,message,test_accuracy\n"
                + "a,1,failed,\"line one\nline two\",\n"
                + "b,1,ok,,zero\n");
        assertLocated(f, 4, 5, () -> RunFiles.readResults(f));
    }

    @Test
    void aShortRowNamesTheFirstMissingCell() throws Exception {
        Path f = file("results.csv", "architecture,seed,status,test_accuracy\nresnext-seed,42\n");
        CsvFormatException e = assertLocated(f, 2, 3, () -> RunFiles.readResults(f));
        assertTrue(e.getMessage().contains("expected 4 cells"), e.getMessage());
    }

    @Test
    void anUnclosedQuoteIsFoundWhereItOpens() throws Exception {
        Path f = file("results.csv", "architecture,seed,status,test_accuracy\n"
                + "resnext-seed,42,ok,0.25\n"
                + "mobilenet,42,\"ok,0.3\n");
        CsvFormatException e = assertLocated(f, 3, 3, () -> RunFiles.readResults(f));
        assertTrue(e.getMessage().contains("never closed"), e.getMessage());
    }

    @Test
    void textAfterAClosingQuoteIsFound() throws Exception {
        Path f = file("results.csv", "architecture,seed,status,test_accuracy\n\"resnext\"seed,42,ok,0.25\n");
        assertLocated(f, 2, 1, () -> RunFiles.readResults(f));
    }

    @Test
    void aFileWithoutArchitectureColumnIsNotAResultsFile() throws Exception {
        Path f = file("results.csv", "name,accuracy\nx,0.2\n");
        CsvFormatException e = assertLocated(f, 1, 1, () -> RunFiles.readResults(f));
        assertTrue(e.getMessage().contains("not a results file"), e.getMessage());
    }

    @Test
    void aByteOrderMarkFromASpreadsheetIsSkipped() throws Exception {
        Path f = file("results.csv", "\uFEFFarchitecture,seed,status,test_accuracy,run_id\na,42,ok,0.5,r\n");
        List<ResultRow> rows = RunFiles.readResults(f);
        assertEquals(1, rows.size());
        assertEquals("a", rows.get(0).architecture());
        assertEquals("0.5", rows.get(0).get(ResultColumn.TEST_ACCURACY));
    }

    @Test
    void anEmptyArchitectureIsRejected() throws Exception {
        Path f = file("results.csv", "seed,architecture,test_accuracy\n42,,0.2\n");
        assertLocated(f, 2, 2, () -> RunFiles.readResults(f));
    }

    @Test
    void anEmptyFileSaysSo() throws Exception {
        Path f = file("results.csv", "");
        CsvFormatException e = assertLocated(f, 1, 1, () -> RunFiles.readResults(f));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void aMissingFileSaysItDoesNotExist() {
        Path f = dir.resolve("nowhere.csv");
        CsvFormatException e = assertThrows(CsvFormatException.class, () -> RunFiles.readResults(f));
        assertEquals(f + ": does not exist", e.getMessage());
    }

    @Test
    void historyCellsAreChecked() throws Exception {
        Path f = file("history.csv", "epoch,lr,train_loss,train_accuracy,val_loss,val_accuracy,seconds,"
                + "images_per_second\n1,0.001,2.3,0.1,2.2,0.12,5,400\n2,0.001,2.1,oops,2.0,0.2,5,400\n");
        CsvFormatException e = assertLocated(f, 3, 4, () -> RunFiles.readHistory(f));
        assertTrue(e.getMessage().contains("train_accuracy must be a number"), e.getMessage());
    }

    @Test
    void confusionRoundTripAndChecks() throws Exception {
        Path f = dir.resolve("confusion.csv");
        RunFiles.writeConfusion(f, List.of("cat", "dog"), new long[][] {{5, 1}, {2, 7}});
        ConfusionMatrix m = RunFiles.readConfusionMatrix(f);
        assertEquals(List.of("cat", "dog"), m.classNames());
        assertEquals(7, m.counts()[1][1]);

        Path bad = file("bad.csv", "actual\\predicted,cat,dog\ncat,5,1\ndog,2,-7\n");
        assertLocated(bad, 3, 3, () -> RunFiles.readConfusionMatrix(bad));
        Path missingRow = file("short.csv", "actual\\predicted,cat,dog\ncat,5,1\n");
        assertLocated(missingRow, 3, 1, () -> RunFiles.readConfusionMatrix(missingRow));
    }

    @Test
    void perClassRoundTrip() {
        Path f = dir.resolve("per_class.csv");
        RunFiles.writePerClass(f, List.of("cat", "dog"), new long[][] {{3, 1}, {0, 0}});
        List<ClassAccuracy> back = RunFiles.readPerClass(f);
        assertEquals(new ClassAccuracy("cat", 3, 4, 0.75), back.get(0));
        assertTrue(Double.isNaN(back.get(1).accuracy()), "a class without images has no accuracy");
    }

    @Test
    void malformedSummaryBaselineNamesLineAndColumn() throws Exception {
        Path f = file("baseline.csv", "architecture,runs,ok_runs,seeds,test_accuracy_mean,test_accuracy_std\n"
                + "resnext-seed,3,3,42 43 44,0.25,0.01\n"
                + "mobilenet,3,3,42 43 44,high,0.01\n");
        CsvFormatException e = assertLocated(f, 3, 5, () -> Baseline.read(f));
        assertTrue(e.getMessage().contains("test_accuracy must be a number"), e.getMessage());
    }
}
