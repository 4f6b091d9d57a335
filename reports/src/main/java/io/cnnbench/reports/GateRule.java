package io.cnnbench.reports;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One rule of the build gate, for the architectures its pattern matches ({@code *} and {@code ?} are
 * wildcards; {@code *} alone matches all). Each limit may be left {@code null}: an architecture takes each limit
 * from the most specific matching rule that sets it (an exact name before a pattern, a longer pattern before a
 * shorter one, then the order of declaration).
 *
 * <p>A change against the baseline fails only when it is both larger than the rule's limit (a change that
 * matters) and larger than {@code stdDevs} standard errors of the difference between the two means (a change
 * that the baseline's seed noise does not explain); see {@link ChangeTolerance}. So a noisy protocol's baseline
 * widens the band and a quiet one is held to the limit; a run's own spread never widens it.
 *
 * @param architecture    an architecture name or a pattern such as {@code resnext*}
 * @param minTestAccuracy the lowest acceptable test accuracy (mean over seeds), a fraction in [0, 1]
 * @param maxDrop         the largest acceptable fall of the mean test accuracy below the baseline's, a fraction
 * @param maxRise         the largest acceptable rise above the baseline's mean, a fraction; {@code null}: no limit
 * @param stdDevs         how many standard errors of the difference of the means seed noise may explain
 */
public record GateRule(String architecture, Double minTestAccuracy, Double maxDrop, Double maxRise, Double stdDevs) {
    /** Standard errors of tolerance when no matching rule sets {@code stdDevs}. */
    public static final double DEFAULT_STD_DEVS = 3.0;

    /**
     * The rule a baseline without {@code <rules>} is judged by: every architecture's mean may move at most two
     * percentage points from its baseline's mean, in either direction, unless the seeds' noise explains more (3
     * standard errors). Sized on the ci protocol (docs/regression-tracking.md): resnext-seed's seed standard
     * deviation there is 0.0067 over six seeds, so a single-seed run moves by up to 3 x 0.0073 = 0.022 without any
     * change (the band there is that, not the floor), and a tighter floor would fail unchanged builds.
     *
     * <p>Why a rise fails too: the baseline is the level later drops are measured from. A build that rose by more
     * than the band and was let through would leave it stale, and a later regression of the same size would then
     * pass unnoticed. A rise that is intended is accepted by recording it ({@code -Dcnn.updateBaseline=true}).
     */
    public static final GateRule DEFAULT_BASELINE_RULE = new GateRule("*", null, 0.02, 0.02, DEFAULT_STD_DEVS);

    /**
     * The rules the gate applies: the configured ones, or {@link #DEFAULT_BASELINE_RULE} when none are configured
     * but a baseline is, so that a baseline is never silently ignored.
     */
    public static List<GateRule> effective(List<GateRule> configured, boolean hasBaseline) {
        return configured.isEmpty() && hasBaseline ? List.of(DEFAULT_BASELINE_RULE) : List.copyOf(configured);
    }

    /** A rule without a limit on rises. */
    public GateRule(String architecture, Double minTestAccuracy, Double maxDrop, Double stdDevs) {
        this(architecture, minTestAccuracy, maxDrop, null, stdDevs);
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
        if (maxRise != null && !(maxRise >= 0 && maxRise <= 1)) {
            throw new IllegalArgumentException(where + "maxRise is a fraction between 0 and 1 (0.01 = one"
                    + " percentage point), got " + maxRise);
        }
        if (stdDevs != null && !(stdDevs >= 0 && stdDevs < 100)) {
            throw new IllegalArgumentException(where + "stdDevs is a non-negative number of standard errors,"
                    + " got " + stdDevs);
        }
        if (minTestAccuracy == null && maxDrop == null && maxRise == null) {
            // stdDevs alone widens limits that no rule sets: such a rule would judge nothing.
            throw new IllegalArgumentException(where + "sets no limit; give minTestAccuracy, maxDrop and/or maxRise");
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
