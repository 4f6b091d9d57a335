package io.cnnbench.cifar;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * The background thread of a {@link BatchStream}: calls {@code makeBatch} for 0, 1, ... {@code count-1} in that
 * order and puts the batches into a bounded queue, then an end marker, or what it threw.
 */
final class BatchProducer {
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

  private final BlockingQueue<Object> queue;
  private final Thread thread;

  BatchProducer(String purpose, int count, IntFunction<Batch> makeBatch, int prefetch) {
    if (prefetch < 1) {
      throw new IllegalArgumentException("prefetch must be at least 1, was " + prefetch);
    }
    this.queue = new ArrayBlockingQueue<>(prefetch);
    this.thread =
        new Thread(
            () -> produce(count, makeBatch),
            "cifar-" + purpose + "-batches-" + THREAD_COUNTER.incrementAndGet());
    // A consumer that forgets close() must not keep the JVM alive.
    thread.setDaemon(true);
    thread.start();
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
   * The next batch, waiting for it; {@code null} after the last one.
   *
   * @throws CifarDataException if the producer failed, stopped without a result, or the wait was interrupted;
   *     the caller must then close the stream
   */
  Batch take() {
    Object item = poll();
    if (item instanceof Failure) {
      Throwable error = ((Failure) item).error;
      throw new CifarDataException("Assembling a batch failed: " + error, error);
    }
    return item == END ? null : (Batch) item;
  }

  private Object poll() {
    try {
      while (true) {
        Object item = queue.poll(200, TimeUnit.MILLISECONDS);
        if (item != null) {
          return item;
        }
        // The producer always ends with END or a Failure, unless the JVM killed it outright.
        if (!thread.isAlive() && queue.isEmpty()) {
          throw new CifarDataException(
              "The batch producer thread " + thread.getName() + " stopped without a result");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CifarDataException("Interrupted while waiting for the next batch", e);
    }
  }

  /** Stops the thread and closes any queued batches; safe to call repeatedly. */
  void close() {
    thread.interrupt();
    dropQueued();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
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

  boolean alive() {
    return thread.isAlive();
  }
}
