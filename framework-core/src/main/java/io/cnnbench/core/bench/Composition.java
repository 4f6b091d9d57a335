package io.cnnbench.core.bench;

import io.cnnbench.api.spi.Names;
import io.cnnbench.api.graph.Dims;
import io.cnnbench.api.spi.ArchitectureSpec;
import io.cnnbench.api.spi.Options;
import io.cnnbench.api.spi.VggBody;
import java.util.ArrayList;
import java.util.List;

/**
 * An architecture composed by the user from provider names, on the notebook's VGG-like body (e.g. one
 * module's block under another module's head).
 */
public record Composition(String name, String tail, String block, String head, String blockRepeats,
                          int downsamples, int startDims, int imageSize, Options options) {

    /**
     * The recipe this composition describes. Fails naming the composition and what is wrong: a missing
     * {@code <name>}, {@code <tail>}, {@code <block>}, {@code <head>} or {@code <blockRepeats>}, a name against the
     * {@link Names} rule, repeats that are not integers or below 0, {@code <downsamples>} outside 0 to the levels.
     */
    public ArchitectureSpec toSpec() {
        if (isMissing(name)) {
            throw new IllegalArgumentException("a <composition> in the POM has no <name> (its tail " + text(tail)
                    + ", block " + text(block) + ", head " + text(head) + "): give it a <name>, the name its results"
                    + " are written under and cnn.architectures selects it by");
        }
        // The name becomes a folder and a file name: it must not be able to leave the output directory.
        Names.check(name, "the <composition> in the POM");
        List<String> missing = new ArrayList<>();
        for (String[] part : new String[][] {{"tail", tail}, {"block", block}, {"head", head},
            {"blockRepeats", blockRepeats}}) {
            if (isMissing(part[1])) {
                missing.add("<" + part[0] + ">");
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("composition " + name + " has no " + String.join(", ", missing)
                    + ": a composition needs a <tail>, a <block> and a <head>, each a registered provider's name"
                    + " (cnn:list lists them), and <blockRepeats>, the blocks per level (e.g. 4,4,5)");
        }
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
        for (int r : repeats) {
            if (r < 0) {
                throw new IllegalArgumentException("composition " + name + ": <blockRepeats> must be 0 or more blocks"
                        + " per level, got '" + blockRepeats + "'");
            }
        }
        if (downsamples < 0 || downsamples > repeats.length) {
            throw new IllegalArgumentException("composition " + name + ": <downsamples> must be between 0 and "
                    + repeats.length + ", the number of levels in <blockRepeats> " + blockRepeats + ", got "
                    + downsamples + ": set <downsamples> to at most " + repeats.length
                    + " (unless given it is 2, or the number of levels where there are fewer) or give <blockRepeats>"
                    + " more levels");
        }
        return ArchitectureSpec.builder(name)
                .description("composed in the POM: " + tail + " / " + block + " / " + head)
                .tail(tail).block(block).head(head)
                .inputShape(Dims.of(3, imageSize, imageSize))
                .startDims(startDims)
                // The checks above are VggBody's own, worded for the POM's elements, so it cannot refuse.
                .body(new VggBody(repeats.length, repeats, downsamples))
                .options(options)
                .build();
    }

    private static boolean isMissing(String element) {
        return element == null || element.isBlank();
    }

    private static String text(String element) {
        return isMissing(element) ? "missing" : "'" + element + "'";
    }
}
