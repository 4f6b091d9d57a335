package io.cnnbench.api.spi;

import java.util.List;

/** Something registered by name through {@link java.util.ServiceLoader}. Names are unique per kind. */
public interface Provider {
    /** The unique, lower-case, hyphenated name a POM uses ({@code resnext-seed}, {@code mobilenetv3-block}). */
    String name();

    /** One line saying what this is. */
    default String description() {
        return "";
    }

    /**
     * The options this provider reads from {@link Options}, with their types and defaults. A run accepts for an
     * architecture only the keys its architecture provider, tail, block and head declare (and the body's
     * {@code startDims}, {@code blockRepeats}), so every key a provider reads must be declared here.
     */
    default List<OptionSpec> options() {
        return List.of();
    }
}
