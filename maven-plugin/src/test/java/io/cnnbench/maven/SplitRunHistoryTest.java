package io.cnnbench.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cnnbench.reports.History;
import io.cnnbench.reports.HistoryEntry;
import io.cnnbench.reports.MergedResults;
import io.cnnbench.reports.ResultColumn;
import io.cnnbench.reports.ResultRow;
import io.cnnbench.reports.RunFiles;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A split run's history: its shards' lines become one line per architecture over all the seeds, only when every
 * shard is there and each shard's lines are its own run's; cnn:report appends them once.
 */
class SplitRunHistoryTest {
    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    Path dir;

    private static ResultRow row(String architecture, long seed, double accuracy, String runId, String shard) {
        return new ResultRow().set(ResultColumn.ARCHITECTURE, architecture).set(ResultColumn.SEED, seed)
                .set(ResultColumn.STATUS, ResultRow.OK).set(ResultColumn.TEST_ACCURACY, accuracy)
                .set(ResultColumn.TRAIN_IMAGES_PER_SECOND, 200).set(ResultColumn.RUN_ID, runId)
                .set(ResultColumn.SHARD, shard);
    }

    private static HistoryEntry line(String architecture, String runId, String commit, String fingerprint,
                                     String machine, String date, int seeds, double mean) {
        return new HistoryEntry(Instant.parse(date), commit, "main", machine, "epochs=2", fingerprint, architecture,
                seeds, mean, Double.NaN, 200, runId);
    }

    /** Shard 2's lines of {@link #completeRun}, with {@code commit} and resnext-seed's {@code fingerprint}. */
    private static List<HistoryEntry> shardTwoLines(String commit, String fingerprint) {
        return List.of(line("resnext-seed", "run-b", commit, fingerprint, "box-2", "2026-01-01T11:00:00Z", 1, 0.52),
                line("mobilenetv3-small", "run-b", commit, "fp2", "box-2", "2026-01-01T11:00:00Z", 2, 0.41));
    }

    /** A shard job's output directory: its results.csv and, unless {@code lines} is null, its history-shard.csv. */
    private Path shard(String name, List<ResultRow> rows, List<HistoryEntry> lines) {
        Path out = dir.resolve(name);
        RunFiles.writeResults(out.resolve(RunFiles.RESULTS), rows);
        if (lines != null) {
            History.write(out.resolve(History.SHARD_FILE), lines);
        }
        return out;
    }

    /** Two shards of one run of resnext-seed and mobilenetv3-small on seeds 42-44, as cnn.shard splits the pairs. */
    private List<Path> completeRun() {
        Path one = shard("shard-1", List.of(row("resnext-seed", 42, 0.50, "run-a", "1/2"),
                        row("resnext-seed", 44, 0.54, "run-a", "1/2"), row("mobilenetv3-small", 43, 0.41, "run-a", "1/2")),
                List.of(line("resnext-seed", "run-a", COMMIT, "fp1", "box-1", "2026-01-01T10:00:00Z", 2, 0.52),
                        line("mobilenetv3-small", "run-a", COMMIT, "fp2", "box-1", "2026-01-01T10:00:00Z", 1, 0.41)));
        Path two = shard("shard-2", List.of(row("resnext-seed", 43, 0.52, "run-b", "2/2"),
                        row("mobilenetv3-small", 42, 0.40, "run-b", "2/2"),
                        row("mobilenetv3-small", 44, 0.42, "run-b", "2/2")),
                shardTwoLines(COMMIT, "fp1"));
        return List.of(one, two);
    }

    private static SplitRunHistory.Merge merge(List<Path> dirs) {
        MergedResults merged = MergedResults.load(dirs);
        return SplitRunHistory.merge(merged.rowsByDirectory(), ReportWriter.refusals(merged));
    }

    @Test
    void everyShardGivesOneLinePerArchitectureOverAllItsSeeds() {
        SplitRunHistory.Merge merge = merge(completeRun());
        assertNull(merge.problem());
        assertEquals(2, merge.entries().size());
        HistoryEntry resnext = merge.entries().stream().filter(e -> e.architecture().equals("resnext-seed"))
                .findFirst().orElseThrow();
        assertEquals(3, resnext.seeds());
        assertEquals(0.52, resnext.meanTestAccuracy(), 1e-12);
        assertEquals(0.02, resnext.stdTestAccuracy(), 1e-12);
        assertEquals("fp1", resnext.fingerprint());
        assertEquals(COMMIT, resnext.commit());
        assertEquals("run-a+run-b", resnext.runId());
        assertEquals("box-1 | box-2", resnext.machine());
        assertEquals(Instant.parse("2026-01-01T11:00:00Z"), resnext.date(), "when the last shard finished");
        HistoryEntry mobilenet = merge.entries().stream().filter(e -> e.architecture().equals("mobilenetv3-small"))
                .findFirst().orElseThrow();
        assertEquals(3, mobilenet.seeds());
        assertEquals(0.41, mobilenet.meanTestAccuracy(), 1e-12);
        assertEquals("fp2", mobilenet.fingerprint());
    }

