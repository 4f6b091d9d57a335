package io.cnnbench.core.bench;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * One setting of a benchmark, declared once: its {@code -D} property, its POM parameter, its type, its default
 * and its meaning. {@link Settings} lists them all; the Maven goals, the forked JVM's configuration, validation
 * and the README's property table are all checked against that list.
 *
 * @param <T> the value's type
 */
public final class Setting<T> {
    /** Where a setting is used: in the training run (and so passed to the forked JVM), or by a goal only. */
    public enum Scope { RUN, GOAL }

    private final String property;
    private final String parameter;
    private final T defaultValue;
    private final String defaultText;
    private final String description;
    private final Scope scope;
    private final Function<String, T> parser;
    private final boolean data;

    private Setting(String property, T defaultValue, String defaultText, String description, Scope scope,
                    Function<String, T> parser, boolean data) {
        this.property = property;
        this.parameter = property.substring(property.indexOf('.') + 1);
        this.defaultValue = defaultValue;
        this.defaultText = defaultText;
        this.description = description;
        this.scope = scope;
        this.parser = parser;
        this.data = data;
    }

    static <T> Setting<T> of(String property, T defaultValue, String description, Scope scope,
                             Function<String, T> parser) {
        return new Setting<>(property, defaultValue, defaultValue == null ? null : String.valueOf(defaultValue),
                description, scope, parser, false);
    }

    /**
     * A data setting: kept as text here and read, checked and defaulted by {@code DataOptions}, which owns its
     * name and default.
     */
    static Setting<String> data(String property, String defaultValue, String description) {
        return data(property, defaultValue, defaultValue, description);
    }

    /** A data setting whose default {@code DataOptions} works out itself ({@code defaultValue} null). */
    static Setting<String> data(String property, String defaultValue, String defaultText, String description) {
        return new Setting<>(property, defaultValue, defaultText, description, Scope.RUN, String::valueOf, true);
    }

    /** A setting whose default is described rather than fixed (e.g. "the architecture's"). */
    static <T> Setting<T> described(String property, String defaultText, String description, Scope scope,
                                    Function<String, T> parser) {
        return new Setting<>(property, null, defaultText, description, scope, parser, false);
    }

    /** {@code cnn.epochs} */
    public String property() {
        return property;
    }

    /** The mojo parameter and POM element: {@code epochs}. */
    public String parameter() {
        return parameter;
    }

    /** The default, or {@code null} when it is decided elsewhere (see {@link #defaultText()}). */
    public T defaultValue() {
        return defaultValue;
    }

    /** The default as the README states it, or {@code null} for none. */
    public String defaultText() {
        return defaultText;
    }

    public String description() {
        return description;
    }

    /** Whether {@code DataOptions} reads this setting. */
    public boolean isData() {
        return data;
    }

    public Scope scope() {
        return scope;
    }

    /**
     * The value of {@code text}, validated.
     *
     * @throws IllegalArgumentException naming the property, the value and what is expected
     */
    public T parse(String text) {
        Objects.requireNonNull(text, property);
        try {
            return parser.apply(text.trim());
        } catch (IllegalArgumentException e) {
            String why = e.getMessage() == null || e instanceof NumberFormatException ? "is not valid" : e.getMessage();
            throw new IllegalArgumentException(property + "=" + text + ": " + why, e);
        }
    }

    /**
     * The text {@link #parse} reads back as {@code value}. An enum may spell its values otherwise than its constants'
     * names ({@code cnn.onnxChannelBlock=8} is {@code AVX2}): its text is the first of its lower-cased name and its
     * own spelling that this setting reads back as the same value. The lower-cased name alone sent {@code avx2} to
     * the forked training JVM, which refused it, so every run given {@code 8} or {@code 16} failed unstarted.
     */
    public String format(Object value) {
        if (!(value instanceof Enum<?> e)) {
            return String.valueOf(value);
        }
        // The lower-cased name first: it is what every protocol text, history and baseline written so far holds.
        for (String text : List.of(e.name().toLowerCase(Locale.ROOT), e.toString())) {
            try {
                if (value.equals(parser.apply(text))) {
                    return text;
                }
            } catch (IllegalArgumentException unread) {
                // try the other spelling
            }
        }
        throw new IllegalStateException(property + ": no text reads back as " + e.name());
    }

    @Override
    public String toString() {
        return property;
    }
}
