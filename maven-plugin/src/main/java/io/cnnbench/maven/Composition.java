package io.cnnbench.maven;

import io.cnnbench.api.spi.Options;
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
    /** Unset: 2, or every level where there are fewer (a one-level body downsamples once). */
    private Integer downsamples;
    private int startDims = 32;
    private int imageSize = 28;
    private Map<String, String> options = new LinkedHashMap<>();

    io.cnnbench.core.bench.Composition toCore() {
        int levels = blockRepeats == null ? 0 : blockRepeats.split(",").length;
        return new io.cnnbench.core.bench.Composition(name, tail, block, head, blockRepeats,
                downsamples != null ? downsamples : Math.min(2, levels), startDims, imageSize, Options.of(options));
    }
}