    @Test
    void anUnsplitRunIsNotMergedItAppendedItsOwnLines() {
        Path run = shard("run", List.of(row("resnext-seed", 42, 0.5, "run-a", "")), null);
        assertNull(merge(List.of(run)));
    }

    @Test
    void aMissingShardGivesNoLine() {
        SplitRunHistory.Merge merge = merge(List.of(completeRun().get(0)));
        assertTrue(merge.entries().isEmpty());
        assertTrue(merge.problem().startsWith("the shards are not one complete run (shard 2/2 of the split run is"
                + " missing"), merge.problem());
    }

    @Test
    void aShardWithoutItsLinesGivesNoLineAndNamesTheFile() throws Exception {
        List<Path> dirs = completeRun();
        Files.delete(dirs.get(1).resolve(History.SHARD_FILE));
        // As a job killed before its end leaves it: rows without a protocol, which the settled shard 1's have.
        List<ResultRow> settled = RunFiles.readResults(dirs.get(0).resolve(RunFiles.RESULTS));
        settled.forEach(r -> r.set(ResultColumn.PROTOCOL, "epochs=2"));
        RunFiles.writeResults(dirs.get(0).resolve(RunFiles.RESULTS), settled);
        SplitRunHistory.Merge merge = merge(dirs);
        assertTrue(merge.entries().isEmpty());
        assertTrue(merge.problem().startsWith(dirs.get(1).resolve(History.SHARD_FILE) + " does not exist"),
                merge.problem());
    }

    @Test
    void anEarlierRunsLinesBesideThisRunsResultsAreRefused() {
        List<Path> dirs = completeRun();
        History.write(dirs.get(1).resolve(History.SHARD_FILE), List.of(
                line("resnext-seed", "run-old", COMMIT, "fp1", "box-2", "2025-12-31T11:00:00Z", 1, 0.30)));
        SplitRunHistory.Merge merge = merge(dirs);
        assertTrue(merge.entries().isEmpty());
        assertTrue(merge.problem().contains("holds a line of run run-old, but " + dirs.get(1)
                + "'s results.csv is run run-b: it is an earlier run's"), merge.problem());
    }

    @Test
    void shardsOfTwoCommitsOrTwoProtocolsGiveNoLine() {
        List<Path> dirs = completeRun();
        History.write(dirs.get(1).resolve(History.SHARD_FILE), shardTwoLines("fedcba", "fp1"));
        assertTrue(merge(dirs).problem().startsWith("the shards were built from different commits: " + COMMIT
                + " in " + dirs.get(0) + ", fedcba in " + dirs.get(1)), merge(dirs).problem());
        History.write(dirs.get(1).resolve(History.SHARD_FILE), shardTwoLines(COMMIT, "fp9"));
        assertTrue(merge(dirs).problem().startsWith("resnext-seed was measured under protocol fp1 in "
                + dirs.get(0) + " and fp9 in " + dirs.get(1)), merge(dirs).problem());
    }

    @Test
    void shardsWhoseResultsRecordTwoProtocolsGiveNoLine() {
        List<Path> dirs = completeRun();
        // As if shard 2 had trained other epochs: each shard's lines agree with themselves, the run does not.
        for (Path d : dirs) {
            String epochs = d.equals(dirs.get(0)) ? "epochs=2" : "epochs=5";
            List<ResultRow> rows = RunFiles.readResults(d.resolve(RunFiles.RESULTS));
            rows.forEach(r -> r.set(ResultColumn.PROTOCOL, epochs));
            RunFiles.writeResults(d.resolve(RunFiles.RESULTS), rows);
        }
        SplitRunHistory.Merge merge = merge(dirs);
        assertTrue(merge.entries().isEmpty());
        assertEquals("the shards were measured under different protocols: 'epochs=2' in " + dirs.get(0)
                + ", 'epochs=5' in " + dirs.get(1) + "; the shards of one run share every setting but cnn.shard",
                merge.problem());
    }

