package io.cnnbench.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cnnbench.api.spi.Options;
import java.util.Map;
import java.util.Set;
import org.apache.maven.plugin.MojoExecutionException;
import org.junit.jupiter.api.Test;

/** {@code -Dcnn.options} and {@code <architectureOptions>} grouped by architecture, dotted names included. */
class ArchitectureOptionsTest {

    @Test
    void optionsOfAnArchitectureWithADotInItsNameReachThatArchitecture() throws Exception {
        ListMojo mojo = new ListMojo();
        mojo.options = "vgg_11.bn.depth=3,resnext-seed.blockRepeats=2,2,2";
        mojo.architectureOptions.put("vgg_11.bn.width", "8");
        mojo.architectureOptions.put("vgg_11.width", "4");
        Map<String, Options> grouped = mojo.optionsByArchitecture(Set.of("vgg_11", "vgg_11.bn", "resnext-seed"));
        assertEquals(Options.of("width", "8", "depth", "3"), grouped.get("vgg_11.bn"));
        assertEquals(Options.of("width", "4"), grouped.get("vgg_11"));
        assertEquals(Options.of("blockRepeats", "2,2,2"), grouped.get("resnext-seed"));
        assertEquals(Set.of("vgg_11.bn", "vgg_11", "resnext-seed"), grouped.keySet());
    }

    @Test
    void aKeyWithoutAnArchitectureIsRefused() {
        ListMojo mojo = new ListMojo();
        mojo.options = "cardinality=4";
        MojoExecutionException e = assertThrows(MojoExecutionException.class,
                () -> mojo.optionsByArchitecture(Set.of("resnext")));
        assertTrue(e.getMessage().contains("must be named architecture.option"), e.getMessage());
    }
}
