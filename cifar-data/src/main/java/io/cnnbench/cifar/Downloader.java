package io.cnnbench.cifar;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams an HTTP(S) download to a temporary file, verifies it, and only then moves it into place
 * atomically, so no later run can mistake a partial or wrong file for a good one.
 */
final class Downloader {

  private static final Logger LOG = LoggerFactory.getLogger(Downloader.class);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

  /** Progress granularity when the server does not say how large the file is. */
  private static final long UNKNOWN_SIZE_LOG_STEP = 16L << 20;

  private Downloader() {}

  /**
   * Downloads {@code url} to {@code destination}.
   *
   * @param expected checksum to verify, or null to accept any content (logged as a warning)
   * @param temporaryFile where the body is written first; same file system as destination; it is
   *     deleted whatever happens
   */
  static void download(URI url, Checksum expected, Path temporaryFile, Path destination) {
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL)
            // Honours -Dhttps.proxyHost and friends, which HttpClient ignores by default.
            .proxy(ProxySelector.getDefault())
            .build();
    HttpRequest request = HttpRequest.newBuilder(url).GET().build();
    try {
      LOG.info("Downloading {} to {}", url, destination);
      HttpResponse<InputStream> response =
          client.send(request, HttpResponse.BodyHandlers.ofInputStream());
      long received;
      MessageDigest digest = expected != null ? expected.newDigest() : null;
      try (InputStream body = response.body()) {
        if (response.statusCode() != 200) {
          throw new CifarDataException(
              "Downloading "
                  + url
                  + " failed: the server answered HTTP "
                  + response.statusCode()
                  + ". "
                  + offlineAdvice());
        }
        OptionalLong length = response.headers().firstValueAsLong("Content-Length");
        received = copyWithProgress(url, body, temporaryFile, digest, length);
        if (length.isPresent() && received != length.getAsLong()) {
          throw new IOException(
              "received " + received + " of " + length.getAsLong() + " announced bytes");
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
      Files.createDirectories(destination.getParent());
      Files.move(temporaryFile, destination, StandardCopyOption.ATOMIC_MOVE);
    } catch (ConnectException
        | HttpConnectTimeoutException
        | UnknownHostException
        | UnresolvedAddressException e) {
      throw new CifarDataException(
          "Cannot reach "
              + url
              + " ("
              + describe(e)
              + "); this machine seems to be offline. "
              + offlineAdvice(),
          e);
    } catch (IOException e) {
      throw new CifarDataException(
          "Downloading "
              + url
              + " was interrupted: "
              + describe(e)
              + ". Nothing was cached; run again to retry. "
              + offlineAdvice(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CifarDataException("Interrupted while downloading " + url, e);
    } finally {
      deleteQuietly(temporaryFile);
    }
  }

  private static long copyWithProgress(
      URI url, InputStream body, Path file, MessageDigest digest, OptionalLong length)
      throws IOException {
    byte[] buffer = new byte[1 << 16];
    long received = 0;
    long nextReport = length.isPresent() ? length.getAsLong() / 10 : UNKNOWN_SIZE_LOG_STEP;
    try (OutputStream out = Files.newOutputStream(file)) {
      while (true) {
        int read;
        try {
          read = body.read(buffer);
        } catch (IOException e) {
          throw new IOException(
              "the connection failed after "
                  + received
                  + (length.isPresent() ? " of " + length.getAsLong() : "")
                  + " bytes ("
                  + e.getMessage()
                  + ")",
              e);
        }
        if (read < 0) {
          break;
        }
        out.write(buffer, 0, read);
        if (digest != null) {
          digest.update(buffer, 0, read);
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
    }
    return received;
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
