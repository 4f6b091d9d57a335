package io.cnnbench.api.graph;

/** How a parameter starts out. Defaults follow Keras, the notebook's framework. */
public enum Init {
    /** Uniform in ±sqrt(6 / (fanIn + fanOut)): Keras' default for kernels. */
    GLOROT_UNIFORM,
    /** Normal with std sqrt(2 / fanOut): torchvision's MobileNetV3 convolutions. */
    HE_NORMAL_FAN_OUT,
    /** Normal with std 0.01: torchvision's classifier layers. */
    NORMAL_001,
    ZEROS,
    ONES
}
