package io.cnnbench.reports;

/**
 * How far a run's mean test accuracy may move from the baseline's mean before the gate calls it a change.
 *
 * <p>Seed noise is estimated from both sides: the sample standard deviations of the baseline's seeds and of the
 * run's seeds, pooled over their degrees of freedom (each side around its own mean, so a real shift between them
 * does not inflate it). The standard error of the difference of the two means is then
 * {@code pooled x sqrt(1/n_baseline + 1/n_run)}: a single-seed run against a 3-seed baseline is judged by the
 * baseline's noise. A change fails when it exceeds both the rule's limit and {@code stdDevs} standard errors, the
 * "large enough to matter and too large to be noise" test that benchmark trackers such as airspeed velocity apply.
 *
 * @param standardError    the standard error of the difference of the means; 0 when it cannot be estimated
 * @param degreesOfFreedom seeds minus one, summed over both sides; 0 when both have a single seed
 */
public record ChangeTolerance(double standardError, int degreesOfFreedom) {

    /** The tolerance for comparing {@code run} with {@code baseline}; both must have at least one value. */
    public static ChangeTolerance of(Statistic baseline, Statistic run) {
        if (!baseline.present() || !run.present()) {
            throw new IllegalArgumentException("a change needs a value on both sides");
        }
        int df = (baseline.count() - 1) + (run.count() - 1);
        if (df == 0) {
            return new ChangeTolerance(0, 0);
        }
        double pooledVariance = ((baseline.count() - 1) * square(baseline.stdOrZero())
                + (run.count() - 1) * square(run.stdOrZero())) / df;
        return new ChangeTolerance(Math.sqrt(pooledVariance) * Math.sqrt(1.0 / baseline.count() + 1.0 / run.count()),
                df);
    }

    /** Whether the seeds tell anything about noise (at least one side has two or more seeds). */
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

    private static double square(double v) {
        return v * v;
    }
}
