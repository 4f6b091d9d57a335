package io.cnnbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        Path history = work.resolve(History.FILE);
        Files.deleteIfExists(history);
        History.append(history, List.of(
                HistoryTest.entry("aaaaaaa111", "resnext-seed", 3, 0.50, 0.01),
                HistoryTest.entry("bbbbbbb222", "resnext-seed", 3, 0.51, 0.01),
                HistoryTest.entry("ccccccc333", "resnext-seed", 3, 0.46, 0.01),
                HistoryTest.entry("aaaaaaa111", "mobilenetv3-small", 1, 0.47, Double.NaN),
                HistoryTest.entry("bbbbbbb222", "mobilenetv3-small", 1, 0.47, Double.NaN)));
        Path page = HtmlReport.write(work.resolve("report.html"), List.of(single, other), baseline, null,
                List.of(new GateRule("*", null, 0.02, 2.0)), GateScope.ALL, history);

        String dom = new HeadlessChromium(chromium).dumpDom(page);
        Matcher status = status(dom);
        String attributes = status.group(1);
        String text = status.group(2);
        assertEquals("done", attribute(attributes, "data-state"), "the report's script did not finish: " + text);
        assertEquals("0", attribute(attributes, "data-errors"), "errors in the page: " + text);
        int expected = Integer.parseInt(attribute(attributes, "data-expected"));
        // Two architectures x (3 curves + confusion + per-class) + accuracy vs MACs + baseline delta + two
        // histories.
        assertEquals(14, expected, text);
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

    /** What a hostile results directory puts in names: markup that runs script if a tooltip renders it as HTML. */
    static final String ARCHITECTURE_PAYLOAD = "<img src=x onerror=alert(1)>";
    static final String CLASS_PAYLOAD = "<img src=x onerror=alert(2)>";
    static final String CLASS_PAYLOAD_2 = "\"><svg onload=alert(3)><b>bold</b>";

    /**
     * Architecture and class names that carry HTML are shown as text in every tooltip: the test opens each
     * chart's tooltip (ECharts' showTip) and reads the tooltip's DOM; no element from the payloads may exist and
     * no payload may run (alert is replaced by a flag).
     */
    @Test
    void namesWithHtmlShowAsText() throws Exception {
        Path chromium = HeadlessChromium.binary();
        assumeTrue(Files.isExecutable(chromium), "headless browser check skipped: " + chromium + " is missing;"
                + " install it with `apt-get install chromium`");
        Path work = ARTIFACTS.resolve("html-names").toAbsolutePath();
        List<String> classes = new java.util.ArrayList<>(SampleRuns.CLASSES);
        classes.set(0, CLASS_PAYLOAD);
        classes.set(1, CLASS_PAYLOAD_2);
        // The payload architecture comes first, so it is series 0 of the accuracy-versus-MACs chart. Its name is
        // not a valid folder name, so it has a results row only.
        Path out = new SampleRuns(work.resolve("run"))
                .rowOnly(SampleRuns.row(ARCHITECTURE_PAYLOAD, 42, 0.41).set(ResultColumn.MACS, 5_000_000)
                        .set(ResultColumn.TRAINABLE_PARAMS, 100_000))
                .classes(classes)
                .architecture("resnext-seed", 216_970, 40_894_720, new long[] {42}, new double[] {0.52})
                .write();
        Path baseline = work.resolve("baseline.csv");
        RunFiles.writeResults(baseline, List.of(SampleRuns.row(ARCHITECTURE_PAYLOAD, 42, 0.40),
                SampleRuns.row("resnext-seed", 42, 0.50)));
        Path history = work.resolve(History.FILE);
        Files.deleteIfExists(history);
        History.append(history, List.of(new HistoryEntry(java.time.Instant.parse("2025-01-01T00:00:00Z"),
                CLASS_PAYLOAD_2, CLASS_PAYLOAD, "m", "quick", "fp", ARCHITECTURE_PAYLOAD, 1, 0.4, Double.NaN,
                Double.NaN, ARCHITECTURE_PAYLOAD)));
        Path page = HtmlReport.write(work.resolve("report.html"), List.of(out), baseline, null, List.of(),
                GateScope.ALL, history);
        String html = Files.readString(page);
        int end = html.lastIndexOf("</body>");
        Files.writeString(page, html.substring(0, end) + TOOLTIP_PROBE + html.substring(end));

        String dom = new HeadlessChromium(chromium).dumpDom(page);
        Files.writeString(work.resolve("dom.html"), dom);
        Matcher probe = Pattern.compile("<pre id=\"cnn-tooltip-probe\"([^>]*)>(.*?)</pre>", Pattern.DOTALL)
                .matcher(dom);
        assertTrue(probe.find(), "the tooltip probe did not run");
        String attributes = probe.group(1);
        String tooltips = decode(probe.group(2));
        assertEquals("false", attribute(attributes, "data-fired"), "a payload ran script:\n" + tooltips);
        assertEquals("0", attribute(attributes, "data-payload-elements"),
                "elements from a payload exist in the page:\n" + decode(attribute(attributes, "data-payload-tags")));
        Matcher status = status(dom);
        assertEquals("0", attribute(status.group(1), "data-errors"), "errors in the page: " + status.group(2));

        // Each tooltip shows the names as text.
        assertTrue(line(tooltips, "accuracy-vs-macs").contains(ARCHITECTURE_PAYLOAD), tooltips);
        assertTrue(line(tooltips, "baseline-delta").contains(ARCHITECTURE_PAYLOAD), tooltips);
        assertTrue(line(tooltips, "arch-1-confusion").contains("actual " + CLASS_PAYLOAD), tooltips);
        assertTrue(line(tooltips, "arch-1-per-class").contains(CLASS_PAYLOAD), tooltips);
        assertTrue(line(tooltips, "arch-1-accuracy").contains("epoch 1"), tooltips);
        assertTrue(line(tooltips, "history-0").contains("commit " + CLASS_PAYLOAD_2 + " (" + CLASS_PAYLOAD + ")"),
                tooltips);
        assertTrue(line(tooltips, "history-0").contains("run " + ARCHITECTURE_PAYLOAD), tooltips);
        // The Java-side HTML (tables, navigation, notes) escapes the names too.
        String markup = html.replaceAll("(?s)(<script[^>]*>).*?</script>", "$1</script>");
        assertFalse(markup.contains(ARCHITECTURE_PAYLOAD), "unescaped architecture name in the page's markup");
        assertTrue(markup.contains(HtmlReport.esc(ARCHITECTURE_PAYLOAD)), "the name is shown, escaped");
    }

    /**
     * Appended to the page in the test only: opens every chart's tooltip, then records each tooltip's text, whether
     * alert was called, and any element a payload would create ({@code img}, {@code svg}, {@code b}, or an
     * element with an event handler attribute).
     */
    private static final String TOOLTIP_PROBE = """
            <script>
            (function () {
              window.cnnPayloadFired = false;
              window.alert = function () { window.cnnPayloadFired = true; };
              var divs = Array.prototype.slice.call(document.querySelectorAll('div.chart[data-chart]'));
              divs.forEach(function (div) {
                var chart = echarts.getInstanceByDom(div);
                if (chart) {
                  chart.dispatchAction({ type: 'showTip', seriesIndex: 0, dataIndex: 0 });
                }
              });
              setTimeout(function () {
                var lines = divs.map(function (div) {
                  // ECharts puts its HTML tooltip in the chart's element, beside the element holding the canvas.
                  var tips = Array.prototype.filter.call(div.children, function (c) {
                    return !c.querySelector('canvas');
                  });
                  return div.getAttribute('data-chart') + '\\t' + tips.map(function (t) {
                    return t.textContent.replace(/\\s+/g, ' ');
                  }).join(' | ');
                });
                var payload = document.querySelectorAll('img, svg, b, [onerror], [onload], [onmouseover]');
                var out = document.createElement('pre');
                out.id = 'cnn-tooltip-probe';
                out.setAttribute('data-fired', String(window.cnnPayloadFired));
                out.setAttribute('data-payload-elements', String(payload.length));
                out.setAttribute('data-payload-tags', Array.prototype.map.call(payload, function (e) {
                  return e.outerHTML;
                }).join(' '));
                out.textContent = lines.join('\\n');
                document.body.appendChild(out);
              }, 1500);
            })();
            </script>
            """;

    private static String line(String lines, String chart) {
        for (String l : lines.split("\n")) {
            if (l.startsWith(chart + "\t")) {
                return l;
            }
        }
        throw new AssertionError("no tooltip line for chart " + chart + " in:\n" + lines);
    }

    /** Undoes the entity encoding of Chromium's DOM serialisation. */
    private static String decode(String serialised) {
        return serialised.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&nbsp;", "\u00a0").replace("&amp;", "&");
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
