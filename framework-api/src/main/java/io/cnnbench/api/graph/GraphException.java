package io.cnnbench.api.graph;

/** A network that cannot be built as written: names the operation and the shapes involved. */
public class GraphException extends RuntimeException {
    public GraphException(String message) {
        super(message);
    }
}
