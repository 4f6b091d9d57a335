package io.cnnbench.cifar;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Child process for {@link CacheLockTest}: locks the cache named by its argument, prints {@code
 * LOCKED}, and holds the lock until its standard input is closed.
 */
public final class CacheLockHolder {

  private CacheLockHolder() {}

  public static void main(String[] args) throws Exception {
    try (CifarCache.Lock lock = new CifarCache(Path.of(args[0])).lock(Duration.ZERO)) {
      System.out.println("LOCKED");
      System.out.flush();
      while (System.in.read() >= 0) {
        // Hold until the parent closes our stdin (or dies).
      }
    }
  }
}
