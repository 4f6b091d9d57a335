package io.cnnbench.reports;

import java.util.List;
import java.util.Set;

/**
 * What the gate answers for besides its rules.
 *
 * @param selected             the architectures the run was asked for ({@code cnn.architectures}); each must have
 *                             a row, and rules or baseline rows for other architectures are not judged. {@code null}
 *                             means every architecture in the results and the baseline.
 * @param allowMissingBaseline names or patterns ({@code *}, {@code ?}) of architectures admitted without a baseline
 *                             row: the one explicit way to add a new architecture to a gated build.
 */
public record GateScope(Set<String> selected, List<String> allowMissingBaseline) {
    public static final GateScope ALL = new GateScope(null, List.of());

    public GateScope {
        selected = selected == null ? null : Set.copyOf(selected);
        allowMissingBaseline = List.copyOf(allowMissingBaseline);
    }

    boolean includes(String architecture) {
        return selected == null || selected.contains(architecture);
    }

    boolean admitsWithoutBaseline(String architecture) {
        return allowMissingBaseline.stream().anyMatch(p -> GateRule.globMatches(p, architecture));
    }
}
