package io.cnnbench.reports;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/** One row of {@code results.csv}: values kept as the text written to the file. */
public final class ResultRow {
    /** Status of a row whose architecture trained and passed its checks. */
    public static final String OK = "ok";
    public static final String FAILED = "failed";

    private final Map<ResultColumn, String> values = new EnumMap<>(ResultColumn.class);

    public ResultRow set(ResultColumn c, String v) {
        if (v == null || v.isEmpty()) {
            values.remove(c);
        } else {
            values.put(c, v);
        }
        return this;
    }

    public ResultRow set(ResultColumn c, long v) {
        return set(c, Long.toString(v));
    }

    /**
     * Doubles are written with enough digits to round-trip, in a locale-independent form. Any non-finite value is
     * written as NaN, "no usable measurement": readers refuse infinities as values this tool never measures, and
     * one infinite cell (the best validation loss of a run whose every validation loss was NaN) made the whole
     * results.csv unreadable, and with it every other architecture's row.
     */
    public ResultRow set(ResultColumn c, double v) {
        return set(c, Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v).trim() : "NaN");
    }

    public String get(ResultColumn c) {
        return values.getOrDefault(c, "");
    }

    public boolean has(ResultColumn c) {
        return values.containsKey(c);
    }

    public double getDouble(ResultColumn c) {
        String v = values.get(c);
        return v == null ? Double.NaN : Double.parseDouble(v);
    }

    public long getLong(ResultColumn c) {
        return Long.parseLong(get(c));
    }

    public String architecture() {
        return get(ResultColumn.ARCHITECTURE);
    }

    public boolean ok() {
        return OK.equals(get(ResultColumn.STATUS));
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
