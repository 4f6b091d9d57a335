package io.cnnbench.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cnnbench.reports.ResultColumn;
import io.cnnbench.reports.ResultRow;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckMojoTest {
    private static ResultRow row(String architecture, long seed, double accuracy) {
        return new ResultRow().set(ResultColumn.ARCHITECTURE, architecture).set(ResultColumn.SEED, seed)
                .set(ResultColumn.STATUS, ResultRow.OK).set(ResultColumn.TEST_ACCURACY, accuracy)
                .set(ResultColumn.RUN_ID, "run-1");
    }

    @Test
    void aPairJudgedFromTwoDirectoriesIsRefusedNotAveraged() {
        Map<Path, List<ResultRow>> dirs = new LinkedHashMap<>();
        dirs.put(Path.of("job-1"), List.of(row("a", 42, 0.45)));
        dirs.put(Path.of("job-1-old"), List.of(row("a", 42, 0.5289)));
        List<String> refusals = RunRefusals.of(dirs, 2);
        assertEquals(1, refusals.size(), refusals.toString());
        assertTrue(refusals.get(0).startsWith("a seed 42 has a row in both job-1 and job-1-old"), refusals.get(0));
    }

    @Test
    void aDirectoryListedTwiceOrARowRepeatedInOneFileIsRefused() {
        Map<Path, List<ResultRow>> once = new LinkedHashMap<>();
        once.put(Path.of("job-1"), List.of(row("a", 42, 0.5)));
        List<String> twice = RunRefusals.of(once, 2);
        assertTrue(twice.size() == 1 && twice.get(0).contains("more than once"), twice.toString());
        Map<Path, List<ResultRow>> repeated = new LinkedHashMap<>();
        repeated.put(Path.of("job-1"), List.of(row("a", 42, 0.5), row("a", 42, 0.6)));
        List<String> inOneFile = RunRefusals.of(repeated, 1);
        assertTrue(inOneFile.size() == 1 && inOneFile.get(0).startsWith("a seed 42 has two rows in job-1"),
                inOneFile.toString());
    }

    private static ResultRow sharded(String architecture, long seed, String shard, String run) {
        return row(architecture, seed, 0.5).set(ResultColumn.SHARD, shard).set(ResultColumn.RUN_ID, run);
    }

    @Test
    void shardsOfDifferentPlansAreRefusedNamingThePairsThatNeverRan() {
        // Shard 1/2 of a run over a, b and seeds 42-44 (pairs a42 a44 b43), shard 2/2 of a run over seed 42 only.
        Map<Path, List<ResultRow>> dirs = new LinkedHashMap<>();
        dirs.put(Path.of("shard-1"), List.of(sharded("a", 42, "1/2", "r1"), sharded("a", 44, "1/2", "r1"),
                sharded("b", 43, "1/2", "r1")));
        dirs.put(Path.of("shard-2"), List.of(sharded("b", 42, "2/2", "r2")));
        List<String> refusals = RunRefusals.of(dirs, 2);
        assertEquals(1, refusals.size(), refusals.toString());
        assertTrue(refusals.get(0).contains("do not add up to one run: no row for a seed 43, b seed 44"),
                refusals.get(0));
        // What it lets through: the same run's two shards, each with its own run id.
        Map<Path, List<ResultRow>> whole = new LinkedHashMap<>();
        whole.put(Path.of("shard-1"), List.of(sharded("a", 42, "1/2", "r1"), sharded("a", 44, "1/2", "r1"),
                sharded("b", 43, "1/2", "r1")));
        whole.put(Path.of("shard-2"), List.of(sharded("a", 43, "2/2", "r2"), sharded("b", 42, "2/2", "r2"),
                sharded("b", 44, "2/2", "r2")));
        assertEquals(List.of(), RunRefusals.of(whole, 2));
    }

    @Test
    void shardsAndSeedsThatDifferPass() {
        Map<Path, List<ResultRow>> dirs = new LinkedHashMap<>();
        dirs.put(Path.of("job-1"), List.of(row("a", 42, 0.5), row("a", 43, 0.5)));
        dirs.put(Path.of("job-2"), List.of(row("b", 42, 0.5), row("a", 44, 0.5)));
        assertEquals(List.of(), RunRefusals.of(dirs, 2));
    }
}