    @Test
    void shardsWithoutACommitOrWithLocalEditsGiveNoLine() {
        List<Path> dirs = completeRun();
        String edited = COMMIT + RunHistory.UNCOMMITTED;
        History.write(dirs.get(0).resolve(History.SHARD_FILE), List.of(
                line("resnext-seed", "run-a", edited, "fp1", "box-1", "2026-01-01T10:00:00Z", 2, 0.52),
                line("mobilenetv3-small", "run-a", edited, "fp2", "box-1", "2026-01-01T10:00:00Z", 1, 0.41)));
        History.write(dirs.get(1).resolve(History.SHARD_FILE), shardTwoLines(edited, "fp1"));
        // Both shards say the same, and still cannot show that they ran the same code.
        assertEquals("the shard in " + dirs.get(0) + " ran " + edited + ": the shards' edits cannot be compared;"
                + " commit them and rerun the split run", merge(dirs).problem());
        History.write(dirs.get(0).resolve(History.SHARD_FILE), List.of(
                line("resnext-seed", "run-a", "", "fp1", "box-1", "2026-01-01T10:00:00Z", 2, 0.52),
                line("mobilenetv3-small", "run-a", "", "fp2", "box-1", "2026-01-01T10:00:00Z", 1, 0.41)));
        History.write(dirs.get(1).resolve(History.SHARD_FILE), shardTwoLines("", "fp1"));
        assertTrue(merge(dirs).problem().startsWith("the shard in " + dirs.get(0) + " recorded no commit"),
                merge(dirs).problem());
    }

    @Test
    void aHeaderOnlyShardFileLeftByAnEarlierJobIsRefused() {
        // An earlier job in this directory, every pair of which failed, wrote a file without lines; this run's job
        // stopped before writing its own. The file names no run, so only its lines' count shows it is not this run's.
        List<Path> dirs = completeRun();
        History.write(dirs.get(1).resolve(History.SHARD_FILE), List.of());
        SplitRunHistory.Merge merge = merge(dirs);
        assertTrue(merge.entries().isEmpty());
        assertTrue(merge.problem().startsWith(dirs.get(1).resolve(History.SHARD_FILE) + " is not the history of "
                + dirs.get(1) + "'s results.csv: its lines count seeds {}, the results' successful rows"
                + " {mobilenetv3-small=2, resnext-seed=1}"), merge.problem());
    }

    @Test
    void aShardFileCountingOtherSeedsOrArchitecturesIsRefused() {
        List<Path> dirs = completeRun();
        Path file = dirs.get(1).resolve(History.SHARD_FILE);
        History.write(file, List.of(
                line("resnext-seed", "run-b", COMMIT, "fp1", "box-2", "2026-01-01T11:00:00Z", 1, 0.52),
                line("mobilenetv3-small", "run-b", COMMIT, "fp2", "box-2", "2026-01-01T11:00:00Z", 1, 0.41)));
        assertTrue(merge(dirs).problem().startsWith(file + " is not the history of " + dirs.get(1)
                + "'s results.csv: its lines count seeds {mobilenetv3-small=1, resnext-seed=1}, the results'"
                + " successful rows {mobilenetv3-small=2, resnext-seed=1}"), merge(dirs).problem());
        History.write(file, List.of(
                line("resnext-seed", "run-b", COMMIT, "fp1", "box-2", "2026-01-01T11:00:00Z", 1, 0.52)));
        assertTrue(merge(dirs).problem().startsWith(file + " is not the history of"), merge(dirs).problem());
        // A line for an architecture without a successful row there is not this run's either.
        List<ResultRow> rows = RunFiles.readResults(dirs.get(1).resolve(RunFiles.RESULTS));
        rows.stream().filter(r -> r.architecture().equals("resnext-seed"))
                .forEach(r -> r.set(ResultColumn.STATUS, "failed"));
        RunFiles.writeResults(dirs.get(1).resolve(RunFiles.RESULTS), rows);
        History.write(file, shardTwoLines(COMMIT, "fp1"));
        assertTrue(merge(dirs).problem().startsWith(file + " is not the history of " + dirs.get(1)
                + "'s results.csv: its lines count seeds {mobilenetv3-small=2, resnext-seed=1}, the results'"
                + " successful rows {mobilenetv3-small=2}"), merge(dirs).problem());
        // What passes: the file as that job writes it, without the failed architecture's line.
        History.write(file, List.of(shardTwoLines(COMMIT, "fp1").get(1)));
        SplitRunHistory.Merge merge = merge(dirs);
        assertNull(merge.problem());
        assertEquals(List.of(2, 3), merge.entries().stream().map(HistoryEntry::seeds).toList());
    }

