/**
 * MobileNetV3 (Howard et al., Searching for MobileNetV3, arXiv 1905.02244) as SPI providers: the stem
 * ({@code mobilenetv3-stem}), the bottleneck block ({@code mobilenetv3-block}), the efficient last stage
 * ({@code mobilenetv3-head}) and four architectures driven by the paper's stage tables: the CIFAR adaptations
 * {@code mobilenetv3-small} and {@code mobilenetv3-large}, and the paper layouts {@code mobilenetv3-small-224}
 * and {@code mobilenetv3-large-224}, whose parameter counts equal torchvision's.
 */
package io.cnnbench.arch.mobilenetv3;
