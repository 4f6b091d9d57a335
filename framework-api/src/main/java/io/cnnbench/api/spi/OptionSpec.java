package io.cnnbench.api.spi;

import java.util.Locale;
import java.util.Objects;

/**
 * One option a provider reads from {@link Options}: its key, type, default and meaning. Providers declare
 * theirs in {@link Provider#options()}; a run refuses a key no part of the architecture declares (a typo would
 * otherwise be ignored) and a value that is not of the declared type, and {@code cnn:list} prints them.
 *
 * @param name         the key, as in {@code -Dcnn.options=resnext.cardinality=4}
 * @param type         what the value must parse as
 * @param defaultValue the value the provider uses when the key is absent, as text; {@code null} when there is
 *                     none (the description says what happens then)
 * @param description  one line saying what it changes
 */
public record OptionSpec(String name, Type type, String defaultValue, String description) {

    /** The value types an option can have. */
    public enum Type {
        /** A 32-bit integer. */
        INT("int"),
        /** A floating-point number. */
        DOUBLE("double"),
        /** {@code true} or {@code false}, ignoring case. */
        BOOLEAN("boolean"),
        /** Any text. */
        STRING("string"),
        /** Comma-separated integers, e.g. {@code 4,4,5}. */
        INT_LIST("intList");

        private final String label;

        Type(String label) {
            this.label = label;
        }

        /** How listings and messages name the type ({@code int}, {@code double}, {@code intList}…). */
        public String label() {
            return label;
        }

        /** Whether {@code value} parses as this type (surrounding blanks allowed, as {@link Options} reads). */
        public boolean accepts(String value) {
            if (value == null) {
                return false;
            }
            String v = value.trim();
            switch (this) {
                case INT:
                    return parsesAsInt(v);
                case DOUBLE:
                    try {
                        Double.parseDouble(v);
                        return !v.isEmpty();
                    } catch (NumberFormatException e) {
                        return false;
                    }
                case BOOLEAN:
                    return v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false");
                case INT_LIST:
                    for (String part : v.split(",", -1)) {
                        if (!parsesAsInt(part.trim())) {
                            return false;
                        }
                    }
                    return true;
                default:
                    return true;
            }
        }

        private static boolean parsesAsInt(String v) {
            try {
                Integer.parseInt(v);
                return true;
            } catch (NumberFormatException e) {
                return false;
            }
        }

        @Override
        public String toString() {
            return label;
        }
    }

    public OptionSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        description = description == null ? "" : description;
        if (name.isBlank()) {
            throw new IllegalArgumentException("an option needs a name");
        }
        if (defaultValue != null && !type.accepts(defaultValue)) {
            throw new IllegalArgumentException("option '" + name + "': default '" + defaultValue + "' is not a "
                    + type.label());
        }
    }

    public static OptionSpec ofInt(String name, Integer defaultValue, String description) {
        return new OptionSpec(name, Type.INT, defaultValue == null ? null : defaultValue.toString(), description);
    }

    public static OptionSpec ofDouble(String name, Double defaultValue, String description) {
        return new OptionSpec(name, Type.DOUBLE, defaultValue == null ? null : text(defaultValue), description);
    }

    public static OptionSpec ofBoolean(String name, boolean defaultValue, String description) {
        return new OptionSpec(name, Type.BOOLEAN, Boolean.toString(defaultValue), description);
    }

    public static OptionSpec ofString(String name, String defaultValue, String description) {
        return new OptionSpec(name, Type.STRING, defaultValue, description);
    }

    public static OptionSpec ofIntList(String name, String defaultValue, String description) {
        return new OptionSpec(name, Type.INT_LIST, defaultValue, description);
    }

    /** {@code 0.25}, {@code 1.0}, {@code 0.001}: a double as a user would type it. */
    private static String text(double v) {
        String s = Double.toString(v);
        if (s.contains("E")) {
            s = java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
        }
        return s.toLowerCase(Locale.ROOT);
    }
}
