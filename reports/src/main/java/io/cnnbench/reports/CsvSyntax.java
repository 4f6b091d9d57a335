package io.cnnbench.reports;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds where a CSV file breaks the quoting rules (RFC 4180), so that a parse failure of Commons CSV, which
 * names a line at best, becomes an error with the line and the cell the user can jump to.
 */
final class CsvSyntax {
    private CsvSyntax() {
    }

    /**
     * The first quoting error in {@code file}, or, when the scan finds none, an error at the line where
     * Commons CSV stopped.
     */
    static CsvFormatException locate(Path file, long parserLine, String parserMessage) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return new CsvFormatException(file, "cannot be read: " + e.getMessage());
        }
        long line = 1;
        int cell = 1;
        boolean quoted = false;
        boolean cellStart = true;
        long openLine = 0;
        int openCell = 0;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quoted) {
                if (ch == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        i++;
                    } else {
                        quoted = false;
                        char next = i + 1 < text.length() ? text.charAt(i + 1) : ',';
                        if (next != ',' && next != '\n' && next != '\r') {
                            return new CsvFormatException(file, line, cell, "unexpected '" + next
                                    + "' after the closing quote: a quoted cell ends at its quote (write \"\" for a"
                                    + " quote inside it)");
                        }
                    }
                } else if (ch == '\n') {
                    line++;
                }
                cellStart = false;
                continue;
            }
            switch (ch) {
                case '"' -> {
                    if (!cellStart) {
                        return new CsvFormatException(file, line, cell, "a quote inside an unquoted cell: quote"
                                + " the whole cell and write the quote as \"\"");
                    }
                    quoted = true;
                    openLine = line;
                    openCell = cell;
                    cellStart = false;
                }
                case ',' -> {
                    cell++;
                    cellStart = true;
                }
                case '\n' -> {
                    line++;
                    cell = 1;
                    cellStart = true;
                }
                case '\r' -> cellStart = true;
                default -> cellStart = false;
            }
        }
        if (quoted) {
            return new CsvFormatException(file, openLine, openCell, "the quote that opens this cell is never"
                    + " closed");
        }
        return new CsvFormatException(file, Math.max(parserLine, 1), 1, "not valid CSV: " + parserMessage);
    }
}
