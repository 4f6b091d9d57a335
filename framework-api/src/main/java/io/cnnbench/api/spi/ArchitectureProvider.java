package io.cnnbench.api.spi;

/** A named, documented recipe: which tail, block and head, the body layout and training defaults. */
public interface ArchitectureProvider extends Provider {
    ArchitectureSpec spec();

    @Override
    default String name() {
        return spec().name();
    }

    @Override
    default String description() {
        return spec().description();
    }
}
