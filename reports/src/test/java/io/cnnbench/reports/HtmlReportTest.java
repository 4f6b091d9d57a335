package io.cnnbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The page's content, without a browser: what it holds, that it needs nothing from the network. */
class HtmlReportTest {
    @TempDir
    Path dir;

    @Test
    void twoDirectoriesMergeIntoOneSelfContainedReport() throws Exception {
        Path a = new SampleRuns(dir.resolve("job-a"))
                .architecture("resnext-seed", 216_970, 40_894_720, new long[] {42, 43}, new double[] {0.50, 0.52})
                .write();
        Path b = new SampleRuns(dir.resolve("job-b"))
                .architecture("mobilenetv3-small", 1_529_968, 6_100_000, new long[] {42}, new double[] {0.47})
                .failed("broken", 42, "out of <memory>")
                .write();
        Path html = HtmlReport.write(dir.resolve("out/report.html"), List.of(a, b), null,
                Environment.capture("PyTorch", "2.7.1", "cpu()", dir));
        String page = Files.readString(html);

        assertTrue(page.contains("<a href=\"#arch-0\">resnext-seed</a>"), "first directory's architecture");
        assertTrue(page.contains("<a href=\"#arch-1\">mobilenetv3-small</a>"), "second directory's architecture");
        assertTrue(page.contains("0.5100 ± 0.0141"), "mean ± std of the two seeds");
        assertTrue(page.contains("out of &lt;memory&gt;"), "failure messages are shown, escaped");
        assertTrue(page.contains("<th rowspan=\"2\">Failed runs</th>"));
        assertTrue(page.contains("No run of this architecture succeeded"));
        assertTrue(page.contains("id=\"chart-arch-0-accuracy\""));
        assertTrue(page.contains("id=\"chart-arch-1-confusion\""));
        assertTrue(page.contains("id=\"chart-accuracy-vs-macs\""));
        assertTrue(page.contains("id=\"environment-table\""));
        assertTrue(page.contains(b.toString()), "each directory's environment is a column");
        assertTrue(page.contains("echarts"), "the charting library is inlined");

        // Offline: no script, style sheet, image or font is fetched from anywhere.
        // Script bodies are JavaScript (ECharts holds "<img src=" in strings), so only the markup is searched.
        String markup = page.replaceAll("(?s)(<script[^>]*>).*?</script>", "$1</script>");
        Matcher external = Pattern.compile("(?i)<(script|link|img|iframe|object|embed)[^>]+(src|href)\\s*=")
                .matcher(markup);
        assertFalse(external.find(), "external resource: " + (external.find(0) ? external.group() : ""));
        assertEquals(3, markup.split("<script>", -1).length - 1, "error hook, ECharts, report script");
        assertFalse(page.contains("@import"), "no imported style sheets");

        // One chart container per chart in the data blob.
        Matcher blob = Pattern.compile("data-expected=\"(\\d+)\"").matcher(page);
        assertTrue(blob.find());
        int containers = markup.split(" data-chart=\"", -1).length - 1;
        assertEquals(Integer.parseInt(blob.group(1)), containers);
        assertEquals(2 * 5 + 1, containers);
    }

    @Test
    void baselineDeltasAreColouredAndAMissingBaselineIsANote() throws Exception {
        Path out = new SampleRuns(dir.resolve("run"))
                .architecture("better", 1000, 2_000_000, new long[] {1}, new double[] {0.60})
                .architecture("worse", 1000, 3_000_000, new long[] {1}, new double[] {0.40})
                .architecture("same", 1000, 4_000_000, new long[] {1}, new double[] {0.50})
                .write();
        Path baseline = dir.resolve("baseline.csv");
        RunFiles.writeResults(baseline, List.of(SampleRuns.row("better", 1, 0.55), SampleRuns.row("worse", 1, 0.45),
                SampleRuns.row("same", 1, 0.5002), SampleRuns.row("retired", 1, 0.3)));
        String page = Files.readString(HtmlReport.write(dir.resolve("report.html"), List.of(out), baseline, null));
        assertTrue(page.contains("<td class=\"delta-up\">+0.0500</td>"), "gain in green");
        assertTrue(page.contains("<td class=\"delta-down\">−0.0500</td>"), "loss in red");
        assertTrue(page.contains("<td class=\"delta-flat\">−0.0002</td>"), "noise in grey");
        assertTrue(page.contains("retired</td><td>0.3000</td><td>not run</td>"), "baseline-only architecture");
        assertTrue(page.contains("id=\"chart-baseline-delta\""));

        String noBaseline = Files.readString(HtmlReport.write(dir.resolve("r2.html"), List.of(out),
                dir.resolve("not-yet.csv"), null));
        assertTrue(noBaseline.contains("does not exist yet; create it with -Dcnn.updateBaseline=true"));
    }

