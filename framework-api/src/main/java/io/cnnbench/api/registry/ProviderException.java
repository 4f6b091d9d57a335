package io.cnnbench.api.registry;

/**
 * A registry problem a user must fix in their build: a duplicate, unknown or invalid provider name, or a provider
 * that cannot be loaded or created.
 */
public class ProviderException extends RuntimeException {
    public ProviderException(String message) {
        super(message);
    }

    public ProviderException(String message, Throwable cause) {
        super(message, cause);
    }
}
