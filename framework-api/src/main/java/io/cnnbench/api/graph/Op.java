package io.cnnbench.api.graph;

/**
 * The framework's operations. A network is a graph of these; every back end (DJL training, ONNX export,
 * counting) handles exactly this closed set, so adding an operation is a compile error everywhere it must
 * be handled. Spatial attributes are already resolved against the input shape when the node is created.
 */
public sealed interface Op {

    /** The name shown in summaries (Keras' layer names where one exists). */
    String displayName();

    /** The network's input: {@code (C, H, W)} float images. */
    record Input(Dims shape) implements Op {
        public String displayName() {
            return "InputLayer";
        }
    }

    /**
     * 2-D convolution, weight layout {@code (out, in / groups, kh, kw)}. Padding is explicit per side, so
     * Keras' asymmetric "same" padding is represented exactly.
     */
    record Conv2d(int filters, int kernelH, int kernelW, int strideH, int strideW, int groups, boolean bias,
                  int padTop, int padBottom, int padLeft, int padRight) implements Op {
        public String displayName() {
            return groups == 1 ? "Conv2D" : "Conv2D(groups=" + groups + ")";
        }

        public boolean symmetricPadding() {
            return padTop == padBottom && padLeft == padRight;
        }

        /** The same convolution with {@code groups} groups (rewrites that regroup the kernel use it). */
        public Conv2d withGroups(int groups) {
            return new Conv2d(filters, kernelH, kernelW, strideH, strideW, groups, bias, padTop, padBottom, padLeft,
                    padRight);
        }

        /** The same convolution with or without a bias (rewrites that fold an affine map into it use it). */
        public Conv2d withBias(boolean bias) {
            return new Conv2d(filters, kernelH, kernelW, strideH, strideW, groups, bias, padTop, padBottom, padLeft,
                    padRight);
        }
    }

    /** Batch normalisation over the channel axis; {@code momentum} has Keras' meaning (weight of the old value). */
    record BatchNorm(double momentum, double epsilon) implements Op {
        public String displayName() {
            return "BatchNormalization";
        }
    }

    /** Element-wise activations. */
    record Activation(Kind kind) implements Op {
        public enum Kind {
            RELU, RELU6,
            /** relu6(x + 3) / 6, the MobileNetV3 form (ONNX HardSigmoid with alpha 1/6, beta 0.5). */
            HARD_SIGMOID,
            /** x · relu6(x + 3) / 6. */
            HARD_SWISH,
            SIGMOID
        }

        public String displayName() {
            return "Activation(" + kind.name().toLowerCase(java.util.Locale.ROOT) + ")";
        }
    }

    /** Element-wise sum of tensors of identical shape. */
    record Add(int arity) implements Op {
        public String displayName() {
            return "Add";
        }
    }

    /**
     * Sum over parallel paths stacked on the channel axis: {@code (P·C, H, W) → (C, H, W)}, path p owning
     * channels {@code [p·C, (p+1)·C)}. This is how a grouped convolution's P outputs are aggregated.
     */
    record SumPaths(int paths) implements Op {
        public String displayName() {
            return "SumPaths(" + paths + ")";
        }
    }

    /** Element-wise product; the second input may broadcast from {@code (C, 1, 1)} (squeeze-excite). */
    record Multiply() implements Op {
        public String displayName() {
            return "Multiply";
        }
    }

    /** Mean over H and W; {@code keepDims} gives {@code (C, 1, 1)}, otherwise {@code (C)}. */
    record GlobalAvgPool(boolean keepDims) implements Op {
        public String displayName() {
            return "GlobalAveragePooling2D";
        }
    }

    /** Fully connected layer on a vector, weight layout {@code (units, in)}. */
    record Dense(int units, boolean bias) implements Op {
        public String displayName() {
            return "Dense";
        }
    }

    /** Inverted dropout, active only in training. */
    record Dropout(double rate) implements Op {
        public String displayName() {
            return "Dropout";
        }
    }

    /** Reshape of each example (the batch axis is kept). */
    record Reshape(Dims shape) implements Op {
        public String displayName() {
            return "Reshape";
        }
    }
}
