package io.cnnbench.api.graph;

/** Convolution padding, with Keras' meanings. */
public enum Padding {
    /**
     * Output size ceil(in / stride); the total padding is split with the smaller half before, so a stride-2
     * 3×3 convolution on an even input pads nothing before and one pixel after (Keras/TensorFlow "same").
     */
    SAME,
    /** No padding. */
    VALID
}
