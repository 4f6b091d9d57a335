package io.cnnbench.api.registry;

/** A registry problem a user must fix in their build: a duplicate or unknown provider name. */
public class ProviderException extends RuntimeException {
    public ProviderException(String message) {
        super(message);
    }
}