    @Test
    void cnnReportAppendsTheMergedRunOnceAndChartsIt() throws Exception {
        List<Path> dirs = completeRun();
        Path history = dir.resolve("cnn-history.csv");
        report(dirs, history);
        List<HistoryEntry> lines = History.read(history);
        assertEquals(List.of("resnext-seed", "mobilenetv3-small"),
                lines.stream().map(HistoryEntry::architecture).toList());
        assertEquals(3, lines.get(0).seeds());
        String once = Files.readString(history);
        String page = Files.readString(dir.resolve("report").resolve("report.html"));
        assertTrue(page.contains("id=\"history\""), "the merged run is not charted");
        // Merging the same shards again (a rerun CI job) adds no second point.
        report(dirs, history);
        assertEquals(once, Files.readString(history));
        // Shard 2 rerun (a new run id) and merged again: its line would count shard 1's seeds a second time.
        List<ResultRow> rerun = RunFiles.readResults(dirs.get(1).resolve(RunFiles.RESULTS));
        rerun.forEach(r -> r.set(ResultColumn.RUN_ID, "run-c"));
        RunFiles.writeResults(dirs.get(1).resolve(RunFiles.RESULTS), rerun);
        History.write(dirs.get(1).resolve(History.SHARD_FILE), shardTwoLines(COMMIT, "fp1").stream()
                .map(l -> new HistoryEntry(l.date(), l.commit(), l.branch(), l.machine(), l.protocol(),
                        l.fingerprint(), l.architecture(), l.seeds(), l.meanTestAccuracy(), l.stdTestAccuracy(),
                        l.trainImagesPerSecond(), "run-c")).toList());
        assertNull(merge(dirs).problem(), "the rerun shard's directories are a complete run");
        report(dirs, history);
        assertEquals(once, Files.readString(history), "a rerun shard's merge was appended beside the first");
        // What a missing shard gets: a report, and no line.
        Files.delete(history);
        report(List.of(dirs.get(0)), history);
        assertTrue(Files.notExists(history), "an incomplete split run was appended");
    }

    @Test
    void aDamagedHistoryCostsTheMergeItsLineAndTheBuildButNotThePage() throws Exception {
        List<Path> dirs = completeRun();
        Path history = dir.resolve("cnn-history.csv");
        String damaged = "not,a,history\n";
        Files.writeString(history, damaged);
        MojoExecutionException e = assertThrows(MojoExecutionException.class, () -> report(dirs, history));
        assertTrue(e.getMessage().startsWith("cannot append to the history " + history), e.getMessage());
        assertEquals(damaged, Files.readString(history), "the damaged history was changed");
        String page = Files.readString(dir.resolve("report").resolve("report.html"));
        assertTrue(page.contains("is unreadable, so accuracy over commits is not charted"), "no note on the page");
    }

    @Test
    void anUnsplitRunsReportNotesADamagedHistoryItOnlyCharts() throws Exception {
        // cnn:report appends nothing for an unsplit run (cnn:benchmark did), so the file costs the chart only.
        Path run = shard("run", List.of(row("resnext-seed", 42, 0.5, "run-a", "")), null);
        Path history = dir.resolve("cnn-history.csv");
        String damaged = "not,a,history\n";
        Files.writeString(history, damaged);
        report(List.of(run), history);
        assertEquals(damaged, Files.readString(history));
        String page = Files.readString(dir.resolve("report").resolve("report.html"));
        assertTrue(page.contains("is unreadable, so accuracy over commits is not charted"), "no note on the page");
        assertFalse(page.contains("id=\"history\""), "a chart from an unreadable history");
    }

    private void report(List<Path> dirs, Path history) throws Exception {
        ReportMojo mojo = new ReportMojo();
        List<File> files = new ArrayList<>();
        dirs.forEach(d -> files.add(d.toFile()));
        ReportAndCheckTest.set(mojo, "resultDirectories", files);
        ReportAndCheckTest.set(mojo, "outputDirectory", dir.resolve("report").toFile());
        ReportAndCheckTest.set(mojo, "history", history.toFile());
        ReportAndCheckTest.set(mojo, "rules", List.of());
        mojo.execute();
    }
}
