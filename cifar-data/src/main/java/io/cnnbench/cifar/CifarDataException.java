package io.cnnbench.cifar;

/**
 * Everything that can go wrong while locating, downloading, verifying, extracting or reading
 * CIFAR-10, or while producing batches. The message always says what happened and, where the user
 * can do something about it, what to do next.
 */
public class CifarDataException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public CifarDataException(String message) {
    super(message);
  }

  public CifarDataException(String message, Throwable cause) {
    super(message, cause);
  }
}
