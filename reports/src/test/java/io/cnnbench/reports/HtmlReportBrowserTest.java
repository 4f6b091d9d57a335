package io.cnnbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Opens report.html in headless Chromium, with the network cut off, and checks that every chart drew on its
 * canvas and that no script error occurred. The page and its screenshot stay in
 * {@code reports/target/browser-check/} for CI to keep as artifacts.
 */
class HtmlReportBrowserTest {
    /** Where the page and the screenshot are left, relative to the module (surefire's working directory). */
    static final Path ARTIFACTS = Path.of("target", "browser-check");

    @Test
    void chartsRenderWithoutErrorsOffline() throws Exception {
        Path chromium = HeadlessChromium.binary();
        assumeTrue(Files.isExecutable(chromium), "headless browser check skipped: " + chromium + " is missing;"
                + " install it with `apt-get install chromium` (or point -Dcnn.chromium at a Chrome binary)");
        Path work = ARTIFACTS.toAbsolutePath();
        Path single = new SampleRuns(work.resolve("job-resnext"))
                .architecture("resnext-seed", 216_970, 40_894_720, new long[] {42, 43, 44},
                        new double[] {0.52, 0.55, 0.53})
                .write();
        Path other = new SampleRuns(work.resolve("job-mobilenet"))
                .architecture("mobilenetv3-small", 1_529_968, 6_100_000, new long[] {42}, new double[] {0.47})
                .write();
        Path baseline = work.resolve("baseline.csv");
        RunFiles.writeResults(baseline, List.of(SampleRuns.row("resnext-seed", 42, 0.50),
                SampleRuns.row("mobilenetv3-small", 42, 0.51)));
        Path page = HtmlReport.write(work.resolve("report.html"), List.of(single, other), baseline, null,
                List.of(new GateRule("*", null, 0.02, 2.0)));

        String dom = new HeadlessChromium(chromium).dumpDom(page);
        Matcher status = status(dom);
        String attributes = status.group(1);
        String text = status.group(2);
        assertEquals("done", attribute(attributes, "data-state"), "the report's script did not finish: " + text);
        assertEquals("0", attribute(attributes, "data-errors"), "errors in the page: " + text);
        int expected = Integer.parseInt(attribute(attributes, "data-expected"));
        // Two architectures x (3 curves + confusion + per-class) + accuracy vs MACs + baseline delta.
        assertEquals(12, expected, text);
        assertEquals(expected, Integer.parseInt(attribute(attributes, "data-charts")), text);

        Matcher charts = Pattern.compile("<div class=\"chart[^\"]*\" id=\"chart-([^\"]+)\"[^>]*>(.*?)</canvas>",
                Pattern.DOTALL).matcher(dom);
        int withCanvas = 0;
        while (charts.find()) {
            assertTrue(charts.group(0).contains("data-rendered=\"true\""), "chart " + charts.group(1)
                    + " has a canvas but drew nothing");
            withCanvas++;
        }
        assertEquals(expected, withCanvas, "every chart container should hold a drawn canvas");

        Path png = work.resolve("report.png");
        new HeadlessChromium(chromium).screenshot(page, png);
        assertTrue(Files.size(png) > 50_000, "the screenshot " + png + " is suspiciously small: " + Files.size(png));
        System.out.println("report screenshot: " + png);
    }

    /** The status marker must catch a chart that fails, or the test above would prove nothing. */
    @Test
    void aChartThatFailsIsReportedAsAnError() throws Exception {
        Path chromium = HeadlessChromium.binary();
        assumeTrue(Files.isExecutable(chromium), "headless browser check skipped: " + chromium + " is missing;"
                + " install it with `apt-get install chromium`");
        Path work = ARTIFACTS.resolve("broken").toAbsolutePath();
        Path out = new SampleRuns(work.resolve("run"))
                .architecture("resnext-seed", 216_970, 40_894_720, new long[] {42}, new double[] {0.5}).write();
        Path page = HtmlReport.write(work.resolve("report.html"), List.of(out), null, null);
        String html = Files.readString(page);
        Files.writeString(page, html.replace("\"kind\":\"confusion\"", "\"kind\":\"no-such-chart\""));

        Matcher status = status(new HeadlessChromium(chromium).dumpDom(page));
        String attributes = status.group(1);
        assertEquals("done", attribute(attributes, "data-state"));
        assertEquals("1", attribute(attributes, "data-errors"), status.group(2));
        assertEquals(Integer.parseInt(attribute(attributes, "data-expected")) - 1,
                Integer.parseInt(attribute(attributes, "data-charts")), status.group(2));
        assertTrue(status.group(2).contains("chart arch-0-confusion"), status.group(2));
    }

    private static Matcher status(String dom) {
        Matcher status = Pattern.compile("<div id=\"" + HtmlReport.STATUS_ELEMENT_ID + "\"([^>]*)>(.*?)</div>",
                Pattern.DOTALL).matcher(dom);
        assertTrue(status.find(), "the page has no render status element");
        return status;
    }

    private static String attribute(String attributes, String name) {
        Matcher m = Pattern.compile(name + "=\"([^\"]*)\"").matcher(attributes);
        assertTrue(m.find(), "no " + name + " in " + attributes);
        return m.group(1);
    }
}
