package io.cnnbench.core.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.cnnbench.api.spi.Options;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The name rule allows dots ({@code vgg_11.bn}), so an architecture's options cannot be split at the first dot. */
class DottedNamesTest {

    @Test
    void anOptionKeyIsSplitAfterTheLongestKnownArchitectureName() {
        Set<String> known = Set.of("vgg_11", "vgg_11.bn", "resnext");
        assertEquals(new ArchitectureOptionKey("vgg_11.bn", "depth"), ArchitectureOptionKey.parse("vgg_11.bn.depth",
                known));
        assertEquals(new ArchitectureOptionKey("vgg_11", "depth"), ArchitectureOptionKey.parse("vgg_11.depth", known));
        assertEquals(new ArchitectureOptionKey("resnext", "cardinality"),
                ArchitectureOptionKey.parse("resnext.cardinality", known));
        // An unknown architecture is the part before the last dot, which the run then refuses by that name.
        assertEquals(new ArchitectureOptionKey("vgg_12.bn", "depth"), ArchitectureOptionKey.parse("vgg_12.bn.depth",
                known));
        assertNull(ArchitectureOptionKey.parse("cardinality", known));
        assertNull(ArchitectureOptionKey.parse(".cardinality", known));
        assertNull(ArchitectureOptionKey.parse("resnext.", known));
    }

    @Test
    void aDottedArchitecturesOptionsReachTheForkedJvmUnderItsName() {
        BenchmarkConfig c = new BenchmarkConfig().architectures(List.of("vgg_11.bn"))
                .architectureOptions("vgg_11.bn", Options.of("depth", "3"));
        BenchmarkConfig back = BenchmarkConfig.fromProperties(c.toProperties());
        assertEquals(c.architectureOptions(), back.architectureOptions());
        assertEquals(Options.of("depth", "3"), back.architectureOptions().get("vgg_11.bn"));
    }
}
