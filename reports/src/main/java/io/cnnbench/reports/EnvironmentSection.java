package io.cnnbench.reports;

import io.cnnbench.reports.HtmlTable.Cell;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** The closing sections: the environment each result directory was produced in, and the notes gathered on the way. */
final class EnvironmentSection {
    private final ReportPage page;

    EnvironmentSection(ReportPage page) {
        this.page = page;
    }

    void environment() {
        StringBuilder html = page.html;
        html.append("<section id=\"environment\">\n<h2>Environment</h2>\n");
        Map<String, Environment> columns = new LinkedHashMap<>();
        if (page.env != null) {
            columns.put("this run", page.env);
        }
        page.merged.environments().forEach((dir, e) -> {
            if (!e.equals(page.env)) {
                columns.put(dir.toString(), e);
            }
        });
        if (columns.isEmpty()) {
            html.append("<p class=\"muted\">Not recorded: none of the result directories has an ")
                    .append(Environment.FILE).append(page.merged.environmentsLeftOut().isEmpty() ? ""
                            : " of the run that wrote its results (see the notes)").append(".</p>\n</section>\n");
            return;
        }
        Set<String> keys = new LinkedHashSet<>();
        columns.values().forEach(e -> keys.addAll(e.values().keySet()));
        HtmlTable<String> table = new HtmlTable<String>("environment-table").name("", key -> Cell.text(label(key)));
        columns.forEach((name, e) -> table.column(Html.esc(name), key -> {
            String v = e.get(key);
            return v == null ? new Cell("<span class=\"muted\">" + Html.NONE + "</span>", "text")
                    : Cell.text(v, "text");
        }));
        html.append(table.render(new ArrayList<>(keys))).append("\n</section>\n");
    }

    private static String label(String key) {
        return switch (key) {
            case Environment.DATE -> "date";
            case Environment.OS -> "operating system";
            case Environment.CPU -> "CPU";
            case Environment.CPU_CORES -> "CPU cores";
            case Environment.GPU -> "GPU";
            case Environment.DEVICE -> "device";
            case Environment.JAVA -> "Java";
            case Environment.ENGINE -> "engine";
            case Environment.ENGINE_VERSION -> "engine version";
            case Environment.GIT_COMMIT -> "git commit";
            default -> key.startsWith(Environment.LIBRARY_PREFIX)
                    ? key.substring(Environment.LIBRARY_PREFIX.length()) : key;
        };
    }

    void notes() {
        if (page.notes.isEmpty()) {
            return;
        }
        page.html.append("<section id=\"notes\">\n<h2>Notes</h2>\n<ul class=\"notes\">\n");
        for (String n : page.notes) {
            VerdictSections.item(page.html, "warning", n);
        }
        page.html.append("</ul>\n</section>\n");
    }
}
