package io.cnnbench.reports;

import java.util.regex.Pattern;

/**
 * Keeps spreadsheets from running text cells as formulas (CSV injection, see the OWASP page "CSV Injection").
 * A text cell that starts with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a carriage return is written
 * with a single quote in front ({@code '=cmd}), which spreadsheets show as text. A text cell that itself starts
 * with a quote gets one more, so that readers can take exactly one leading quote off every text cell and get
 * back what was written.
 *
 * <p>Only text columns are treated this way (names, status, messages, devices, file names, class names); a cell
 * of a numeric column that holds a plain number, such as {@code -0.0012}, is written as it is. Every CSV file of
 * this module is written through {@link #text} and {@link #number} and read through {@link #readText}.
 */
public final class CsvCells {
    /** What spreadsheets take as the start of a formula, per OWASP; plus the quote itself, for a lossless read. */
    private static final String TRIGGERS = "=+-@\t\r'";
    /** A number as {@link String#format} and {@link Long#toString} write it, and as Double.parseDouble reads it. */
    private static final Pattern PLAIN_NUMBER = Pattern.compile(
            "[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?|NaN|[-+]?Infinity");

    private CsvCells() {
    }

    /** {@code value} as a text cell: with a leading {@code '} when it starts with a formula character or a quote. */
    public static String text(String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        return TRIGGERS.indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
    }

    /**
     * {@code value} as a cell of a numeric column: a plain number as it is; anything else (which a reader will
     * reject as not a number) is neutralised like {@link #text}, so that it cannot run as a formula either.
     */
    public static String number(String value) {
        if (value == null || value.isEmpty() || PLAIN_NUMBER.matcher(value).matches()) {
            return value;
        }
        return text(value);
    }

    /** A text cell as read from the file, without the one leading quote {@link #text} adds. */
    public static String readText(String cell) {
        return cell != null && cell.startsWith("'") ? cell.substring(1) : cell;
    }
}
