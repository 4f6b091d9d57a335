package io.cnnbench.maven;

import io.cnnbench.api.graph.Dims;
import io.cnnbench.api.spi.ArchitectureSpec;
import io.cnnbench.api.spi.Options;
import io.cnnbench.api.spi.VggBody;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An architecture written in the POM from provider names, on the notebook's VGG-like body:
 * <pre>{@code
 * <composition>
 *   <name>resnext-with-other-head</name>
 *   <tail>generic-tail</tail> <block>resnext-seed-block</block> <head>generic-head</head>
 *   <blockRepeats>4,4,5</blockRepeats> <downsamples>2</downsamples> <startDims>32</startDims>
 *   <options><cardinality>8</cardinality></options>
 * </composition>
 * }</pre>
 */
public class Composition {
    private String name;
    private String tail;
    private String block;
    private String head;
    private String blockRepeats = "4,4,5";
    private int downsamples = 2;
    private int startDims = 32;
    private int imageSize = 28;
    private Map<String, String> options = new LinkedHashMap<>();

    ArchitectureSpec toSpec() {
        if (name == null || tail == null || block == null || head == null) {
            throw new IllegalArgumentException("a <composition> needs <name>, <tail>, <block> and <head>");
        }
        String[] parts = blockRepeats.split(",");
        int[] repeats = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            repeats[i] = Integer.parseInt(parts[i].trim());
        }
        return ArchitectureSpec.builder(name)
                .description("composed in the POM: " + tail + " / " + block + " / " + head)
                .tail(tail).block(block).head(head)
                .inputShape(Dims.of(3, imageSize, imageSize))
                .startDims(startDims)
                .body(new VggBody(repeats.length, repeats, downsamples))
                .options(Options.of(options))
                .build();
    }
}
