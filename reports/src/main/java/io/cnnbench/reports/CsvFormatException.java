package io.cnnbench.reports;

import java.nio.file.Path;

/** A malformed data file: says which file, line and column, and what was expected. */
public class CsvFormatException extends RuntimeException {
    public CsvFormatException(Path file, long line, int column, String problem) {
        super(file + ":" + line + ":" + column + ": " + problem);
    }

    public CsvFormatException(Path file, String problem) {
        super(file + ": " + problem);
    }
}
