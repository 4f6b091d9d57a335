package io.cnnbench.reports;

import java.util.Locale;

/** HTML escaping and the number formats of the report's tables: one place, so every table writes numbers alike. */
final class Html {
    /** Shown in a cell that has no value. */
    static final String NONE = "–";

    private Html() {
    }

    /** HTML-encodes text for element content and quoted attribute values (OWASP: {@code & < > " '}). */
    static String esc(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    static String meanStd(Statistic s, int decimals) {
        if (!s.present()) {
            return NONE;
        }
        String mean = String.format(Locale.ROOT, "%,." + decimals + "f", s.mean());
        return Double.isNaN(s.std()) ? mean : mean + " ± " + String.format(Locale.ROOT, "%,." + decimals + "f", s.std());
    }

    static String mean(Statistic s, int decimals) {
        return s.present() ? String.format(Locale.ROOT, "%,." + decimals + "f", s.mean()) : NONE;
    }

    static String integer(double v) {
        return Double.isNaN(v) ? NONE : String.format(Locale.ROOT, "%,d", Math.round(v));
    }

    static String millions(double v) {
        return Double.isNaN(v) ? NONE : String.format(Locale.ROOT, "%.2f M", v / 1e6);
    }

    static String scientific(double v) {
        return Double.isNaN(v) ? NONE : String.format(Locale.ROOT, "%.2e", v);
    }

    static String signed(double v) {
        return (v >= 0 ? "+" : "−") + String.format(Locale.ROOT, "%.4f", Math.abs(v));
    }
}
