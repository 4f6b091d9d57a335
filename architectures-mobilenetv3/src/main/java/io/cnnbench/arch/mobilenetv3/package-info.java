/**
 * MobileNetV3 (Howard et al., Searching for MobileNetV3, arXiv 1905.02244). The module registers no
 * providers yet: its stem, bottleneck block, head and the Small/Large stage tables are the MobileNetV3 issue.
 */
package io.cnnbench.arch.mobilenetv3;
