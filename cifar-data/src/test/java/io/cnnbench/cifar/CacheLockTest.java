package io.cnnbench.cifar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs sharing a data cache take turns: a real second JVM holds the lock. */
class CacheLockTest {

  private static final Duration LIMIT = Duration.ofSeconds(60);

  @TempDir Path temp;

  private DataOptions options(Path archive, Duration lockTimeout) {
    return DataOptions.builder()
        .dataset(archive.toString())
        .cacheDir(temp.resolve("cache"))
        .cacheLockTimeout(lockTimeout)
        .build();
  }

  @Test
  void lockHeldByAnotherProcessMakesARunWaitThenFailNamingTheHolder() throws Exception {
    Path archive = TestData.writeOfficialArchive(temp.resolve("in/cifar.tar.gz"));
    ProcessBuilder builder =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            CacheLockHolder.class.getName(),
            temp.resolve("cache").toString());
    builder.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process holder = builder.start();
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("LOCKED", assertTimeoutPreemptively(LIMIT, out::readLine));
      String lockFile =
          Files.readString(temp.resolve("cache/cifar10/" + CifarCache.LOCK_FILE));
      assertTrue(lockFile.startsWith("pid " + holder.pid() + " on host "), lockFile);

      long start = System.nanoTime();
      CifarDataException error =
          assertThrows(
              CifarDataException.class,
              () -> CifarDataset.load(options(archive, Duration.ofMillis(400))));
      Duration waited = Duration.ofNanos(System.nanoTime() - start);

      String message = error.getMessage();
      assertTrue(message.contains("is in use by pid " + holder.pid() + " on host "), message);
      assertTrue(message.contains("-Dcnn.cacheLockTimeout=SECONDS"), message);
      assertTrue(message.contains("-Dcnn.dataCache"), message);
      assertTrue(waited.compareTo(Duration.ofMillis(400)) >= 0, "waited only " + waited);
      assertEquals(List.of(), TestData.filesBelow(temp.resolve("cache/cifar10/extracted")));

      // A run with time to wait goes ahead as soon as the holder finishes.
      CompletableFuture<CifarDataset> waiting =
          CompletableFuture.supplyAsync(
              () -> CifarDataset.load(options(archive, Duration.ofSeconds(30))));
      Thread.sleep(300);
      assertTrue(!waiting.isDone(), "the second run must wait for the lock");
      holder.getOutputStream().close();
      assertEquals(100, waiting.get(30, TimeUnit.SECONDS).train().size());
    } finally {
      holder.getOutputStream().close();
      if (!holder.waitFor(30, TimeUnit.SECONDS)) {
        holder.destroyForcibly();
      }
    }
  }

  @Test
  void anotherThreadOfThisProcessIsWaitedForToo() throws Exception {
    Path archive = TestData.writeOfficialArchive(temp.resolve("in/cifar.tar.gz"));
    CountDownLatch locked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread holder =
        new Thread(
            () -> {
              try (CifarCache.Lock lock =
                  new CifarCache(temp.resolve("cache")).lock(Duration.ZERO)) {
                locked.countDown();
                release.await();
              } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    holder.start();
    try {
      assertTrue(locked.await(10, TimeUnit.SECONDS));

      CifarDataException error =
          assertTimeoutPreemptively(
              LIMIT,
              () ->
                  assertThrows(
                      CifarDataException.class,
                      () -> CifarDataset.load(options(archive, Duration.ofMillis(200)))));

      assertTrue(
          error.getMessage().contains("another thread of this process (pid "),
          error.getMessage());
    } finally {
      release.countDown();
      holder.join(10_000);
    }
    assertEquals(
        100,
        assertTimeoutPreemptively(
                LIMIT, () -> CifarDataset.load(options(archive, Duration.ofMillis(200))))
            .train()
            .size());
  }
}