    @Test
    void theHistoryShowsAChartPerArchitectureAndTheCommitsThatMovedAccuracy() throws Exception {
        Path out = new SampleRuns(dir.resolve("run"))
                .architecture("resnext", 1000, 2_000_000, new long[] {1}, new double[] {0.60}).write();
        Path history = dir.resolve(History.FILE);
        History.append(history, List.of(
                HistoryTest.entry("aaaaaaa111", "resnext", 3, 0.500, 0.010),
                // The default rule's band: 3 standard errors, 3 x 0.01 x sqrt(1/3 + 1/3) = 0.0245 (> 0.02).
                HistoryTest.entry("bbbbbbb222", "resnext", 3, 0.510, 0.010), // within 0.50 ± 0.0245
                HistoryTest.entry("ccccccc333", "resnext", 3, 0.470, 0.010), // below 0.51 − 0.0245: moved
                HistoryTest.entry("aaaaaaa111", "<b>mobile</b>", 1, 0.40, Double.NaN),
                HistoryTest.entry("ddddddd444", "<b>mobile</b>", 1, 0.40, Double.NaN)));
        String page = Files.readString(HtmlReport.write(dir.resolve("report.html"), List.of(out), null, null,
                List.of(), GateScope.ALL, history));
        assertTrue(page.contains("<a href=\"#history\">History</a>"), "navigation");
        assertTrue(page.contains("<section id=\"history\">"));
        assertTrue(page.contains("id=\"chart-history-0\""));
        assertTrue(page.contains("id=\"chart-history-1\""));
        assertTrue(page.contains("<h3>&lt;b&gt;mobile&lt;/b&gt;"), "names are escaped");
        assertTrue(page.contains("<table id=\"history-moved-0\">"), "the moved-commit table");
        assertTrue(page.contains("<td class=\"name\"><code>ccccccc333</code></td>"), page);
        assertTrue(page.contains("<td>0.4700 ± 0.0100</td><td>0.5100 ± 0.0100</td><td class=\"delta-down\">"
                + "−0.0400</td>"));
        assertFalse(page.contains("<code>bbbbbbb222</code>"), "a change within the band is not listed");
        assertFalse(page.contains("history-moved-1"), "an unchanged architecture has no table");
        assertTrue(page.contains("\"labels\":[\"aaaaaaa 2025-03-02\""), "x axis: short commit and date");
        Matcher expected = Pattern.compile("data-expected=\"(\\d+)\"").matcher(page);
        assertTrue(expected.find());
        assertEquals(5 + 1 + 2, Integer.parseInt(expected.group(1)), "the history charts are counted");

        String missing = Files.readString(HtmlReport.write(dir.resolve("r2.html"), List.of(out), null, null,
                List.of(), GateScope.ALL, dir.resolve("none.csv")));
        assertTrue(missing.contains("The history file does not exist yet."));
    }

    @Test
    void aMalformedBaselineFailsWithItsLocation() throws Exception {
        Path out = new SampleRuns(dir.resolve("run"))
                .architecture("a", 1000, 2_000_000, new long[] {1}, new double[] {0.60}).write();
        Path baseline = dir.resolve("baseline.csv");
        Files.writeString(baseline, "architecture,test_accuracy\na,zero point five\n");
        CsvFormatException e = assertThrows(CsvFormatException.class,
                () -> HtmlReport.write(dir.resolve("report.html"), List.of(out), baseline, null));
        assertEquals(baseline + ":2:2: column test_accuracy must be a number, found 'zero point five'", e.getMessage());
    }

    @Test
    void aDirectoryWithoutResultsIsAClearError() {
        CsvFormatException e = assertThrows(CsvFormatException.class,
                () -> HtmlReport.write(dir.resolve("report.html"), List.of(dir), null, null));
        assertTrue(e.getMessage().contains("is not an output directory of cnn:benchmark"), e.getMessage());
    }

