package io.cnnbench.cifar;

import java.nio.ByteBuffer;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Direct buffers of one full batch each. Closed batches return theirs, so a stream whose consumer
 * closes its batches allocates only about prefetch + 2 buffers in all; allocating one per batch
 * costs more than filling it and leaves direct memory waiting for a GC.
 */
final class BufferPool {
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
