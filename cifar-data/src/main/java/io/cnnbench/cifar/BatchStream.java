package io.cnnbench.cifar;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * Batches of one pass over an {@link ImageSet}, assembled ahead of the consumer by one background
 * thread into a bounded queue.
 *
 * <p>Training streams visit the images in a full permutation that depends only on {@code (seed,
 * epoch)}; the random flip and crop of every image depend only on {@code (seed, epoch, batch
 * index)}. The batches are therefore identical whatever the thread timing, and one batch can be
 * reproduced without producing the others. The last, partial batch is kept, as Keras does.
 *
 * <p>The jobs are split: {@link BatchProducer} runs the thread and queue, {@link Shuffle} derives
 * the order and the seeds, {@link BatchAssembler} writes images into batches, and {@link
 * BufferPool} reuses their buffers.
 *
 * <p>Always close the stream (try-with-resources): closing stops the thread. Close every {@link
 * Batch} too, once its images are no longer needed: its buffer is then reused (see {@link Batch}).
 * An exception in the producer is rethrown, wrapped in a {@link CifarDataException}, by the
 * consumer's next {@link #hasNext()} or {@link #next()}.
 *
 * <pre>{@code
 * try (BatchStream batches = BatchStream.training(train, Augmentation.NOTEBOOK, 64, seed, epoch)) {
 *   while (batches.hasNext()) {
 *     try (Batch batch = batches.next(); NDManager step = manager.newSubManager()) {
 *       NDList images = batch.toNDList(step);
 *       NDArray labels = batch.labelsArray(step);
 *       ...
 *     }
 *   }
 * }
 * }</pre>
 */
public final class BatchStream implements Iterator<Batch>, AutoCloseable {

  /** Batches assembled ahead of the consumer unless told otherwise. */
  public static final int DEFAULT_PREFETCH = 3;

  private static final long PERMUTATION_STREAM = 0x5045524d55544154L;
  private static final long AUGMENTATION_STREAM = 0x4155474d454e5421L;
  private final int batchCount;
  private final BufferPool buffers;
  private final BatchProducer producer;

  /** Taken by {@link #hasNext()}, not yet returned by {@link #next()}. */
  private Batch pending;

  private boolean finished;

  /**
   * Starts the producer thread, which calls {@code makeBatch} for 0, 1, ... {@code batchCount-1} in
   * that order.
   *
   * @param buffers the pool {@code makeBatch} draws from, reported by {@link #buffersAllocated()}
   */
  BatchStream(
      String purpose,
      int batchCount,
      IntFunction<Batch> makeBatch,
      int prefetch,
      BufferPool buffers) {
    this.batchCount = batchCount;
    this.buffers = buffers;
    this.producer = new BatchProducer(purpose, batchCount, makeBatch, prefetch);
  }

  /**
   * A training pass with {@link #DEFAULT_PREFETCH}.
   *
   * @param epoch 0-based; together with {@code seed} it fixes order and augmentation
   */
  public static BatchStream training(
      ImageSet images, Augmentation augmentation, int batchSize, long seed, int epoch) {
    return training(images, augmentation, batchSize, seed, epoch, DEFAULT_PREFETCH);
  }

  /** A training pass assembling up to {@code prefetch} batches ahead. */
  public static BatchStream training(
      ImageSet images,
      Augmentation augmentation,
      int batchSize,
      long seed,
      int epoch,
      int prefetch) {
    checkBatchSize(batchSize);
    long passSeed = Shuffle.mix(seed, epoch);
    int[] order = Shuffle.permutation(images.size(), Shuffle.mix(passSeed, PERMUTATION_STREAM));
    long augmentationSeed = Shuffle.mix(passSeed, AUGMENTATION_STREAM);
    return pass(
        "training",
        images,
        augmentation,
        batchSize,
        prefetch,
        order,
        augmentation.randomised()
            ? batchIndex -> new SplittableRandom(Shuffle.mix(augmentationSeed, batchIndex))
            : batchIndex -> null);
  }

  /** An evaluation pass in the set's order, test-time crop, {@link #DEFAULT_PREFETCH}. */
  public static BatchStream evaluation(ImageSet images, Augmentation augmentation, int batchSize) {
    return evaluation(images, augmentation, batchSize, DEFAULT_PREFETCH);
  }

  /** An evaluation pass assembling up to {@code prefetch} batches ahead. */
  public static BatchStream evaluation(
      ImageSet images, Augmentation augmentation, int batchSize, int prefetch) {
    checkBatchSize(batchSize);
    int[] order = new int[images.size()];
    Arrays.setAll(order, i -> i);
    return pass("evaluation", images, augmentation, batchSize, prefetch, order, batchIndex -> null);
  }

  /**
   * One pass over {@code images} in {@code order}; {@code randomFor} gives each batch its augmentation
   * randomness (null: test-time crop, no augmentation).
   */
  private static BatchStream pass(
      String kind,
      ImageSet images,
      Augmentation augmentation,
      int batchSize,
      int prefetch,
      int[] order,
      IntFunction<SplittableRandom> randomFor) {
    BufferPool buffers = new BufferPool(augmentation, batchSize, prefetch);
    BatchAssembler assembler = new BatchAssembler(images, augmentation, buffers);
    return new BatchStream(
        kind,
        numBatches(images.size(), batchSize),
        batchIndex ->
            assembler.assemble(
                order,
                batchIndex * batchSize,
                Math.min(batchSize, images.size() - batchIndex * batchSize),
                randomFor.apply(batchIndex)),
        prefetch,
        buffers);
  }

  /** Batches needed for {@code size} images, counting the last partial one. */
  public static int numBatches(int size, int batchSize) {
    checkBatchSize(batchSize);
    return (size + batchSize - 1) / batchSize;
  }

  private static void checkBatchSize(int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
    }
  }

  /** Number of batches this stream yields in all. */
  public int batchCount() {
    return batchCount;
  }

  @Override
  public boolean hasNext() {
    if (finished) {
      return false;
    }
    if (pending == null) {
      try {
        pending = producer.take();
      } catch (RuntimeException e) {
        close();
        throw e;
      }
      if (pending == null) {
        finished = true;
        return false;
      }
    }
    return true;
  }

  @Override
  public Batch next() {
    if (!hasNext()) {
      throw new NoSuchElementException("The stream has no more batches");
    }
    Batch batch = pending;
    pending = null;
    return batch;
  }

  /** Stops the producer thread and drops any prefetched batches; safe to call repeatedly. */
  @Override
  public void close() {
    finished = true;
    if (pending != null) {
      pending.close();
    }
    pending = null;
    producer.close();
  }

  /** Direct buffers this stream has allocated so far (for tests of buffer reuse). */
  int buffersAllocated() {
    return buffers.allocated.get();
  }

  /** Whether the producer thread still runs (for tests of {@link #close()}). */
  boolean producerAlive() {
    return producer.alive();
  }

}
