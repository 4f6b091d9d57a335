package io.cnnbench.cifar;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** An expected digest written as {@code sha256:HEX} or {@code md5:HEX}. */
final class Checksum {

  private final String algorithm;
  private final String hex;

  private Checksum(String algorithm, String hex) {
    this.algorithm = algorithm;
    this.hex = hex;
  }

  static Checksum parse(String text) {
    String trimmed = text.trim();
    int colon = trimmed.indexOf(':');
    if (colon < 0) {
      throw new CifarDataException(
          "Checksum '" + text + "' has no algorithm; write it as sha256:HEX or md5:HEX");
    }
    String algorithm = trimmed.substring(0, colon).toLowerCase(Locale.ROOT).replace("-", "");
    String hex = trimmed.substring(colon + 1).toLowerCase(Locale.ROOT);
    int expectedLength;
    switch (algorithm) {
      case "sha256":
        expectedLength = 64;
        break;
      case "md5":
        expectedLength = 32;
        break;
      default:
        throw new CifarDataException(
            "Checksum algorithm '"
                + trimmed.substring(0, colon)
                + "' is not supported; write sha256:HEX or md5:HEX");
    }
    if (hex.length() != expectedLength || !hex.chars().allMatch(Checksum::isHexDigit)) {
      throw new CifarDataException(
          "Checksum '"
              + text
              + "' is malformed: "
              + algorithm
              + " needs "
              + expectedLength
              + " hexadecimal digits");
    }
    return new Checksum(algorithm, hex);
  }

  private static boolean isHexDigit(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  }

  String algorithm() {
    return algorithm;
  }

  String hex() {
    return hex;
  }

  MessageDigest newDigest() {
    return newDigest(algorithm);
  }

  static MessageDigest newDigest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm.equals("sha256") ? "SHA-256" : "MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java runtime provides " + algorithm, e);
    }
  }

  boolean matches(byte[] digest) {
    return HexFormat.of().formatHex(digest).equals(hex);
  }

  /** Hex digest of a file with this checksum's algorithm. */
  String digestOf(Path file) throws IOException {
    MessageDigest digest = newDigest();
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int read; (read = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, read);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** Throws a {@link CifarDataException} naming both digests unless the file matches. */
  void verify(Path file, String what) throws IOException {
    String actual = digestOf(file);
    if (!actual.equals(hex)) {
      throw mismatch(what, actual);
    }
  }

  CifarDataException mismatch(String what, String actualHex) {
    return new CifarDataException(
        "Checksum mismatch for "
            + what
            + ": expected "
            + this
            + " but the data has "
            + algorithm
            + ":"
            + actualHex
            + ". The file is corrupt or not the one you meant; nothing was cached. Fix the file,"
            + " or pass the right -D"
            + DataOptions.PROPERTY_CHECKSUM
            + "=ALGORITHM:HEX.");
  }

  @Override
  public String toString() {
    return algorithm + ":" + hex;
  }
}
