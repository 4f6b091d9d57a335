package io.cnnbench.cifar;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
  private static final AtomicLong THREAD_COUNTER = new AtomicLong();

  /** Queue marker after the last batch. */
  private static final Object END = new Object();

  /** Queue item carrying what the producer threw. */
  private static final class Failure {
    final Throwable error;

    Failure(Throwable error) {
      this.error = error;
    }
  }

  private final int batchCount;
  private final BufferPool buffers;
  private final BlockingQueue<Object> queue;
  private final Thread producer;

  /** Taken from the queue by {@link #hasNext()}, not yet returned by {@link #next()}. */
  private Object pending;

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
    if (prefetch < 1) {
      throw new IllegalArgumentException("prefetch must be at least 1, was " + prefetch);
    }
    this.batchCount = batchCount;
    this.buffers = buffers;
    this.queue = new ArrayBlockingQueue<>(prefetch);
    this.producer =
        new Thread(
            () -> produce(batchCount, makeBatch),
            "cifar-" + purpose + "-batches-" + THREAD_COUNTER.incrementAndGet());
    // A consumer that forgets close() must not keep the JVM alive.
    producer.setDaemon(true);
    producer.start();
  }

  private void produce(int count, IntFunction<Batch> makeBatch) {
    try {
      for (int index = 0; index < count; index++) {
        if (Thread.currentThread().isInterrupted()) {
          return;
        }
        queue.put(makeBatch.apply(index));
      }
      queue.put(END);
    } catch (InterruptedException closed) {
      // close() interrupts the producer; nobody is waiting for more batches.
    } catch (Throwable error) {
      try {
        queue.put(new Failure(error));
      } catch (InterruptedException closed) {
        // Closed while reporting: the consumer no longer cares.
      }
    }
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
    int[] order = permutation(images.size(), mix(mix(seed, epoch), PERMUTATION_STREAM));
    long augmentationSeed = mix(mix(seed, epoch), AUGMENTATION_STREAM);
    return pass(
        "training",
        images,
        augmentation,
        batchSize,
        prefetch,
        order,
        batchIndex -> new SplittableRandom(mix(augmentationSeed, batchIndex)));
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
      pending = take();
    }
    if (pending instanceof Failure) {
      Throwable error = ((Failure) pending).error;
      close();
      throw new CifarDataException("Assembling a batch failed: " + error, error);
    }
    if (pending == END) {
      finished = true;
      pending = null;
      return false;
    }
    return true;
  }

  @Override
  public Batch next() {
    if (!hasNext()) {
      throw new NoSuchElementException("The stream has no more batches");
    }
    Batch batch = (Batch) pending;
    pending = null;
    return batch;
  }

  private Object take() {
    try {
      while (true) {
        Object item = queue.poll(200, TimeUnit.MILLISECONDS);
        if (item != null) {
          return item;
        }
        // The producer always ends with END or a Failure, unless the JVM killed it outright.
        if (!producer.isAlive() && queue.isEmpty()) {
          close();
          throw new CifarDataException(
              "The batch producer thread " + producer.getName() + " stopped without a result");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new CifarDataException("Interrupted while waiting for the next batch", e);
    }
  }

  /** Stops the producer thread and drops any prefetched batches; safe to call repeatedly. */
  @Override
  public void close() {
    finished = true;
    if (pending instanceof Batch) {
      ((Batch) pending).close();
    }
    pending = null;
    producer.interrupt();
    dropQueued();
    try {
      producer.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    dropQueued();
  }

  private void dropQueued() {
    for (Object item; (item = queue.poll()) != null; ) {
      if (item instanceof Batch) {
        ((Batch) item).close();
      }
    }
  }

  /** Direct buffers this stream has allocated so far (for tests of buffer reuse). */
  int buffersAllocated() {
    return buffers.allocated.get();
  }

  /** Whether the producer thread still runs (for tests of {@link #close()}). */
  boolean producerAlive() {
    return producer.isAlive();
  }

  /** SplitMix64's finaliser over a combination of two values: well-spread derived seeds. */
  static long mix(long first, long second) {
    long z = first * 0x9e3779b97f4a7c15L + second;
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** Fisher–Yates shuffle of 0..size-1. */
  static int[] permutation(int size, long seed) {
    int[] order = new int[size];
    Arrays.setAll(order, i -> i);
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = size - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    return order;
  }

  /**
   * Direct buffers of one full batch each. Closed batches return theirs, so a stream whose consumer
   * closes its batches allocates only about prefetch + 2 buffers in all; allocating one per batch
   * costs more than filling it and leaves direct memory waiting for a GC.
   */
  static final class BufferPool {
    private final int bytesPerBatch;
    private final int maxIdle;
    private final Deque<ByteBuffer> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger idleCount = new AtomicInteger();
    final AtomicInteger allocated = new AtomicInteger();

    BufferPool(Augmentation augmentation, int batchSize, int prefetch) {
      int size = augmentation.outputSize();
      long bytes = (long) batchSize * CifarBinaryFormat.CHANNELS * size * size * Float.BYTES;
      if (bytes > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("batchSize " + batchSize + " needs over 2 GB per batch");
      }
      this.bytesPerBatch = (int) bytes;
      this.maxIdle = prefetch + 2;
    }

    ByteBuffer acquire() {
      ByteBuffer buffer = idle.pollFirst();
      if (buffer != null) {
        idleCount.decrementAndGet();
        return buffer;
      }
      allocated.incrementAndGet();
      return ByteBuffer.allocateDirect(bytesPerBatch);
    }

    void release(ByteBuffer buffer) {
      if (idleCount.incrementAndGet() <= maxIdle) {
        idle.offerFirst(buffer);
      } else {
        idleCount.decrementAndGet();
      }
    }
  }

  /** Writes images straight from the byte arrays into one direct float buffer per batch. */
  static final class BatchAssembler {
    private final ImageSet images;
    private final Augmentation augmentation;
    private final BufferPool buffers;
    private final float[] lookup = Normalization.lookupTable();

    /** One output row at a time, then a bulk put: far faster than per-float puts. */
    private final float[] row;

    BatchAssembler(ImageSet images, Augmentation augmentation, BufferPool buffers) {
      this.images = images;
      this.augmentation = augmentation;
      this.buffers = buffers;
      this.row = new float[augmentation.outputSize()];
    }

    /**
     * @param random null for the test-time transform; otherwise per image in order: flip ({@code
     *     nextBoolean}), then crop row offset, then crop column offset ({@code nextInt})
     */
    Batch assemble(int[] order, int from, int count, SplittableRandom random) {
      int size = augmentation.outputSize();
      int floats = count * CifarBinaryFormat.CHANNELS * size * size;
      ByteBuffer whole = buffers.acquire();
      // The last batch may be partial: it uses the front of a full-size buffer.
      ByteBuffer storage = whole.slice(0, floats * Float.BYTES).order(ByteOrder.nativeOrder());
      FloatBuffer out = storage.asFloatBuffer();
      int[] labels = new int[count];
      byte[] pixels = images.pixels();
      for (int k = 0; k < count; k++) {
        int image = order[from + k];
        labels[k] = images.label(image);
        boolean flip;
        int rowOffset;
        int columnOffset;
        if (random == null) {
          flip = false;
          rowOffset = augmentation.testOffset();
          columnOffset = augmentation.testOffset();
        } else {
          int choices = augmentation.trainingOffsetChoices();
          flip = random.nextBoolean();
          rowOffset = random.nextInt(choices) - augmentation.padding();
          columnOffset = random.nextInt(choices) - augmentation.padding();
        }
        writeImage(
            pixels, image * CifarBinaryFormat.IMAGE_BYTES, flip, rowOffset, columnOffset, out);
      }
      return new Batch(
          storage,
          labels,
          new int[] {count, CifarBinaryFormat.CHANNELS, size, size},
          () -> buffers.release(whole));
    }

    /**
     * Output pixel (y, x) of a channel is source pixel (y + rowOffset, x' + columnOffset) with x' =
     * size-1-x when flipped, else x; sources outside the 32×32 image are padding, 0.
     */
    private void writeImage(
        byte[] pixels,
        int imageStart,
        boolean flip,
        int rowOffset,
        int columnOffset,
        FloatBuffer out) {
      int size = augmentation.outputSize();
      for (int channel = 0; channel < CifarBinaryFormat.CHANNELS; channel++) {
        int planeStart = imageStart + channel * CifarBinaryFormat.PLANE_BYTES;
        int lookupStart = channel * 256;
        for (int y = 0; y < size; y++) {
          int sourceRow = y + rowOffset;
          if (sourceRow < 0 || sourceRow >= CifarBinaryFormat.HEIGHT) {
            Arrays.fill(row, 0f);
          } else {
            int rowStart = planeStart + sourceRow * CifarBinaryFormat.WIDTH;
            for (int x = 0; x < size; x++) {
              int sourceColumn = (flip ? size - 1 - x : x) + columnOffset;
              row[x] =
                  sourceColumn < 0 || sourceColumn >= CifarBinaryFormat.WIDTH
                      ? 0f
                      : lookup[lookupStart + (pixels[rowStart + sourceColumn] & 0xff)];
            }
          }
          out.put(row, 0, size);
        }
      }
    }
  }
}
