package io.cnnbench.reports;

/**
 * How far a run's mean test accuracy may move from the baseline's mean before the gate calls it a change.
 *
 * <p>Seed noise is what the baseline's seeds show: their sample standard deviation. The standard error of the
 * difference of the two means is then {@code std_baseline x sqrt(1/n_baseline + 1/n_run)}. The run's own spread is
 * deliberately left out: a run whose seeds disagree (one of them collapsed, say) is itself the kind of change a gate
 * exists to catch, and pooling its spread would widen its own band enough to pass it. A change fails when it exceeds
 * both the rule's limit and {@code stdDevs} standard errors, the "large enough to matter and too large to be noise"
 * test that benchmark trackers such as airspeed velocity apply.
 *
 * @param standardError    the standard error of the difference of the means; 0 when it cannot be estimated
 * @param degreesOfFreedom the baseline's seeds minus one; 0 when the baseline has a single seed (noise unknown)
 */
public record ChangeTolerance(double standardError, int degreesOfFreedom) {

    /** The tolerance for comparing {@code run} with {@code baseline}; both must have at least one value. */
    public static ChangeTolerance of(Statistic baseline, Statistic run) {
        if (!baseline.present() || !run.present()) {
            throw new IllegalArgumentException("a change needs a value on both sides");
        }
        int df = baseline.count() - 1;
        if (df == 0) {
            return new ChangeTolerance(0, 0);
        }
        return new ChangeTolerance(baseline.stdOrZero() * Math.sqrt(1.0 / baseline.count() + 1.0 / run.count()), df);
    }

    /** Whether the baseline's seeds tell anything about noise (it has two or more). */
    public boolean noiseKnown() {
        return degreesOfFreedom > 0;
    }

    /** The allowed change for a rule limit: the larger of the limit and {@code stdDevs} standard errors. */
    public double allowed(double limit, double stdDevs) {
        return Math.max(limit, stdDevs * standardError);
    }

    /** The allowance as the build log shows it, e.g. {@code max(maxDrop 0.01, 3 x SE 0.002 = 0.006) = 0.01}. */
    public String describe(String limitName, double limit, double stdDevs) {
        if (!noiseKnown() || stdDevs == 0) {
            return BaselineGate.fmt(limit);
        }
        return "max(" + limitName + " " + BaselineGate.fmt(limit) + ", " + BaselineGate.fmt(stdDevs) + " x SE "
                + BaselineGate.fmt(standardError) + " = " + BaselineGate.fmt(stdDevs * standardError) + ") = "
                + BaselineGate.fmt(allowed(limit, stdDevs));
    }
}
