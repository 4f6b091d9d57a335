package io.cnnbench.core.bench;

import java.util.Collection;

/**
 * An option key as {@code cnn.options} and {@code <architectureOptions>} write it, {@code architecture.option}, split
 * into its two parts. A name may contain dots ({@code vgg_11.bn}), so the key is not split at its first dot.
 */
public record ArchitectureOptionKey(String architecture, String option) {

    /**
     * Splits {@code key} after the longest of {@code architectures} it starts with (followed by a dot); when it starts
     * with none, before its last dot, so that the run's check of option targets names the architecture that was
     * meant and suggests the closest known one. Returns {@code null} when {@code key} has no architecture or no option.
     */
    public static ArchitectureOptionKey parse(String key, Collection<String> architectures) {
        String longest = null;
        for (String name : architectures) {
            if (key.startsWith(name + ".") && key.length() > name.length() + 1
                    && (longest == null || name.length() > longest.length())) {
                longest = name;
            }
        }
        int dot = longest != null ? longest.length() : key.lastIndexOf('.');
        if (dot <= 0 || dot == key.length() - 1) {
            return null;
        }
        return new ArchitectureOptionKey(key.substring(0, dot), key.substring(dot + 1));
    }
}
