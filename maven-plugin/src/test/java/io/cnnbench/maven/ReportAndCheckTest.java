package io.cnnbench.maven;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cnnbench.reports.GateScope;
import io.cnnbench.reports.HtmlReport;
import io.cnnbench.reports.ResultColumn;
import io.cnnbench.reports.ResultRow;
import io.cnnbench.reports.RunFiles;
import java.io.File;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cnn:report's gate section and cnn:check, configured alike, on the same directories: what the gate refuses, the
 * page shows as a failed gate with the same reason; what it passes, the page passes.
 */
class ReportAndCheckTest {
    private static final String PASSED = "Gate: <span class=\"gate-passed\">passed</span>";
    private static final String FAILED = "Gate: <span class=\"gate-failed\">failed</span>";

    @TempDir
    Path dir;

    private static ResultRow row(long seed, String runId, String shard) {
        return new ResultRow().set(ResultColumn.ARCHITECTURE, "resnext-seed").set(ResultColumn.SEED, seed)
                .set(ResultColumn.STATUS, ResultRow.OK).set(ResultColumn.TEST_ACCURACY, 0.53)
                .set(ResultColumn.RUN_ID, runId).set(ResultColumn.SHARD, shard);
    }

    private Path results(String name, ResultRow... rows) {
        Path out = dir.resolve(name);
        RunFiles.writeResults(out.resolve(RunFiles.RESULTS), List.of(rows));
        return out;
    }

    /** Sets a mojo's field as Maven would inject it. */
    static void set(Object mojo, String field, Object value) throws Exception {
        for (Class<?> c = mojo.getClass(); c != Object.class; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(field);
                f.setAccessible(true);
                f.set(mojo, value);
                return;
            } catch (NoSuchFieldException e) {
                // declared by a superclass
            }
        }
        throw new NoSuchFieldException(field);
    }

    /** Both goals with a rule that sets only minTestAccuracy, on {@code dirs}, with {@code baseline} (or none). */
    private <T extends AbstractRulesMojo> T configure(T mojo, List<Path> dirs, Path baseline) throws Exception {
        List<File> files = new ArrayList<>();
        dirs.forEach(d -> files.add(d.toFile()));
        set(mojo, "resultDirectories", files);
        set(mojo, "outputDirectory", dir.resolve("report").toFile());
        set(mojo, "rules", List.of(new Rule("resnext-seed", 0.2, null, null)));
        set(mojo, "baseline", baseline == null ? null : baseline.toFile());
        return mojo;
    }

    /** cnn:check's refusal, which the page must show as a failed gate. */
    private void bothRefuse(List<Path> dirs, Path baseline, String reason) throws Exception {
        CheckMojo check = configure(new CheckMojo(), dirs, baseline);
        set(check, "haltOnFailure", true);
        MojoExecutionException e = assertThrows(MojoExecutionException.class, check::execute);
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        configure(new ReportMojo(), dirs, baseline).execute();
        String page = Files.readString(dir.resolve("report").resolve(HtmlReport.FILE));
        assertTrue(page.contains(FAILED), "the page passed what cnn:check refuses: " + reason);
        assertTrue(page.contains(reason), "the page does not say why: " + reason);
    }

    @Test
    void rowsOfTwoRunsInOneResultsFileAreRefusedByBoth() throws Exception {
        bothRefuse(List.of(results("mixed", row(42, "run-1", "1/1"), row(43, "run-2", "1/1"))), null,
                "mixes rows of 2 runs (run-1, run-2)");
    }

    @Test
    void rowsWithoutARunIdAreRefusedByBoth() throws Exception {
        bothRefuse(List.of(results("old", row(42, "", ""))), null, "has rows without a run_id");
    }

    @Test
    void oneShardOfASplitRunIsRefusedByBoth() throws Exception {
        bothRefuse(List.of(results("shard-1", row(42, "run-1", "1/2"))), null,
                "shard 2/2 of the split run is missing");
    }

    @Test
    void aDirectoryListedTwiceIsRefusedByBoth() throws Exception {
        Path job = results("job", row(42, "run-1", "1/1"));
        bothRefuse(List.of(job, job), null, "lists a directory more than once");
    }

    @Test
    void aMissingBaselineFileIsRefusedByBothEvenWhenNoRuleComparesWithIt() throws Exception {
        bothRefuse(List.of(results("job", row(42, "run-1", "1/1"))), dir.resolve("cnn-baseline.csv"),
                "cnn-baseline.csv (cnn.baseline) does not exist");
    }

    @Test
    void oneRunsCompleteShardsPassBoth() throws Exception {
        List<Path> dirs = List.of(results("shard-1", row(42, "run-1", "1/2")),
                results("shard-2", row(43, "run-1", "2/2")));
        CheckMojo check = configure(new CheckMojo(), dirs, null);
        set(check, "haltOnFailure", true);
        check.execute();
        configure(new ReportMojo(), dirs, null).execute();
        String page = Files.readString(dir.resolve("report").resolve(HtmlReport.FILE));
        assertTrue(page.contains(PASSED), "the page fails what cnn:check passes");
    }

    @Test
    void aShardJobsOwnReportJudgesItsShardAsItsBuildDid() throws Exception {
        // cnn:benchmark -Dcnn.shard=1/2 gates its own shard's rows; its report must not fail for the other shard.
        Path shard = results("shard-1", row(42, "run-1", "1/2"));
        Path html = dir.resolve("report.html");
        ReportWriter.write(new SystemStreamLog(), dir, html, List.of(shard), null,
                List.of(new Rule("resnext-seed", 0.2, null, null)), GateScope.ALL, null, null, List.of());
        assertTrue(Files.readString(html).contains(PASSED), "the shard job's report failed its own shard");
    }
}
