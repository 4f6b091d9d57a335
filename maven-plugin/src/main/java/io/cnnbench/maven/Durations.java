package io.cnnbench.maven;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import org.apache.maven.plugin.MojoExecutionException;

/** Durations as users write them in a POM or on the command line. */
final class Durations {
    private Durations() {
    }

    /**
     * {@code 90m}, {@code 2h}, {@code 600s}, {@code 1d} or ISO-8601 ({@code PT1H30M}); {@code null} or blank is
     * no limit ({@code null}).
     */
    static Duration parse(String property, String text) throws MojoExecutionException {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            Duration d;
            if (t.startsWith("p")) {
                d = Duration.parse(t.toUpperCase(Locale.ROOT));
            } else {
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                d = switch (t.charAt(t.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    case 'd' -> Duration.ofDays(n);
                    default -> throw new NumberFormatException();
                };
            }
            if (d.isNegative() || d.isZero() || d.compareTo(Duration.ofDays(365)) > 0) {
                throw new NumberFormatException(); // a year is more than any run; larger values overflow millis
            }
            return d;
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException
                 | ArithmeticException e) {
            throw new MojoExecutionException(property + " must be a positive duration of at most a year, such"
                    + " as 90m, 2h, 600s or PT1H30M, got '" + text + "'");
        }
    }
}
