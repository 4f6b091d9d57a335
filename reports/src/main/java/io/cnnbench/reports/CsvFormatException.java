package io.cnnbench.reports;

import java.nio.file.Path;

/**
 * A malformed data file: says which file, line and column, and what was expected. Lines count from 1 with the
 * header as line 1; columns are 1-based cell positions within the line, as a spreadsheet numbers them.
 */
public class CsvFormatException extends RuntimeException {
    private final transient Path file;
    private final long line;
    private final int column;

    public CsvFormatException(Path file, long line, int column, String problem) {
        super(file + ":" + line + ":" + column + ": " + problem);
        this.file = file;
        this.line = line;
        this.column = column;
    }

    public CsvFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
        this.line = 0;
        this.column = 0;
    }

    public Path file() {
        return file;
    }

    /** The line of the problem, or 0 when it concerns the whole file (e.g. the file does not exist). */
    public long line() {
        return line;
    }

    /** The cell of the problem, or 0 when it concerns the whole file. */
    public int column() {
        return column;
    }
}
