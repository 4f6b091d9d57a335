package io.cnnbench.reports;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * What the report inlines so that it opens offline: the minified ECharts script from its WebJar on the class path,
 * and the page's own style sheet and scripts ({@code report.css}, {@code errors.js}, {@code report.js}).
 */
final class PageAssets {
    private static final String ECHARTS_WEBJAR = "META-INF/maven/org.webjars.npm/echarts/pom.properties";

    /** The minified ECharts script and its version. */
    record ECharts(String script, String version) {
    }

    private PageAssets() {
    }

    static ECharts echarts() {
        ClassLoader loader = PageAssets.class.getClassLoader();
        Properties webjar = new Properties();
        try (InputStream in = loader.getResourceAsStream(ECHARTS_WEBJAR)) {
            if (in == null) {
                throw new IllegalStateException("the ECharts WebJar (org.webjars.npm:echarts) is not on the class"
                        + " path; it is a dependency of cnn-reports");
            }
            webjar.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String version = webjar.getProperty("version");
        String script = resource(loader, "META-INF/resources/webjars/echarts/" + version + "/dist/echarts.min.js");
        return new ECharts(script, version);
    }

    /** One of this module's resources in {@code io/cnnbench/reports/}. */
    static String own(String name) {
        return resource(PageAssets.class.getClassLoader(), "io/cnnbench/reports/" + name);
    }

    /** {@code js} as an inline script element. */
    static String script(String js) {
        // A literal "</script" inside would end the element early; "<\/" means the same in JavaScript.
        return "<script>\n" + js.replace("</script", "<\\/script") + "\n</script>\n";
    }

    private static String resource(ClassLoader loader, String name) {
        try (InputStream in = loader.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
