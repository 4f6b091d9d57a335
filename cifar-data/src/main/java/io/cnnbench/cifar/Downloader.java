package io.cnnbench.cifar;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams an HTTP(S) download to a temporary file, verifies it, and only then moves it into place
 * atomically, so no later run can mistake a partial or wrong file for a good one.
 *
 * <p>Its length is the protocol's: idle timeouts on headers and body, retries with doubling pauses that tell
 * retryable failures from final ones (4xx, checksum), progress, and a message for each way a download fails.
 */
final class Downloader {

  private static final Logger LOG = LoggerFactory.getLogger(Downloader.class);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

  /** Progress granularity when the server does not say how large the file is. */
  private static final long UNKNOWN_SIZE_LOG_STEP = 16L << 20;

  private Downloader() {}

  /**
   * Downloads {@code url} to {@code destination}, trying up to {@link DataOptions#downloadAttempts}
   * times with doubling pauses in between. Each attempt starts from scratch and is verified as a
   * whole, so a retry can never splice two different files together.
   *
   * @param expected checksum to verify, or null to accept any content (logged as a warning)
   * @param temporaryFile where the body is written first; same file system as destination; it is
   *     deleted whatever happens
   */
  static void download(
      URI url, Checksum expected, Path temporaryFile, Path destination, DataOptions options) {
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL)
            // Honours -Dhttps.proxyHost and friends, which HttpClient ignores by default.
            .proxy(ProxySelector.getDefault())
            .build();
    int attempts = options.downloadAttempts();
    Duration pause = options.downloadRetryDelay();
    try {
      LOG.info("Downloading {} to {}", url, destination);
      boolean unreachable = true;
      IOException last = null;
      for (int attempt = 1; attempt <= attempts; attempt++) {
        try {
          attempt(client, url, expected, temporaryFile, options);
        } catch (IOException e) {
          last = e;
          unreachable &= isUnreachable(e);
          if (attempt < attempts) {
            LOG.warn(
                "Attempt {} of {} to download {} failed: {}; retrying in {}",
                attempt,
                attempts,
                url,
                describe(e),
                DataOptions.seconds(pause));
            Thread.sleep(pause.toMillis());
            pause = pause.multipliedBy(2);
          } else {
            LOG.warn(
                "Attempt {} of {} to download {} failed: {}", attempt, attempts, url, describe(e));
          }
          continue;
        }
        // Outside the retried part: a cache that cannot be written is not the server's fault, and
        // downloading again would not help.
        try {
          // On disk before the rename publishes it: after a crash, no partial file under the
          // final name.
          CifarCache.forceToDisk(temporaryFile);
          Files.createDirectories(destination.getParent());
          Files.move(temporaryFile, destination, StandardCopyOption.ATOMIC_MOVE);
          CifarCache.forceToDisk(destination.getParent());
        } catch (IOException e) {
          throw cacheWriteFailed(destination.getParent(), e);
        }
        return;
      }
      String tries = attempts == 1 ? "1 attempt" : attempts + " attempts";
      if (unreachable) {
        throw new CifarDataException(
            "Cannot reach "
                + url
                + " ("
                + describe(last)
                + ", "
                + tries
                + "); this machine seems to be offline. "
                + offlineAdvice(),
            last);
      }
      throw new CifarDataException(
          "Downloading "
              + url
              + " failed after "
              + tries
              + " (last: "
              + describe(last)
              + "). Nothing was cached; run again later to retry (more tries: -D"
              + DataOptions.PROPERTY_DOWNLOAD_ATTEMPTS
              + ", a longer wait for a slow server: -D"
              + DataOptions.PROPERTY_DOWNLOAD_TIMEOUT
              + "=SECONDS), or download the file another way. "
              + offlineAdvice(),
          last);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CifarDataException("Interrupted while downloading " + url, e);
    } finally {
      deleteQuietly(temporaryFile);
    }
  }

  /**
   * One attempt. An {@link IOException} is worth retrying (no connection, timeout, connection
   * lost, server error); a {@link CifarDataException} is not (the server refuses the file, the
   * checksum is wrong, the cache cannot be written).
   */
  private static void attempt(
      HttpClient client, URI url, Checksum expected, Path temporaryFile, DataOptions options)
      throws IOException, InterruptedException {
    Duration timeout = options.downloadTimeout();
    // The request timeout covers the wait for the response headers; IdleTimeoutBody covers the
    // body, which HttpClient would otherwise wait for forever.
    HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).GET().build();
    HttpResponse<Flow.Publisher<List<ByteBuffer>>> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofPublisher());
    } catch (UnresolvedAddressException e) {
      // Some JDKs throw this unchecked instead of a ConnectException: still "offline".
      ConnectException unresolved = new ConnectException("cannot resolve " + url.getHost());
      unresolved.initCause(e);
      throw unresolved;
    }
    long received;
    MessageDigest digest = expected != null ? expected.newDigest() : null;
    try (IdleTimeoutBody body = new IdleTimeoutBody(response.body(), timeout)) {
      int status = response.statusCode();
      if (status != 200) {
        String message = "the server answered HTTP " + status;
        if (status >= 500 || status == 408 || status == 429) {
          throw new IOException(message);
        }
        throw new CifarDataException(
            "Downloading " + url + " failed: " + message + ". " + offlineAdvice());
      }
      OptionalLong length = response.headers().firstValueAsLong("Content-Length");
      // An archive larger than this could not be extracted anyway; stopping here keeps a server
      // that streams without end from filling the disk before the checksum is checked.
      long cap =
          ArchiveExtractor.maxArchiveBytes(options.extractMaxBytes(), options.extractMaxEntries());
      if (length.isPresent() && length.getAsLong() > cap) {
        throw tooLarge(
            url, "the server announces " + length.getAsLong() + " bytes, more", cap, options);
      }
      received = copyWithProgress(url, body, temporaryFile, digest, length, cap, options);
      if (length.isPresent() && received != length.getAsLong()) {
        throw new IOException(
            "the connection was interrupted after "
                + received
                + " of "
                + length.getAsLong()
                + " announced bytes");
      }
    }
    if (expected != null) {
      String actual = HexFormat.of().formatHex(digest.digest());
      if (!actual.equals(expected.hex())) {
        throw expected.mismatch(url.toString(), actual);
      }
      LOG.info("Verified {} ({} bytes, {})", url, received, expected);
    } else {
      LOG.warn(
          "No checksum given for {}: its {} bytes are used unverified (set -D{})",
          url,
          received,
          DataOptions.PROPERTY_CHECKSUM);
    }
  }

  private static boolean isUnreachable(IOException e) {
    return e instanceof ConnectException
        || e instanceof HttpConnectTimeoutException
        || e instanceof UnknownHostException;
  }

  private static long copyWithProgress(
      URI url,
      IdleTimeoutBody body,
      Path file,
      MessageDigest digest,
      OptionalLong length,
      long cap,
      DataOptions options)
      throws IOException, InterruptedException {
    Path cacheDir = options.cacheDir();
    long received = 0;
    long nextReport = length.isPresent() ? length.getAsLong() / 10 : UNKNOWN_SIZE_LOG_STEP;
    OutputStream out = openForWriting(file, cacheDir);
    try {
      while (true) {
        ByteBuffer chunk;
        try {
          chunk = body.next();
        } catch (IOException e) {
          throw new IOException(
              "the connection was interrupted after "
                  + received
                  + (length.isPresent() ? " of " + length.getAsLong() : "")
                  + " bytes ("
                  + e.getMessage()
                  + ")",
              e);
        }
        if (chunk == null) {
          break;
        }
        int read = chunk.remaining();
        if (read > cap - received) {
          throw tooLarge(url, "the server sent more bytes", cap, options);
        }
        byte[] bytes;
        int offset;
        if (chunk.hasArray()) {
          bytes = chunk.array();
          offset = chunk.arrayOffset() + chunk.position();
        } else {
          bytes = new byte[read];
          chunk.get(bytes);
          offset = 0;
        }
        try {
          out.write(bytes, offset, read);
        } catch (IOException e) {
          throw cacheWriteFailed(cacheDir, e);
        }
        if (digest != null) {
          digest.update(bytes, offset, read);
        }
        received += read;
        if (received >= nextReport && nextReport > 0) {
          if (length.isPresent()) {
            long total = length.getAsLong();
            LOG.info(
                "Downloaded {}% of {} ({} of {} MB)",
                received * 100 / total, url, received >> 20, total >> 20);
            nextReport = (received * 10 / total + 1) * total / 10;
          } else {
            LOG.info("Downloaded {} MB of {}", received >> 20, url);
            nextReport = received + UNKNOWN_SIZE_LOG_STEP;
          }
        }
      }
    } finally {
      try {
        out.close();
      } catch (IOException e) {
        throw cacheWriteFailed(cacheDir, e);
      }
    }
    return received;
  }

  private static OutputStream openForWriting(Path file, Path cacheDir) {
    try {
      return Files.newOutputStream(file);
    } catch (IOException e) {
      throw cacheWriteFailed(cacheDir, e);
    }
  }

  /**
   * Not retried: the same server would send the same file.
   *
   * @param what the start of a comparison, finished by "than an archive ... can have"
   */
  private static CifarDataException tooLarge(
      URI url, String what, long cap, DataOptions options) {
    return new CifarDataException(
        "Stopped downloading "
            + url
            + ": "
            + what
            + " than an archive that extracts within -D"
            + DataOptions.PROPERTY_EXTRACT_MAX_BYTES
            + "="
            + options.extractMaxBytes()
            + " and -D"
            + DataOptions.PROPERTY_EXTRACT_MAX_ENTRIES
            + "="
            + options.extractMaxEntries()
            + " can have ("
            + cap
            + " bytes). The official CIFAR-10 archive has about 170 MB, so this is not it."
            + " Nothing was cached. If the file is really meant, raise -D"
            + DataOptions.PROPERTY_EXTRACT_MAX_BYTES
            + ".");
  }

  /** A full disk is not the server's fault: say so, and do not retry. */
  private static CifarDataException cacheWriteFailed(Path cacheDir, IOException e) {
    return new CifarDataException(
        "Could not write to "
            + cacheDir.toAbsolutePath()
            + " while downloading: "
            + describe(e)
            + "; free space there or set -D"
            + DataOptions.PROPERTY_CACHE
            + " elsewhere. Nothing was cached.",
        e);
  }

  /**
   * A response body read chunk by chunk that fails once no bytes arrive for {@code idle}. {@code
   * HttpResponse.BodyHandlers.ofInputStream()} blocks in {@code read()} for as long as a stalled
   * server keeps the connection open, with no way to time out; this subscriber waits on its own
   * queue with a deadline instead, and cancels the body (closing the connection) when it expires.
   */
  private static final class IdleTimeoutBody
      implements Flow.Subscriber<List<ByteBuffer>>, AutoCloseable {
    private static final Object END = new Object();

    private final BlockingQueue<Object> signals = new LinkedBlockingQueue<>();
    private final Duration idle;
    private volatile Flow.Subscription subscription;
    private Iterator<ByteBuffer> pending = Collections.emptyIterator();
    private boolean done;

    IdleTimeoutBody(Flow.Publisher<List<ByteBuffer>> publisher, Duration idle) {
      this.idle = idle;
      publisher.subscribe(this);
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      subscription.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
      signals.add(item);
    }

    @Override
    public void onError(Throwable error) {
      signals.add(error);
    }

    @Override
    public void onComplete() {
      signals.add(END);
    }

    /** The next non-empty chunk, or null at the end of the body. */
    ByteBuffer next() throws IOException, InterruptedException {
      while (true) {
        while (pending.hasNext()) {
          ByteBuffer chunk = pending.next();
          if (chunk.hasRemaining()) {
            return chunk;
          }
        }
        if (done) {
          return null;
        }
        Object signal = signals.poll(idle.toNanos(), TimeUnit.NANOSECONDS);
        if (signal == null) {
          close();
          throw new HttpTimeoutException(
              "the server sent nothing for "
                  + DataOptions.seconds(idle)
                  + " (-D"
                  + DataOptions.PROPERTY_DOWNLOAD_TIMEOUT
                  + ")");
        }
        if (signal == END) {
          done = true;
          return null;
        }
        if (signal instanceof Throwable) {
          done = true;
          Throwable error = (Throwable) signal;
          throw error instanceof IOException
              ? (IOException) error
              : new IOException(error.toString(), error);
        }
        @SuppressWarnings("unchecked")
        List<ByteBuffer> chunks = (List<ByteBuffer>) signal;
        pending = chunks.iterator();
        subscription.request(1);
      }
    }

    /** Cancelling releases the connection; after the end of the body it does nothing. */
    @Override
    public void close() {
      Flow.Subscription current = subscription;
      if (!done && current != null) {
        done = true;
        current.cancel();
      }
    }
  }

  static String offlineAdvice() {
    return "To use a copy you already have, pass -D"
        + DataOptions.PROPERTY_DATASET
        + "=/path/to/cifar-10-binary.tar.gz (or the extracted cifar-10-batches-bin directory)"
        + " and, to verify it, -D"
        + DataOptions.PROPERTY_CHECKSUM
        + "=sha256:HEX; -D"
        + DataOptions.PROPERTY_DATASET
        + "="
        + DataOptions.SAMPLE
        + " runs on the small embedded sample without any download.";
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    if (e.getClass() == IOException.class && message != null) {
      return message;
    }
    return message == null || message.isBlank()
        ? e.getClass().getSimpleName()
        : e.getClass().getSimpleName() + ": " + message;
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("Could not delete the partial download {}: {}", file, e.toString());
    }
  }
}
