package io.cnnbench.cifar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads against a loopback HTTP server: no network needed. */
class DownloadTest {

  /**
   * A guard against a hang, not a speed check: a loaded 2-core machine (a training beside the build) once took
   * 35 s for a download that takes 2 s when idle.
   */
  private static final Duration LIMIT = Duration.ofSeconds(180);

  @TempDir java.nio.file.Path temp;

  private HttpServer server;
  private ExecutorService handlers;
  /** Stalling handlers wait on this; released before the server stops. */
  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicInteger requests = new AtomicInteger();
  private byte[] archive;
  private String archiveSha256;

  @BeforeEach
  void startServer() throws Exception {
    archive = TestData.tarGz(TestData.officialEntries(TestData.files()));
    archiveSha256 =
        "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(archive));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    // Own threads, so a stalling handler does not block the requests of the next attempt.
    handlers = Executors.newCachedThreadPool();
    server.setExecutor(handlers);
    server.createContext(
        "/cifar-10-binary.tar.gz",
        exchange -> {
          requests.incrementAndGet();
          respond(exchange, 200, archive);
        });
    server.createContext(
        "/interrupted.tar.gz",
        exchange -> {
          requests.incrementAndGet();
          // Announce the whole archive, send half, then drop the connection.
          exchange.sendResponseHeaders(200, archive.length);
          OutputStream body = exchange.getResponseBody();
          body.write(archive, 0, archive.length / 2);
          body.flush();
          // Closing an exchange short of its Content-Length makes the server drop the connection.
          exchange.close();
        });
    server.createContext(
        "/missing.tar.gz",
        exchange -> {
          requests.incrementAndGet();
          respond(exchange, 404, "not here".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    release.countDown();
    server.stop(0);
    handlers.shutdownNow();
  }

  /** Blocks a handler thread until the test ends (at most a minute). */
  private void stall() {
    try {
      release.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  /** Sub-second pauses between attempts keep the retrying tests fast. */
  private DataOptions.Builder options(String dataset) {
    return DataOptions.builder()
        .dataset(dataset)
        .cacheDir(temp.resolve("cache"))
        .downloadRetryDelay(Duration.ofMillis(20));
  }

  @Test
  void officialSourceDownloadsOnceThenUsesTheCache() {
    URI official = url("/cifar-10-binary.tar.gz");
    // A user checksum replaces the official md5, as for a mirror.
    DataOptions options = options(DataOptions.OFFICIAL).checksum(archiveSha256).build();

    CifarDataset first =
        assertTimeoutPreemptively(LIMIT, () -> CifarDataset.load(options, official));
    CifarDataset second =
        assertTimeoutPreemptively(LIMIT, () -> CifarDataset.load(options, official));

    assertEquals(1, requests.get());
    assertEquals(100, first.train().size());
    assertEquals(30, second.test().size());
    assertTrue(first.source().contains(official.toString()), first.source());
    assertTrue(second.source().contains("cached extraction"), second.source());
    List<String> downloads =
        assertTimeoutPreemptively(
            LIMIT, () -> TestData.filesBelow(temp.resolve("cache/cifar10/downloads")));
    assertEquals(1, downloads.size(), downloads.toString());
    assertTrue(downloads.get(0).startsWith("cifar-10-binary-"), downloads.toString());
  }

  @Test
  void httpUrlDatasetDownloadsOnce() throws IOException {
    DataOptions options = options(url("/cifar-10-binary.tar.gz").toString()).build();

    CifarDataset first = assertTimeoutPreemptively(LIMIT, () -> CifarDataset.load(options));
    CifarDataset second = assertTimeoutPreemptively(LIMIT, () -> CifarDataset.load(options));

    assertEquals(1, requests.get());
    assertEquals(first.train().size(), second.train().size());
    assertEquals(List.of(), TestData.filesBelow(temp.resolve("cache/cifar10/tmp")));
  }

  @Test
  void officialSourceAlwaysChecksTheOfficialMd5() throws IOException {
    DataOptions options = options(DataOptions.OFFICIAL).build();

    CifarDataException error =
        assertThrows(
            CifarDataException.class,
            () -> CifarDataset.load(options, url("/cifar-10-binary.tar.gz")));

    assertTrue(error.getMessage().contains(SourceResolver.OFFICIAL_MD5), error.getMessage());
    assertEquals(1, requests.get(), "a wrong checksum is not retried");
    assertEquals(List.of(), TestData.filesBelow(temp.resolve("cache/cifar10/downloads")));
    assertEquals(List.of(), TestData.filesBelow(temp.resolve("cache/cifar10/extracted")));
    assertEquals(List.of(), TestData.filesBelow(temp.resolve("cache/cifar10/tmp")));
  }

  @Test
  void interruptedDownloadLeavesNothingBehind() throws IOException {
    DataOptions options =
        options(url("/interrupted.tar.gz").toString()).checksum(archiveSha256).build();

    CifarDataException error =
        assertTimeoutPreemptively(
            LIMIT, () -> assertThrows(CifarDataException.class, () -> CifarDataset.load(options)));

    assertTrue(error.getMessage().contains("interrupted"), error.getMessage());
    assertEquals(List.of(), TestData.filesBelow(temp.resolve("cache")));
  }

  @Test
  void httpErrorStatusIsReported() throws IOException {
    DataOptions options = options(url("/missing.tar.gz").toString()).build();

    CifarDataException error =
        assertTimeoutPreemptively(
            LIMIT, () -> assertThrows(CifarDataException.class, () -> CifarDataset.load(options)));

    assertTrue(error.getMessage().contains("HTTP 404"), error.getMessage());
    assertEquals(1, requests.get(), "a missing file is not retried");
    assertEquals(List.of(), TestData.filesBelow(temp.resolve("cache")));
  }

  @Test
  void stalledServerTimesOut() throws IOException {
    server.createContext(
        "/stalled.tar.gz",
        exchange -> {
          requests.incrementAndGet();
          // Headers and a few bytes, then silence on an open connection.
          exchange.sendResponseHeaders(200, archive.length);
          exchange.getResponseBody().write(archive, 0, 1000);
          exchange.getResponseBody().flush();
          stall();
        });
    URI stalled = url("/stalled.tar.gz");
    DataOptions options =
        options(stalled.toString())
            .checksum(archiveSha256)
            .downloadTimeout(Duration.ofMillis(300))
            .downloadAttempts(2)
            .build();

    long start = System.nanoTime();
    CifarDataException error =
        assertTimeoutPreemptively(
            LIMIT, () -> assertThrows(CifarDataException.class, () -> CifarDataset.load(options)));
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

    String message = error.getMessage();
    assertTrue(elapsed.compareTo(Duration.ofSeconds(10)) < 0, "took " + elapsed);
    assertEquals(2, requests.get());
    assertTrue(message.contains(stalled.toString()), message);
    assertTrue(message.contains("failed after 2 attempts"), message);
    assertTrue(message.contains("after 1000 of " + archive.length + " bytes"), message);
    assertTrue(message.contains("the server sent nothing for 0.3 s"), message);
    assertTrue(message.contains("-Dcnn.dataset=/path/to/cifar-10-binary.tar.gz"), message);
    assertEquals(List.of(), TestData.filesBelow(temp.resolve("cache")));
  }

  @Test
  void serverThatNeverAnswersTimesOut() throws IOException {
    server.createContext(
        "/silent.tar.gz",
        exchange -> {
          requests.incrementAndGet();
          stall();
        });
    DataOptions options =
        options(url("/silent.tar.gz").toString())
            .downloadTimeout(Duration.ofMillis(300))
            .downloadAttempts(2)
            .build();

    CifarDataException error =
        assertTimeoutPreemptively(
            LIMIT, () -> assertThrows(CifarDataException.class, () -> CifarDataset.load(options)));

    assertEquals(2, requests.get());
    assertTrue(error.getMessage().contains("failed after 2 attempts"), error.getMessage());
    assertTrue(error.getMessage().contains("HttpTimeoutException"), error.getMessage());
    assertEquals(List.of(), TestData.filesBelow(temp.resolve("cache")));
  }

  @Test
  void serverErrorIsRetriedAndTheFileStillVerified() {
    server.createContext(
        "/flaky.tar.gz",
        exchange -> {
          if (requests.incrementAndGet() == 1) {
            respond(exchange, 500, "busy".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
          } else {
            respond(exchange, 200, archive);
          }
        });
    DataOptions options = options(url("/flaky.tar.gz").toString()).checksum(archiveSha256).build();

    CifarDataset data = assertTimeoutPreemptively(LIMIT, () -> CifarDataset.load(options));

    assertEquals(2, requests.get());
    assertEquals(100, data.train().size());
    assertTrue(data.source().contains(archiveSha256 + " verified"), data.source());
  }

  @Test
  void droppedConnectionIsRetried() {
    server.createContext(
        "/dropping.tar.gz",
        exchange -> {
          if (requests.incrementAndGet() == 1) {
            exchange.sendResponseHeaders(200, archive.length);
            exchange.getResponseBody().write(archive, 0, archive.length / 3);
            exchange.getResponseBody().flush();
            exchange.close();
          } else {
            respond(exchange, 200, archive);
          }
        });
    DataOptions options =
        options(url("/dropping.tar.gz").toString()).checksum(archiveSha256).build();

    CifarDataset data = assertTimeoutPreemptively(LIMIT, () -> CifarDataset.load(options));

    assertEquals(2, requests.get());
    assertEquals(100, data.train().size());
  }

  /** Extraction output that fails like a full disk once {@code capacity} bytes are written. */
  private static ArchiveExtractor.FileOutput diskFullAfter(long capacity) {
    AtomicLong free = new AtomicLong(capacity);
    return file ->
        new FilterOutputStream(ArchiveExtractor.FILES.open(file)) {
          @Override
          public void write(byte[] bytes, int offset, int length) throws IOException {
            if (free.addAndGet(-length) < 0) {
              throw new IOException("No space left on device");
            }
            out.write(bytes, offset, length);
          }

          @Override
          public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
          }
        };
  }

  @Test
  void diskFullDuringExtractionKeepsTheVerifiedDownload() throws IOException {
    URI source = url("/cifar-10-binary.tar.gz");
    DataOptions options = options(source.toString()).checksum(archiveSha256).build();

    CifarDataException error =
        assertTimeoutPreemptively(
            LIMIT,
            () ->
                assertThrows(
                    CifarDataException.class,
                    () -> new SourceResolver(options, source, diskFullAfter(100_000)).resolve()));

    String message = error.getMessage();
    assertTrue(
        message.contains("Could not write to " + temp.resolve("cache").toAbsolutePath() + ": "),
        message);
    assertTrue(message.contains("No space left on device"), message);
    assertTrue(message.contains("free space there or set -Dcnn.dataCache elsewhere"), message);
    assertTrue(message.contains("was kept"), message);
    assertFalse(message.contains("damaged"), message);
    assertEquals(1, TestData.filesBelow(temp.resolve("cache/cifar10/downloads")).size());
    assertEquals(List.of(), TestData.filesBelow(temp.resolve("cache/cifar10/extracted")));
    assertEquals(List.of(), TestData.filesBelow(temp.resolve("cache/cifar10/tmp")));

    // Once there is space, the kept download is extracted without downloading it again.
    CifarDataset data = assertTimeoutPreemptively(LIMIT, () -> CifarDataset.load(options));
    assertEquals(100, data.train().size());
    assertEquals(1, requests.get());
  }

  @Test
  void aDamagedOrUncheckableCacheWhoseDownloadIsGoneIsMadeAgainFromTheUrl() throws IOException {
    DataOptions options =
        options(url("/cifar-10-binary.tar.gz").toString()).checksum(archiveSha256).build();
    int testImages = assertTimeoutPreemptively(LIMIT, () -> CifarDataset.load(options)).test().size();
    java.nio.file.Path cache = temp.resolve("cache/cifar10");
    deleteDownloads(cache);
    List<String> extraction = TestData.filesBelow(cache.resolve("extracted"));
    String testBatch =
        extraction.stream().filter(f -> f.endsWith("/test_batch.bin")).findFirst().orElseThrow();
    java.nio.file.Path batch = cache.resolve("extracted").resolve(testBatch);
    byte[] whole = java.nio.file.Files.readAllBytes(batch);
    // Cut to whole records: still valid CIFAR-10, so only the manifest tells it from the extraction.
    java.nio.file.Files.write(
        batch, java.util.Arrays.copyOf(whole, 2 * CifarBinaryFormat.RECORD_BYTES));

    // The download may be deleted once extracted: the run fetches what it was told to, as the first did.
    assertEquals(testImages, CifarDataset.load(options).test().size(), "the whole test split again");
    assertEquals(2, requests.get(), "downloaded again");
    assertTrue(java.util.Arrays.equals(whole, java.nio.file.Files.readAllBytes(batch)));

    // An extraction made by an older version, without a manifest, is not trusted either.
    deleteDownloads(cache);
    for (String file : TestData.filesBelow(cache.resolve("extracted"))) {
      if (file.endsWith("MANIFEST.txt")) {
        java.nio.file.Files.delete(cache.resolve("extracted").resolve(file));
      }
    }
    assertEquals(testImages, CifarDataset.load(options).test().size());
    assertEquals(3, requests.get(), "downloaded again");
    // What it lets through: an intact extraction is used without the network.
    assertEquals(testImages, CifarDataset.load(options).test().size());
    assertEquals(3, requests.get(), "not downloaded for an intact extraction");
  }

  private static void deleteDownloads(java.nio.file.Path cache) throws IOException {
    for (String download : TestData.filesBelow(cache.resolve("downloads"))) {
      java.nio.file.Files.delete(cache.resolve("downloads").resolve(download));
    }
  }

  @Test
  void aDownloadLargerThanTheCapsAllowStopsAndLeavesNothing() throws IOException {
    // Chunked (no length, as from a server that streams without end) and announced; each stops
    // at 64 MiB so that, without the cap, the test ends, and fails.
    AtomicLong sent = new AtomicLong();
    long size = 64 << 20;
    for (String path : List.of("/endless.tar.gz", "/announced.tar.gz")) {
      server.createContext(
          path,
          exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(200, path.equals("/endless.tar.gz") ? 0 : size);
            byte[] chunk = new byte[1 << 16];
            try (OutputStream body = exchange.getResponseBody()) {
              for (long written = 0; written < size; written += chunk.length) {
                body.write(chunk);
                sent.addAndGet(chunk.length);
              }
            } catch (IOException e) {
              // The client hung up: what the test wants.
            }
          });
    }
    for (String path : List.of("/endless.tar.gz", "/announced.tar.gz")) {
      requests.set(0);
      sent.set(0);
      DataOptions options =
          options(url(path).toString()).extractMaxBytes(1 << 20).extractMaxEntries(8).build();

      CifarDataException error =
          assertTimeoutPreemptively(
              LIMIT,
              () -> assertThrows(CifarDataException.class, () -> CifarDataset.load(options)));

      String message = error.getMessage();
      assertTrue(message.contains("-Dcnn.extractMaxBytes=1048576"), message);
      assertTrue(message.contains("raise -Dcnn.extractMaxBytes"), message);
      assertTrue(message.contains("Nothing was cached"), message);
      assertEquals(1, requests.get(), "not retried");
      assertTrue(sent.get() < size / 2, path + ": the server sent " + sent.get() + " bytes");
      assertEquals(List.of(), TestData.filesBelow(temp.resolve("cache")));
    }
  }

  @Test
  void corruptDownloadIsDeleted() throws IOException {
    byte[] corrupt = "not gzip at all".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    server.createContext("/corrupt.tar.gz", exchange -> respond(exchange, 200, corrupt));
    DataOptions options = options(url("/corrupt.tar.gz").toString()).build();

    CifarDataException error =
        assertTimeoutPreemptively(
            LIMIT, () -> assertThrows(CifarDataException.class, () -> CifarDataset.load(options)));

    assertTrue(error.getMessage().contains("damaged"), error.getMessage());
    assertTrue(error.getMessage().contains("was deleted"), error.getMessage());
    assertEquals(List.of(), TestData.filesBelow(temp.resolve("cache")));
  }

  @Test
  void aDownloadWithAnOversizedPaxHeaderIsDeleted() throws IOException {
    byte[] hostile =
        java.nio.file.Files.readAllBytes(
            TestData.writeArchiveWithLargeHeader(
                temp.resolve("hostile.tar.gz"), TarConstants.LF_PAX_EXTENDED_HEADER_LC, 16 << 20));
    server.createContext("/pax.tar.gz", exchange -> respond(exchange, 200, hostile));
    DataOptions options = options(url("/pax.tar.gz").toString()).build();

    CifarDataException error =
        assertTimeoutPreemptively(
            LIMIT, () -> assertThrows(CifarDataException.class, () -> CifarDataset.load(options)));

    assertTrue(error.getMessage().contains("tar headers of more than"), error.getMessage());
    assertTrue(error.getMessage().contains("was deleted"), error.getMessage());
    assertEquals(List.of(), TestData.filesBelow(temp.resolve("cache")));
  }

  @Test
  void aDownloadWithAnOverlongEntryNameIsDeleted() throws IOException {
    List<TestData.Entry> entries = new ArrayList<>(TestData.officialEntries(TestData.files()));
    entries.add(TestData.Entry.file("cifar-10-batches-bin/" + "n".repeat(300), new byte[] {1}));
    byte[] overlong = TestData.tarGz(entries);
    server.createContext("/overlong.tar.gz", exchange -> respond(exchange, 200, overlong));
    DataOptions options = options(url("/overlong.tar.gz").toString()).build();

    CifarDataException error =
        assertTimeoutPreemptively(
            LIMIT, () -> assertThrows(CifarDataException.class, () -> CifarDataset.load(options)));

    assertTrue(error.getMessage().contains("over 255 bytes"), error.getMessage());
    assertTrue(error.getMessage().contains("was deleted"), error.getMessage());
    assertEquals(List.of(), TestData.filesBelow(temp.resolve("cache")));
  }

  @Test
  void aCacheThatCannotTakeTheDownloadIsNotRetried() throws IOException {
    // downloads/ exists as a file: the verified archive cannot be moved into the cache.
    java.nio.file.Files.createDirectories(temp.resolve("cache/cifar10"));
    java.nio.file.Files.writeString(temp.resolve("cache/cifar10/downloads"), "in the way");
    DataOptions options = options(url("/cifar-10-binary.tar.gz").toString()).build();

    CifarDataException error =
        assertTimeoutPreemptively(
            LIMIT, () -> assertThrows(CifarDataException.class, () -> CifarDataset.load(options)));

    assertEquals(1, requests.get(), "downloaded once, not once per attempt");
    assertTrue(error.getMessage().contains("Could not write to"), error.getMessage());
    assertTrue(error.getMessage().contains("Nothing was cached"), error.getMessage());
  }

  @Test
  void offlineMachineGetsAdviceToUseALocalCopy() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    URI unreachable = URI.create("http://127.0.0.1:" + closedPort + "/cifar-10-binary.tar.gz");

    CifarDataException error =
        assertTimeoutPreemptively(
            LIMIT,
            () ->
                assertThrows(
                    CifarDataException.class,
                    () -> CifarDataset.load(options(DataOptions.OFFICIAL).build(), unreachable)));

    assertTrue(error.getMessage().contains("offline"), error.getMessage());
    assertTrue(
        error.getMessage().contains("-Dcnn.dataset=/path/to/cifar-10-binary.tar.gz"),
        error.getMessage());
    assertTrue(error.getMessage().contains("-Dcnn.datasetChecksum="), error.getMessage());
    assertEquals(List.of(), TestData.filesBelow(temp.resolve("cache")));
  }
}
