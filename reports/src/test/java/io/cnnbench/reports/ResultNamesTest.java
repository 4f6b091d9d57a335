package io.cnnbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cnnbench.api.spi.Names;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Architecture names read from results.csv become folder names; one that breaks the name rule (such as
 * {@code ../../x} or an absolute path) must not make anything read or write outside the result directory.
 */
class ResultNamesTest {
    @TempDir
    Path dir;

    @Test
    void runDirectoryRefusesNamesThatWouldLeaveTheOutputDirectory() {
        Path out = dir.resolve("out");
        for (String bad : List.of("../../escaped", "/etc", "..", "a/b", "Resnext", "")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> RunFiles.runDirectory(out, bad, 42, false), bad);
            assertTrue(e.getMessage().contains("invalid name '" + bad + "' (architecture name for a run directory"
                    + " under " + out + ")"), e.getMessage());
        }
        assertEquals(out.resolve("resnext-seed").resolve("seed-42"),
                RunFiles.runDirectory(out, "resnext-seed", 42, true));
    }

    @Test
    void reportDoesNotReadFilesOutsideTheResultDirectory() throws Exception {
        // Files a hostile results.csv points at: a sibling of the result directory and an absolute path.
        Path sibling = dir.resolve("outside");
        Path absolute = dir.resolve("elsewhere/abs").toAbsolutePath();
        for (Path target : List.of(sibling, absolute)) {
            RunFiles.writeConfusion(target.resolve(RunFiles.CONFUSION), List.of("secret-a", "secret-b"),
                    new long[][] {{1, 0}, {0, 1}});
            RunFiles.writeHistory(target.resolve(RunFiles.HISTORY),
                    List.of(new EpochRecord(1, 0.1, 2, 0.2, 2, 0.2, 1, 10)));
        }
        Path out = dir.resolve("out");
        RunFiles.writeResults(out.resolve(RunFiles.RESULTS), List.of(
                SampleRuns.row("../outside", 42, 0.5).set(ResultColumn.MACS, 1000),
                SampleRuns.row(absolute.toString(), 42, 0.5).set(ResultColumn.MACS, 1000)));

        MergedResults merged = MergedResults.load(List.of(out));
        for (MergedResults.Run run : merged.runs()) {
            assertTrue(run.pathProblem().contains("invalid name '" + run.row().architecture() + "'"),
                    run.pathProblem());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, run::runDirectory);
            assertTrue(e.getMessage().contains(out.resolve(RunFiles.RESULTS).toString()), e.getMessage());
        }

        String page = Files.readString(HtmlReport.write(dir.resolve("report.html"), List.of(out), null, null));
        assertFalse(page.contains("secret-a"), "the report read a confusion.csv outside " + out);
        assertFalse(page.contains("Accuracy: train vs validation"), "the report read a history.csv outside " + out);
        assertTrue(page.contains("invalid name &#39;../outside&#39;"), "a note names the refused name");
        assertTrue(page.contains("so its history, confusion matrix and per-class files were not read"));
    }

    @Test
    void validNamesStillFindTheirFiles() throws Exception {
        Path out = new SampleRuns(dir.resolve("ok"))
                .architecture("resnext-seed", 1000, 2000, new long[] {1, 2}, new double[] {0.4, 0.5}).write();
        MergedResults merged = MergedResults.load(List.of(out));
        for (MergedResults.Run run : merged.runs()) {
            assertNull(run.pathProblem());
            assertEquals(out.resolve("resnext-seed/seed-" + run.row().get(ResultColumn.SEED)), run.runDirectory());
        }
    }

    @Test
    void aRecordedRunDirectoryOutsideTheResultDirectoryIsNotRead() throws Exception {
        Path sibling = dir.resolve("outside");
        RunFiles.writeConfusion(sibling.resolve(RunFiles.CONFUSION), List.of("secret-a", "secret-b"),
                new long[][] {{1, 0}, {0, 1}});
        Path out = dir.resolve("out");
        for (String bad : List.of("../outside", "x/../../outside", sibling.toAbsolutePath().toString(), "", ".",
                "x//y", "x\\..\\..\\outside", "C:/outside")) {
            if (bad.isEmpty()) {
                continue; // an empty cell is "not recorded": the fallback, tested below
            }
            MergedResults.Run run = new MergedResults.Run(SampleRuns.row("x", 42, 0.5)
                    .set(ResultColumn.RUN_DIRECTORY, bad), out);
            String problem = run.pathProblem();
            assertTrue(problem != null && problem.startsWith("run_directory " + Names.quote(bad)), bad + ": " + problem);
            assertThrows(IllegalArgumentException.class, run::runDirectory, bad);
        }
        assertEquals(out.resolve("gpu-0/x/seed-42"), new MergedResults.Run(SampleRuns.row("x", 42, 0.5)
                .set(ResultColumn.RUN_DIRECTORY, "gpu-0/x/seed-42"), out).runDirectory());
    }

    @Test
    void theRecordedRunDirectoryWinsOverAStaleSeedFolderOfAnEarlierRun() throws Exception {
        // An earlier run with two seeds left x/seed-42/; this single-seed run wrote x/ and recorded it.
        Path out = new SampleRuns(dir.resolve("out"))
                .architecture("x", 1000, 2000, new long[] {42, 43}, new double[] {0.4, 0.5}).write();
        Path single = out.resolve("x");
        RunFiles.writeHistory(single.resolve(RunFiles.HISTORY),
                List.of(new EpochRecord(1, 0.1, 2, 0.2, 2, 0.2, 1, 10)));
        ResultRow fresh = SampleRuns.row("x", 42, 0.5);
        assertEquals(single.resolve("seed-42"), new MergedResults.Run(fresh, out).runDirectory(),
                "without the column the stale folder is guessed (rows written before it existed)");
        assertEquals(single, new MergedResults.Run(fresh.set(ResultColumn.RUN_DIRECTORY, "x"), out).runDirectory());
    }
}
