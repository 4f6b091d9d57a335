package io.cnnbench.maven;

import io.cnnbench.api.spi.OptionCheck;
import io.cnnbench.core.bench.Setting;
import io.cnnbench.core.bench.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.descriptor.MojoDescriptor;
import org.apache.maven.plugin.descriptor.Parameter;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugin.logging.Log;

/**
 * The command line's {@code -Dcnn.*} properties against those the plugin's goals read. Maven hands a goal only the
 * properties its parameters name and ignores every other one, so {@code -Dcnn.epoch=5} would run the full default
 * recipe without a word; a goal refuses it instead, naming the nearest known properties. The same in the POM's
 * {@code <properties>} is a warning ({@link #warnUnknownInPom} says why).
 *
 * <p>Not known here, and not needed: {@code cnn.realArchive}, {@code cnn.chromium}, {@code cnn.onnx.writeFixture}
 * and {@code cnn.test.jvmArgs} are read by this project's own test builds, which run no goal of this plugin;
 * {@code cnn.fork.watchParent} and the fork's configuration keys are set by the plugin for its training JVM.
 */
final class UserProperties {
    static final String PREFIX = "cnn.";

    /** Nearest known properties a refusal names at most. */
    private static final int SUGGESTIONS = 3;

    private UserProperties() {
    }

    /**
     * Every {@code cnn.*} property a goal of {@code plugin} reads: its mojos' parameter expressions
     * ({@code ${cnn.epochs}}), and the settings table's properties.
     */
    static Set<String> known(PluginDescriptor plugin) {
        Set<String> known = new TreeSet<>();
        for (MojoDescriptor mojo : plugin.getMojos()) {
            for (Parameter p : mojo.getParameters() == null ? List.<Parameter>of() : mojo.getParameters()) {
                String e = p.getExpression();
                if (e != null && e.startsWith("${" + PREFIX) && e.endsWith("}")) {
                    known.add(e.substring(2, e.length() - 1));
                }
            }
        }
        for (Setting<?> s : Settings.all()) {
            known.add(s.property());
        }
        return known;
    }

    /**
     * Throws, naming each {@code cnn.*} key of {@code userProperties} that is not in {@code known} and the known
     * properties nearest to it.
     */
    static void refuseUnknown(Map<?, ?> userProperties, Set<String> known) throws MojoExecutionException {
        List<String> problems = unknown(userProperties, known, "-D%s");
        if (!problems.isEmpty()) {
            throw new MojoExecutionException(String.join("\n", problems) + "\nCorrect or remove "
                    + (problems.size() == 1 ? "it" : "them") + "; the README's property table lists every setting.");
        }
    }

    /**
     * The POM's {@code <properties>}: an unknown {@code cnn.*} key there is a warning, not a failure. Maven reads a
     * goal's properties from the POM as well, so {@code <cnn.epoch>} is as silently ignored as {@code -Dcnn.epoch},
     * but a POM, or a parent it inherits from, may keep properties of its own under that prefix (this project's
     * build has {@code cnn.test.jvmArgs}), which a refusal would break.
     *
     * @return the warnings, one per unknown property, each already logged
     */
    static List<String> warnUnknownInPom(Map<?, ?> projectProperties, Set<String> known, Log log) {
        List<String> warnings = unknown(projectProperties, known, "<%s> in the POM's <properties>");
        for (String w : warnings) {
            log.warn(w + "; rename it if it is meant for cnnbench");
        }
        return warnings;
    }

    private static List<String> unknown(Map<?, ?> properties, Set<String> known, String nameFormat) {
        List<String> problems = new ArrayList<>();
        Set<String> given = new TreeSet<>();
        properties.keySet().forEach(k -> given.add(String.valueOf(k)));
        for (String property : given) {
            if (!property.startsWith(PREFIX) || known.contains(property)) {
                continue;
            }
            List<String> near = nearest(property, known);
            problems.add(String.format(nameFormat, property) + " is not a property of cnnbench's goals, which would"
                    + " ignore it" + (near.isEmpty() ? "; they read " + String.join(", ", known)
                    : " (did you mean " + String.join(" or ", near) + "?)"));
        }
        return problems;
    }

    /** The known properties nearest to {@code property}: equal but for case, or within a few edits; closest first. */
    static List<String> nearest(String property, Set<String> known) {
        List<String> near = new ArrayList<>();
        Set<String> rest = new TreeSet<>(known);
        for (String c = OptionCheck.closest(property, rest); c != null && near.size() < SUGGESTIONS;
             c = OptionCheck.closest(property, rest)) {
            near.add(c);
            rest.remove(c);
        }
        return near;
    }
}
