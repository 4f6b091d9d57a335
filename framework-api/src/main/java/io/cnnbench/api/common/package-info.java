/**
 * Building blocks every architecture module can use without depending on another architecture module:
 * {@code generic-tail} (3×3 convolution with bias and ReLU) and {@code generic-head} (global average pooling and
 * a dense classifier), the notebook's {@code generic_tail} and {@code generic_head}. They are registered through
 * this jar's own {@code META-INF/services} files, so they are present wherever {@code cnn-framework-api} is.
 */
package io.cnnbench.api.common;
