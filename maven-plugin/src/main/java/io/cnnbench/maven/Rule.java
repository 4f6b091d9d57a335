package io.cnnbench.maven;

import io.cnnbench.reports.GateRule;
import org.apache.maven.plugin.MojoExecutionException;

/**
 * One {@code <rule>} of cnn:check, as jacoco:check has them: the architectures it applies to and the limits
 * their test accuracy must meet.
 * <pre>{@code
 * <rule>
 *   <architecture>resnext-seed</architecture>   <!-- a name, or a pattern: *, resnext*, mobilenet?3-* -->
 *   <minTestAccuracy>0.20</minTestAccuracy>     <!-- mean test accuracy must be at least this -->
 *   <maxDrop>0.02</maxDrop>                     <!-- at most this far below the baseline's mean... -->
 *   <maxRise>0.02</maxRise>                     <!-- ...and above it (optional) -->
 *   <stdDevs>3</stdDevs>                        <!-- unless seed noise explains more: this many standard errors -->
 * </rule>
 * }</pre>
 * A change fails when it exceeds both its limit and {@code stdDevs} standard errors of the difference between
 * the run's and the baseline's means (seed noise as the baseline's seeds show it; see {@code ChangeTolerance}).
 * An architecture takes each limit from the most specific rule that sets it: an exact name before a pattern,
 * a longer pattern before {@code *}.
 */
public class Rule {
    private String architecture;
    private Double minTestAccuracy;
    private Double maxDrop;
    private Double maxRise;
    private Double stdDevs;

    public Rule() {
    }

    public Rule(String architecture, Double minTestAccuracy, Double maxDrop, Double stdDevs) {
        this.architecture = architecture;
        this.minTestAccuracy = minTestAccuracy;
        this.maxDrop = maxDrop;
        this.stdDevs = stdDevs;
    }

    public void setArchitecture(String architecture) {
        this.architecture = architecture;
    }

    public void setMinTestAccuracy(Double minTestAccuracy) {
        this.minTestAccuracy = minTestAccuracy;
    }

    public void setMaxDrop(Double maxDrop) {
        this.maxDrop = maxDrop;
    }

    public void setMaxRise(Double maxRise) {
        this.maxRise = maxRise;
    }

    public void setStdDevs(Double stdDevs) {
        this.stdDevs = stdDevs;
    }

    GateRule toGateRule() throws MojoExecutionException {
        try {
            return new GateRule(architecture, minTestAccuracy, maxDrop, maxRise, stdDevs);
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException("invalid <rule> in the cnn-maven-plugin configuration: " + e.getMessage(),
                    e);
        }
    }

    @Override
    public String toString() {
        return "rule " + architecture + ": minTestAccuracy=" + minTestAccuracy + ", maxDrop=" + maxDrop + ", maxRise="
                + maxRise + ", stdDevs=" + stdDevs;
    }
}
