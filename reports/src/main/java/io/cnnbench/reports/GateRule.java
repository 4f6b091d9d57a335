package io.cnnbench.reports;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One rule of the build gate, for the architectures its pattern matches ({@code *} and {@code ?} are
 * wildcards; {@code *} alone matches all). Each limit may be left {@code null}: an architecture takes each limit
 * from the most specific matching rule that sets it (an exact name before a pattern, a longer pattern before a
 * shorter one, then the order of declaration).
 *
 * @param architecture   an architecture name or a pattern such as {@code resnext*}
 * @param minTestAccuracy the lowest acceptable test accuracy (mean over seeds), a fraction in [0, 1]
 * @param maxDrop        the largest acceptable fall of the mean test accuracy below the baseline's, a fraction
 * @param stdDevs        how many standard deviations of the run's seeds are added to {@code maxDrop}
 */
public record GateRule(String architecture, Double minTestAccuracy, Double maxDrop, Double stdDevs) {
    /** Standard deviations of tolerance when no matching rule sets {@code stdDevs}. */
    public static final double DEFAULT_STD_DEVS = 2.0;

    /**
     * The rule a baseline without {@code <rules>} is judged by: every architecture may fall at most two percentage
     * points below its baseline mean, plus two standard deviations of this run's seeds.
     */
    public static final GateRule DEFAULT_BASELINE_RULE = new GateRule("*", null, 0.02, DEFAULT_STD_DEVS);

    /**
     * The rules the gate applies: the configured ones, or {@link #DEFAULT_BASELINE_RULE} when none are configured
     * but a baseline is, so that a baseline is never silently ignored.
     */
    public static List<GateRule> effective(List<GateRule> configured, boolean hasBaseline) {
        return configured.isEmpty() && hasBaseline ? List.of(DEFAULT_BASELINE_RULE) : List.copyOf(configured);
    }

    public GateRule {
        if (architecture == null || architecture.isBlank()) {
            throw new IllegalArgumentException("a rule needs an <architecture> (a name, or * for all)");
        }
        architecture = architecture.trim();
        String where = "rule for '" + architecture + "': ";
        if (minTestAccuracy != null && !(minTestAccuracy >= 0 && minTestAccuracy <= 1)) {
            throw new IllegalArgumentException(where + "minTestAccuracy is a fraction between 0 and 1, got "
                    + minTestAccuracy);
        }
        if (maxDrop != null && !(maxDrop >= 0 && maxDrop <= 1)) {
            throw new IllegalArgumentException(where + "maxDrop is a fraction between 0 and 1 (0.02 = two"
                    + " percentage points), got " + maxDrop);
        }
        if (stdDevs != null && !(stdDevs >= 0 && stdDevs < 100)) {
            throw new IllegalArgumentException(where + "stdDevs is a non-negative number of standard deviations,"
                    + " got " + stdDevs);
        }
        if (minTestAccuracy == null && maxDrop == null) {
            // stdDevs alone widens a maxDrop that no rule sets: such a rule would judge nothing.
            throw new IllegalArgumentException(where + "sets no limit; give minTestAccuracy and/or maxDrop");
        }
    }

    public boolean isPattern() {
        return architecture.indexOf('*') >= 0 || architecture.indexOf('?') >= 0;
    }

    public boolean matches(String name) {
        return globMatches(architecture, name);
    }

    /** Whether {@code name} matches {@code glob}, where {@code *} is any text and {@code ?} one character. */
    static boolean globMatches(String glob, String name) {
        StringBuilder regex = new StringBuilder();
        for (char ch : glob.trim().toCharArray()) {
            switch (ch) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return name.matches(regex.toString());
    }

    /** Higher is more specific: an exact name beats any pattern; a pattern with more literal characters wins. */
    int specificity() {
        if (!isPattern()) {
            return Integer.MAX_VALUE;
        }
        return architecture.replace("*", "").replace("?", "").length();
    }
}
