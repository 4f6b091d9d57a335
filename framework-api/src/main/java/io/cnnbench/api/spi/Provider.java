package io.cnnbench.api.spi;

/** Something registered by name through {@link java.util.ServiceLoader}. Names are unique per kind. */
public interface Provider {
    /** The unique, lower-case, hyphenated name a POM uses ({@code resnext-seed}, {@code mobilenetv3-block}). */
    String name();

    /** One line saying what this is. */
    default String description() {
        return "";
    }
}
