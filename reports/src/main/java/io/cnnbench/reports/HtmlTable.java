package io.cnnbench.reports;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A table of the report, declared column by column: each column names its header and the function that makes its
 * cell from a row, so headers and cells cannot drift apart. Columns may be grouped under a shared header; then the
 * header has two rows, with ungrouped columns spanning both.
 *
 * @param <T> what one row of the table shows
 */
final class HtmlTable<T> {
    /** A cell: its markup (already escaped) and its CSS class, empty for none. */
    record Cell(String html, String cssClass) {
        static Cell text(String text) {
            return new Cell(Html.esc(text), "");
        }

        static Cell text(String text, String cssClass) {
            return new Cell(Html.esc(text), cssClass);
        }
    }

    private record Column<T>(String group, String headerHtml, String headerClass, Function<T, Cell> cell) {
    }

    private final String id;
    private final List<Column<T>> columns = new ArrayList<>();

    HtmlTable(String id) {
        this.id = id;
    }

    /** The row's name column: left-aligned header and cells. {@code headerHtml} is markup, not text. */
    HtmlTable<T> name(String headerHtml, Function<T, Cell> cell) {
        columns.add(new Column<>(null, headerHtml, "name", cell));
        return this;
    }

    /** A column with the header {@code headerHtml} (markup, not text). */
    HtmlTable<T> column(String headerHtml, Function<T, Cell> cell) {
        columns.add(new Column<>(null, headerHtml, "", cell));
        return this;
    }

    /** A column under the shared header {@code group}; consecutive columns of one group share its header cell. */
    HtmlTable<T> column(String group, String headerHtml, Function<T, Cell> cell) {
        columns.add(new Column<>(group, headerHtml, "", cell));
        return this;
    }

    /** {@code <table id=…>} with its header and one row per element of {@code rows}, without a final newline. */
    String render(List<T> rows) {
        StringBuilder html = new StringBuilder();
        html.append("<table id=\"").append(Html.esc(id)).append("\">\n<thead><tr>");
        boolean grouped = columns.stream().anyMatch(c -> c.group() != null);
        StringBuilder second = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            Column<T> c = columns.get(i);
            if (c.group() == null) {
                html.append("<th").append(cssClass(c.headerClass())).append(grouped ? " rowspan=\"2\"" : "")
                        .append('>').append(c.headerHtml()).append("</th>");
                continue;
            }
            int span = 1;
            while (i + span < columns.size() && c.group().equals(columns.get(i + span).group())) {
                span++;
            }
            html.append("<th colspan=\"").append(span).append("\">").append(c.group()).append("</th>");
            for (int k = i; k < i + span; k++) {
                Column<T> sub = columns.get(k);
                second.append("<th").append(cssClass(sub.headerClass())).append('>').append(sub.headerHtml())
                        .append("</th>");
            }
            i += span - 1;
        }
        if (grouped) {
            html.append("</tr>\n<tr>").append(second);
        }
        html.append("</tr></thead>\n<tbody>\n");
        for (T row : rows) {
            html.append("<tr>");
            for (Column<T> c : columns) {
                Cell cell = c.cell().apply(row);
                String css = cell.cssClass().isEmpty() ? c.headerClass() : cell.cssClass();
                html.append("<td").append(cssClass(css)).append('>').append(cell.html()).append("</td>");
            }
            html.append("</tr>\n");
        }
        return html.append("</tbody></table>").toString();
    }

    private static String cssClass(String css) {
        return css.isEmpty() ? "" : " class=\"" + css + "\"";
    }
}