    @Test
    void theSameRunInTwoDirectoriesIsCountedOnce() {
        Path a = new SampleRuns(dir.resolve("a"))
                .architecture("x", 1000, 2_000_000, new long[] {42}, new double[] {0.3}).write();
        Path b = new SampleRuns(dir.resolve("b"))
                .architecture("x", 1000, 2_000_000, new long[] {42}, new double[] {0.4}).write();
        MergedResults merged = MergedResults.load(List.of(a, b));
        assertEquals(1, merged.rows().size());
        assertEquals(0.4, merged.rows().get(0).getDouble(ResultColumn.TEST_ACCURACY), 1e-9);
        assertEquals(1, merged.notes().size());
    }

    @Test
    void aPairInTwoDirectoriesFailsTheReportsGateAsCnnCheckRefusesIt() throws Exception {
        Path a = new SampleRuns(dir.resolve("a"))
                .architecture("x", 1000, 2_000_000, new long[] {42}, new double[] {0.3}).write();
        Path b = new SampleRuns(dir.resolve("b"))
                .architecture("x", 1000, 2_000_000, new long[] {42}, new double[] {0.4})
                .architecture("y", 1000, 2_000_000, new long[] {42}, new double[] {0.4}).write();
        List<GateRule> rules = List.of(new GateRule("*", 0.1, null, null));
        String html = Files.readString(HtmlReport.write(dir.resolve("report.html"), List.of(a, b), null, null, rules,
                GateScope.ALL));
        assertTrue(html.contains("Gate: <span class=\"gate-failed\">failed</span>"), "the duplicate passed");
        assertTrue(html.contains("x seed 42 has a row in both " + a + " and " + b + ": each (architecture, seed) is"
                + " judged once"), "no refusal naming both directories");
        // The same pair outside the scope the build judged (cnn.architectures=y) is not this gate's to refuse.
        String scoped = Files.readString(HtmlReport.write(dir.resolve("scoped.html"), List.of(a, b), null, null,
                rules, new GateScope(java.util.Set.of("y"), List.of())));
        assertTrue(scoped.contains("Gate: <span class=\"gate-passed\">passed</span>"), "y alone should pass");
    }

    @Test
    void anEarlierRunsEnvironmentIsLeftOutAndSaidSo() throws Exception {
        // This run stopped before writing its own environment.properties; the earlier run's is still there.
        Path stale = dir.resolve("stale");
        RunFiles.writeResults(stale.resolve(RunFiles.RESULTS), List.of(new ResultRow()
                .set(ResultColumn.ARCHITECTURE, "x").set(ResultColumn.SEED, 42).set(ResultColumn.STATUS, "failed")
                .set(ResultColumn.MESSAGE, "the run stopped").set(ResultColumn.RUN_ID, "run-2")));
        Environment.of(java.util.Map.of(Environment.CPU, "Earlier CPU", Environment.GIT_COMMIT, "0ldc0mm17",
                Environment.RUN_ID, "run-1")).write(stale);
        // This run's own, beside it in a merged report, is shown.
        Path fresh = new SampleRuns(dir.resolve("fresh"))
                .architecture("y", 1000, 2_000_000, new long[] {42}, new double[] {0.4}).write();
        String page = Files.readString(HtmlReport.write(dir.resolve("report.html"), List.of(stale, fresh), null,
                null));
        assertFalse(page.contains("Earlier CPU") || page.contains("0ldc0mm17") || page.contains(">run-1<"),
                "another run's machine is shown as this one's");
        assertTrue(page.contains(stale.resolve(Environment.FILE) + " is left out: it records run run-1, but "
                + stale.resolve(RunFiles.RESULTS) + " holds run-2"), "the page does not say what it left out");
        assertTrue(page.contains("Sample CPU @ 3.0GHz"), "the environment of the run that wrote the results");

        // An environment.properties that records no run is no one's to show either.
        Environment.of(java.util.Map.of(Environment.CPU, "Unknown CPU")).write(stale);
        String none = Files.readString(HtmlReport.write(dir.resolve("r2.html"), List.of(stale), null, null));
        assertFalse(none.contains("Unknown CPU"), "an environment of no known run is shown");
        assertTrue(none.contains("is left out: it records no run.id"), "the page does not say what it left out");
    }

    @Test
    void jsonIsSafeInsideAScriptElement() {
        assertEquals("{\"a\":\"\\u003c/script\\u003e\",\"n\":[1,0.5,null]}",
                Json.write(new java.util.TreeMap<>(java.util.Map.of("a", "</script>",
                        "n", List.of(1, 0.5, Double.NaN)))));
    }
}
