package io.cnnbench.reports;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The charts of one page: each chart is a container {@code <div class="chart" data-chart="id">} in the markup and
 * a spec under the same id in the page's JSON blob, which {@code report.js} turns into ECharts options by the
 * spec's {@code kind}. Registering both here keeps the two, and the render-status marker's count, in step.
 */
final class Charts {
    private final Map<String, Object> specs = new LinkedHashMap<>();

    /** Registers {@code spec} under {@code id} and returns the chart's container. */
    String add(String id, String cssClass, Map<String, Object> spec) {
        specs.put(id, spec);
        return "<div class=\"chart" + (cssClass.isEmpty() ? "" : " " + cssClass) + "\" id=\"chart-" + Html.esc(id)
                + "\" data-chart=\"" + Html.esc(id) + "\"></div>\n";
    }

    int count() {
        return specs.size();
    }

    /** The JSON blob's content: {@code {"charts": {id: spec, …}}}. */
    Map<String, Object> data() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("charts", specs);
        return data;
    }

    /** One line of a {@code curves} chart: one role (train or validation) of one seed. */
    static Map<String, Object> series(String name, String role, int seedIndex, String seed, double[] x, double[] y) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", name);
        s.put("role", role);
        s.put("seedIndex", seedIndex);
        s.put("seed", seed);
        s.put("x", x);
        s.put("y", y);
        return s;
    }

    static Map<String, Object> curves(String title, String yName, List<Map<String, Object>> series,
                                      boolean logScale) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("kind", "curves");
        spec.put("title", title);
        spec.put("yName", yName);
        spec.put("logScale", logScale);
        spec.put("series", series);
        return spec;
    }
}
