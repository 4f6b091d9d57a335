package io.cnnbench.maven;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cnnbench.reports.ResultColumn;
import io.cnnbench.reports.ResultRow;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugin.MojoExecutionException;
import org.junit.jupiter.api.Test;

class CheckMojoTest {
    private static ResultRow row(String architecture, long seed, double accuracy) {
        return new ResultRow().set(ResultColumn.ARCHITECTURE, architecture).set(ResultColumn.SEED, seed)
                .set(ResultColumn.STATUS, ResultRow.OK).set(ResultColumn.TEST_ACCURACY, accuracy);
    }

    @Test
    void aPairJudgedFromTwoDirectoriesIsRefusedNotAveraged() {
        Map<Path, List<ResultRow>> dirs = new LinkedHashMap<>();
        dirs.put(Path.of("job-1"), List.of(row("a", 42, 0.45)));
        dirs.put(Path.of("job-1-old"), List.of(row("a", 42, 0.5289)));
        MojoExecutionException e = assertThrows(MojoExecutionException.class,
                () -> CheckMojo.refuseDuplicates(dirs, 2));
        assertTrue(e.getMessage().startsWith("a seed 42 has a row in both job-1 and job-1-old"), e.getMessage());
    }

    @Test
    void aDirectoryListedTwiceOrARowRepeatedInOneFileIsRefused() {
        Map<Path, List<ResultRow>> once = new LinkedHashMap<>();
        once.put(Path.of("job-1"), List.of(row("a", 42, 0.5)));
        MojoExecutionException twice = assertThrows(MojoExecutionException.class,
                () -> CheckMojo.refuseDuplicates(once, 2));
        assertTrue(twice.getMessage().contains("more than once"), twice.getMessage());
        Map<Path, List<ResultRow>> repeated = new LinkedHashMap<>();
        repeated.put(Path.of("job-1"), List.of(row("a", 42, 0.5), row("a", 42, 0.6)));
        MojoExecutionException e = assertThrows(MojoExecutionException.class,
                () -> CheckMojo.refuseDuplicates(repeated, 1));
        assertTrue(e.getMessage().startsWith("a seed 42 has two rows in job-1"), e.getMessage());
    }

    @Test
    void shardsAndSeedsThatDifferPass() {
        Map<Path, List<ResultRow>> dirs = new LinkedHashMap<>();
        dirs.put(Path.of("job-1"), List.of(row("a", 42, 0.5), row("a", 43, 0.5)));
        dirs.put(Path.of("job-2"), List.of(row("b", 42, 0.5), row("a", 44, 0.5)));
        assertDoesNotThrow(() -> CheckMojo.refuseDuplicates(dirs, 2));
    }
}
