package io.cnnbench.api.spi;

import io.cnnbench.api.graph.Dims;
import java.util.Objects;

/**
 * A complete recipe for one network: parts by provider name, body layout, input, options and training
 * defaults. Built with {@link #builder(String)}; immutable.
 *
 * @param expectedTrainableParameters the count the recipe is known to produce (from a paper or reference
 *                                    implementation), checked by the conformance kit; -1 when not declared
 */
public record ArchitectureSpec(String name, String description, String paper, String tail, String block,
                               String head, Dims inputShape, int numClasses, int startDims, Body body,
                               Options options, TrainingDefaults defaults, long expectedTrainableParameters) {

    public ArchitectureSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tail, "tail");
        Objects.requireNonNull(block, "block");
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(inputShape, "inputShape");
        Objects.requireNonNull(body, "body");
        if (numClasses < 2) {
            throw new IllegalArgumentException(name + ": numClasses must be at least 2");
        }
        if (startDims < 1) {
            throw new IllegalArgumentException(name + ": startDims must be positive");
        }
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * A copy with user overrides merged over these options (from a POM or {@code -D} properties). Some keys
     * change the recipe itself rather than a provider: {@code startDims} (the tail's width),
     * {@code blockRepeats} (comma-separated repeats per level of a VGG-like body), and {@code tail},
     * {@code block} and {@code head}, the registered providers the notebook's three functions are taken from (so
     * a block can be swapped under the architecture's own name: the regression-tracking mutants do that).
     */
    public ArchitectureSpec withOptions(Options overrides) {
        if (overrides.keys().isEmpty()) {
            return this;
        }
        Options merged = options.with(overrides);
        int newStart = merged.getInt("startDims", startDims);
        Body newBody = body;
        if (overrides.has("blockRepeats")) {
            if (!(body instanceof VggBody vgg)) {
                throw new IllegalArgumentException(name + ": blockRepeats applies to VGG-like bodies only; "
                        + name + " has a " + body.describe());
            }
            String[] parts = overrides.getString("blockRepeats", "").split(",");
            int[] repeats = new int[parts.length];
            for (int i = 0; i < parts.length; i++) {
                try {
                    repeats[i] = Integer.parseInt(parts[i].trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(name + ": blockRepeats must be comma-separated integers, got '"
                            + overrides.getString("blockRepeats", "") + "'", e);
                }
            }
            try {
                newBody = new VggBody(repeats.length, repeats, Math.min(vgg.numDownsamples(), repeats.length));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
            }
        }
        return new ArchitectureSpec(name, description, paper, merged.getString("tail", tail),
                merged.getString("block", block), merged.getString("head", head), inputShape, numClasses, newStart,
                newBody, merged, defaults, -1);
    }

    /** Fluent construction with the notebook's defaults (28×28×3, 10 classes, start width 32). */
    public static final class Builder {
        private final String name;
        private String description = "";
        private String paper = "";
        private String tail;
        private String block;
        private String head;
        private Dims inputShape = Dims.of(3, 28, 28);
        private int numClasses = 10;
        private int startDims = 32;
        private Body body;
        private Options options = Options.empty();
        private TrainingDefaults defaults = TrainingDefaults.NOTEBOOK;
        private long expectedTrainableParameters = -1;

        private Builder(String name) {
            this.name = name;
        }

        public Builder description(String v) {
            description = v;
            return this;
        }

        public Builder paper(String v) {
            paper = v;
            return this;
        }

        public Builder tail(String v) {
            tail = v;
            return this;
        }

        public Builder block(String v) {
            block = v;
            return this;
        }

        public Builder head(String v) {
            head = v;
            return this;
        }

        public Builder inputShape(Dims v) {
            inputShape = v;
            return this;
        }

        public Builder numClasses(int v) {
            numClasses = v;
            return this;
        }

        public Builder startDims(int v) {
            startDims = v;
            return this;
        }

        public Builder body(Body v) {
            body = v;
            return this;
        }

        public Builder options(Options v) {
            options = v;
            return this;
        }

        public Builder defaults(TrainingDefaults v) {
            defaults = v;
            return this;
        }

        public Builder expectedTrainableParameters(long v) {
            expectedTrainableParameters = v;
            return this;
        }

        public ArchitectureSpec build() {
            return new ArchitectureSpec(name, description, paper, tail, block, head, inputShape, numClasses,
                    startDims, body, options, defaults, expectedTrainableParameters);
        }
    }
}
