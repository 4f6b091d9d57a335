package io.cnnbench.api.spi;

import java.util.regex.Pattern;

/**
 * The one rule for names that become folder and file names: provider names (tails, blocks, heads,
 * architectures), an architecture spec's name, and POM compositions. Results land in
 * {@code <out>/<architecture>/} and the exported model in {@code <architecture>.onnx}, so a name must not be able
 * to climb out of the output directory or be an absolute path.
 *
 * <p>A valid name is 1 to {@value #MAX_LENGTH} characters of lower-case ASCII letters, digits, {@code -},
 * {@code .} and {@code _}; it starts with a letter or a digit and contains no {@code ..}. Examples:
 * {@code resnext-seed}, {@code mobilenetv3-small}, {@code vgg_11.bn}.
 */
public final class Names {
    /** The longest name allowed, in characters. */
    public static final int MAX_LENGTH = 64;

    /** The pattern as text, for messages and documentation (the {@code ..} rule is checked separately). */
    public static final String PATTERN_TEXT = "[a-z0-9][a-z0-9._-]{0," + (MAX_LENGTH - 1) + "}";

    private static final Pattern PATTERN = Pattern.compile(PATTERN_TEXT);

    /** The rule in words, as it appears in every error. */
    public static final String RULE = "a name is 1 to " + MAX_LENGTH + " characters of lower-case letters a-z,"
            + " digits, '-', '.' and '_', starts with a letter or digit, and contains no '..'";

    private Names() {
    }

    /** Whether {@code name} follows the rule; {@code null} does not. */
    public static boolean isValid(String name) {
        return problem(name) == null;
    }

    /**
     * What is wrong with {@code name}, in a few words ({@code "contains '/'"}), or {@code null} when it is valid.
     */
    public static String problem(String name) {
        if (name == null) {
            return "is missing (null)";
        }
        if (name.isEmpty()) {
            return "is empty";
        }
        if (name.length() > MAX_LENGTH) {
            return "is " + name.length() + " characters long";
        }
        if (name.contains("..")) {
            return "contains '..'";
        }
        char first = name.charAt(0);
        if (!((first >= 'a' && first <= 'z') || (first >= '0' && first <= '9'))) {
            return "starts with " + describe(first);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_')) {
                return "contains " + describe(c);
            }
        }
        if (!PATTERN.matcher(name).matches()) {
            return "does not match " + PATTERN_TEXT; // unreachable: the loop above checks the same
        }
        return null;
    }

    /**
     * Returns {@code name} when it is valid, otherwise throws an {@link IllegalArgumentException} that quotes the
     * name, says where it came from and states the rule, e.g. {@code invalid name '../x' (the tail provider
     * p.MyTail from my.jar): it contains '..'; a name is ...}.
     *
     * @param where where the name came from, for the message: a provider and its jar, a POM element, a file
     */
    public static String check(String name, String where) {
        String problem = problem(name);
        if (problem != null) {
            throw new IllegalArgumentException(message(name, where, problem));
        }
        return name;
    }

    /** The message {@link #check} throws with, for callers that throw their own exception type. */
    public static String message(String name, String where, String problem) {
        return "invalid name " + quote(name) + " (" + where + "): it " + problem + "; " + RULE;
    }

    /**
     * {@code name} in single quotes with control and non-ASCII characters written as {@code \\uXXXX}, so that a
     * message shows exactly what was given, even a newline or an invisible character.
     */
    public static String quote(String name) {
        if (name == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(name.length() + 2).append('\'');
        int shown = Math.min(name.length(), 200);
        for (int i = 0; i < shown; i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '\\' || c == '\'') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (shown < name.length()) {
            out.append("...");
        }
        return out.append('\'').toString();
    }

    private static String describe(char c) {
        return c < 0x20 || c > 0x7e ? String.format("the character \\u%04x", (int) c) : "'" + c + "'";
    }
}
