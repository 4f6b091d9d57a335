package io.cnnbench.core.bench;

import io.cnnbench.api.spi.Names;
import io.cnnbench.api.graph.Dims;
import io.cnnbench.api.spi.ArchitectureSpec;
import io.cnnbench.api.spi.Options;
import io.cnnbench.api.spi.VggBody;

/**
 * An architecture composed by the user from provider names, on the notebook's VGG-like body (e.g. one
 * module's block under another module's head).
 */
public record Composition(String name, String tail, String block, String head, String blockRepeats,
                          int downsamples, int startDims, int imageSize, Options options) {

    public ArchitectureSpec toSpec() {
        if (name == null || tail == null || block == null || head == null) {
            throw new IllegalArgumentException("a composition needs a name, a tail, a block and a head");
        }
        // The name becomes a folder and a file name: it must not be able to leave the output directory.
        Names.check(name, "the <composition> in the POM");
        String[] parts = blockRepeats.split(",");
        int[] repeats = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                repeats[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("composition " + name + ": blockRepeats must be comma-separated"
                        + " integers, got '" + blockRepeats + "'", e);
            }
        }
        return ArchitectureSpec.builder(name)
                .description("composed in the POM: " + tail + " / " + block + " / " + head)
                .tail(tail).block(block).head(head)
                .inputShape(Dims.of(3, imageSize, imageSize))
                .startDims(startDims)
                .body(new VggBody(repeats.length, repeats, Math.min(downsamples, repeats.length)))
                .options(options)
                .build();
    }
}
