package io.cnnbench.cifar;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One batch of normalised images in NCHW order, held in a single direct buffer in native byte order
 * (the layout engines read without conversion), and their labels.
 *
 * <p>Close each batch when done with it (try-with-resources): its buffer then goes back to the
 * stream and is reused for a later batch. A batch that is not closed is simply freed by the garbage
 * collector, but direct memory is only reclaimed when a collection happens to run, so a loop that
 * never closes its batches can hold gigabytes of stale buffers. After {@link #close()} the batch's
 * images may be overwritten; the NDArrays made by {@link #toNDList} have their own memory and stay
 * valid.
 */
public final class Batch implements AutoCloseable {

  private final ByteBuffer storage;
  private final int[] labels;
  private final int[] shape;
  private final Runnable releaseStorage;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * @param storage direct, exactly {@code shape[0]*shape[1]*shape[2]*shape[3]} floats in native
   *     order from position 0
   * @param releaseStorage hands the buffer back for reuse; run at most once, by {@link #close()}
   */
  Batch(ByteBuffer storage, int[] labels, int[] shape, Runnable releaseStorage) {
    this.storage = storage;
    this.labels = labels;
    this.shape = shape;
    this.releaseStorage = releaseStorage;
  }

  /** Number of images; the last batch of a stream may be smaller than the batch size. */
  public int size() {
    return labels.length;
  }

  /**
   * The images, {@code size()*C*H*W} floats in NCHW order: a direct view of the batch's own memory
   * positioned at 0, so reading it does not disturb other views. Valid until {@link #close()}.
   */
  public FloatBuffer images() {
    return nativeView().asFloatBuffer();
  }

  /** Labels 0–9, one per image (a copy). */
  public int[] labels() {
    return labels.clone();
  }

  /** {@code {N, C, H, W}} (a copy). */
  public int[] shape() {
    return shape.clone();
  }

  /**
   * The images as one float32 NDArray of shape (N, C, H, W), with memory of its own: engines may
   * build an array on top of a direct buffer without copying it (PyTorch on the CPU does), so the
   * array is copied once inside the engine, which lets this batch be closed and its buffer reused
   * while the array is still in use.
   */
  public NDList toNDList(NDManager manager) {
    NDArray sharingThisBatch =
        manager.create(
            nativeView(), new Shape(shape[0], shape[1], shape[2], shape[3]), DataType.FLOAT32);
    NDArray images = sharingThisBatch.duplicate();
    sharingThisBatch.close();
    return new NDList(images);
  }

  /**
   * The labels as a float32 NDArray of shape (N). Float, not int, because that is what DJL's own
   * datasets (such as its Cifar10) hand to {@code SoftmaxCrossEntropyLoss} with sparse labels,
   * which is how training code in this project will use them; call {@code toType} where integers
   * are needed.
   */
  public NDArray labelsArray(NDManager manager) {
    float[] values = new float[labels.length];
    for (int i = 0; i < labels.length; i++) {
      values[i] = labels[i];
    }
    return manager.create(values);
  }

  /** {@link #labelsArray} wrapped in an NDList, the form DJL's training batches use. */
  public NDList labelsNDList(NDManager manager) {
    return new NDList(labelsArray(manager));
  }

  /** Hands the image buffer back to its stream for reuse; later calls do nothing. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      releaseStorage.run();
    }
  }

  private ByteBuffer nativeView() {
    if (closed.get()) {
      throw new IllegalStateException("This batch was closed; its buffer may hold another batch");
    }
    return storage.duplicate().order(ByteOrder.nativeOrder());
  }
}
