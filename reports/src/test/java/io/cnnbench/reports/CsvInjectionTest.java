package io.cnnbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CSV injection (OWASP): text cells that a spreadsheet would run as a formula are written with a leading quote,
 * numbers are not, and every reader takes exactly that quote off again.
 */
class CsvInjectionTest {
    /** Text that starts with each character OWASP lists, and with the quote itself. */
    static final List<String> FORMULAS = List.of("=HYPERLINK(\"http://evil\",\"x\")", "+1+cmd|' /C calc'!A0",
            "-2+3", "@SUM(A1:A9)", "\tindented", "\rcarriage", "'already quoted", "''two quotes", "plain", "a=b");

    @TempDir
    Path dir;

    @Test
    void resultsCsvNeutralisesTextCellsButNotNumbersAndReadsBackExactly() throws Exception {
        List<ResultRow> rows = new ArrayList<>();
        for (int i = 0; i < FORMULAS.size(); i++) {
            String f = FORMULAS.get(i);
            rows.add(new ResultRow().set(ResultColumn.ARCHITECTURE, f).set(ResultColumn.SEED, -i)
                    .set(ResultColumn.STATUS, f).set(ResultColumn.MESSAGE, f).set(ResultColumn.DEVICE, f)
                    .set(ResultColumn.ONNX_FILE, f).set(ResultColumn.ONNX_FORM, f)
                    .set(ResultColumn.TEST_ACCURACY, "-0.0012")
                    .set(ResultColumn.MACS, "+5").set(ResultColumn.TEST_LOSS, "-1.5e-3"));
        }
        Path file = dir.resolve(RunFiles.RESULTS);
        RunFiles.writeResults(file, rows);

        List<CSVRecord> raw = raw(file);
        for (int i = 0; i < FORMULAS.size(); i++) {
            CSVRecord r = raw.get(i + 1);
            for (ResultColumn c : List.of(ResultColumn.ARCHITECTURE, ResultColumn.STATUS, ResultColumn.MESSAGE,
                    ResultColumn.DEVICE, ResultColumn.ONNX_FILE, ResultColumn.ONNX_FORM)) {
                assertSafe(r.get(c.ordinal()), file + " " + c.header());
            }
            assertEquals("-0.0012", r.get(ResultColumn.TEST_ACCURACY.ordinal()), "numbers stay numbers");
            assertEquals("+5", r.get(ResultColumn.MACS.ordinal()));
            assertEquals("-1.5e-3", r.get(ResultColumn.TEST_LOSS.ordinal()));
            assertEquals(Long.toString(-i), r.get(ResultColumn.SEED.ordinal()));
        }
        assertEquals("'=HYPERLINK(\"http://evil\",\"x\")", raw.get(1).get(0));
        assertEquals("'''two quotes", raw.get(8).get(0));
        assertEquals("a=b", raw.get(10).get(0), "only the first character matters");

        List<ResultRow> back = RunFiles.readResults(file);
        for (int i = 0; i < FORMULAS.size(); i++) {
            for (ResultColumn c : ResultColumn.values()) {
                assertEquals(rows.get(i).get(c), back.get(i).get(c), c.header() + " of row " + i);
            }
        }
        assertEquals(-0.0012, back.get(0).getDouble(ResultColumn.TEST_ACCURACY));
    }

    @Test
    void summaryCsvNeutralisesArchitectureAndSeedsAndReadsBack() throws Exception {
        List<ResultRow> rows = new ArrayList<>();
        for (String f : FORMULAS) {
            rows.add(SampleRuns.row(f, -7, 0.5));
        }
        Path file = dir.resolve(Summary.FILE);
        Summary.of(rows).write(file);
        List<CSVRecord> raw = raw(file);
        for (int i = 0; i < FORMULAS.size(); i++) {
            assertSafe(raw.get(i + 1).get(0), "architecture");
            assertEquals("'-7", raw.get(i + 1).get(3), "the seeds cell is text: a negative seed is quoted");
            assertEquals("0.500000", raw.get(i + 1).get(Summary.header().indexOf("test_accuracy_mean")));
        }
        List<String> back = Summary.readAsRows(file).stream().map(ResultRow::architecture).toList();
        assertEquals(FORMULAS, back);
        assertEquals(FORMULAS, Baseline.read(file).stream().map(ResultRow::architecture).toList());
    }

    @Test
    void confusionAndPerClassNeutraliseClassNamesAndReadBack() throws Exception {
        int n = FORMULAS.size();
        long[][] counts = new long[n][n];
        for (int i = 0; i < n; i++) {
            counts[i][i] = 3;
            counts[i][(i + 1) % n] = 1;
        }
        Path confusion = dir.resolve(RunFiles.CONFUSION);
        Path perClass = dir.resolve(RunFiles.PER_CLASS);
        RunFiles.writeConfusion(confusion, FORMULAS, counts);
        RunFiles.writePerClass(perClass, FORMULAS, counts);

        List<CSVRecord> rawConfusion = raw(confusion);
        for (int i = 0; i < n; i++) {
            assertSafe(rawConfusion.get(0).get(i + 1), "confusion.csv header");
            assertSafe(rawConfusion.get(i + 1).get(0), "confusion.csv row name");
        }
        List<CSVRecord> rawPerClass = raw(perClass);
        for (int i = 0; i < n; i++) {
            assertSafe(rawPerClass.get(i + 1).get(0), "per_class.csv class");
            assertEquals("0.750000", rawPerClass.get(i + 1).get(3));
        }

        ConfusionMatrix m = RunFiles.readConfusionMatrix(confusion);
        assertEquals(FORMULAS, m.classNames());
        assertEquals(3, m.counts()[4][4]);
        assertEquals(FORMULAS, RunFiles.readPerClass(perClass).stream().map(ClassAccuracy::className).toList());
    }

    @Test
    void aFormulaInANumericColumnIsNeutralisedAndStillRejected() throws Exception {
        Path file = dir.resolve(RunFiles.RESULTS);
        RunFiles.writeResults(file, List.of(SampleRuns.row("resnext-seed", 1, 0.5)
                .set(ResultColumn.MACS, "=1+1")));
        assertEquals("'=1+1", raw(file).get(1).get(ResultColumn.MACS.ordinal()));
        CsvFormatException e = assertThrows(CsvFormatException.class, () -> RunFiles.readResults(file));
        assertTrue(e.getMessage().contains("macs must be a number"), e.getMessage());
    }

    @Test
    void historyHoldsOnlyNumbers() throws Exception {
        Path file = dir.resolve(RunFiles.HISTORY);
        RunFiles.writeHistory(file, List.of(new EpochRecord(1, 0.1, -0.5, 0.2, 2.0, 0.3, 1.0, 10)));
        assertEquals("-0.500000", raw(file).get(1).get(2), "a negative number stays a number");
    }

    private static void assertSafe(String cell, String where) {
        assertFalse(!cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0,
                where + ": a spreadsheet would run " + cell);
        assertTrue(cell.startsWith("'") || cell.equals("plain") || cell.equals("a=b"), where + ": " + cell);
    }

    private static List<CSVRecord> raw(Path file) throws Exception {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return CSVFormat.DEFAULT.parse(r).getRecords();
        }
    }
}
