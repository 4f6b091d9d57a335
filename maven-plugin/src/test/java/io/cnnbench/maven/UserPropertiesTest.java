package io.cnnbench.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cnnbench.core.bench.Setting;
import io.cnnbench.core.bench.Settings;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.descriptor.PluginDescriptorBuilder;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;

class UserPropertiesTest {
    private static final Path DESCRIPTOR = Path.of("target", "classes", "META-INF", "maven", "plugin.xml");
    private static final Path ROOT = Path.of("..");

    /** The known properties as a run computes them, from this build's generated plugin descriptor. */
    private static Set<String> known() throws Exception {
        try (Reader r = Files.newBufferedReader(DESCRIPTOR)) {
            return UserProperties.known(new PluginDescriptorBuilder().build(r));
        }
    }

    private static String refusal(Map<String, String> userProperties) throws Exception {
        Set<String> known = known();
        return assertThrows(MojoExecutionException.class, () -> UserProperties.refuseUnknown(userProperties, known))
                .getMessage();
    }

    @Test
    void theKnownPropertiesAreEveryGoalsParametersAndEverySetting() throws Exception {
        Set<String> known = known();
        for (Setting<?> s : Settings.all()) {
            assertTrue(known.contains(s.property()), s.property());
        }
        // Other goals' parameters and cnn:benchmark's own beyond the settings table.
        for (String p : List.of("cnn.listFormat", "cnn.summary", "cnn.resultDirectories", "cnn.reportFile",
                "cnn.haltOnFailure", "cnn.updateBaseline", "cnn.natives", "cnn.fork", "cnn.timeout", "cnn.skip")) {
            assertTrue(known.contains(p), p);
        }
        assertTrue(known.stream().allMatch(p -> p.startsWith("cnn.")), known.toString());
    }

    @Test
    void aMisspelledPropertyFailsNamingItAndTheNearestKnownOnes() throws Exception {
        assertEquals("-Dcnn.epoch is not a property of cnnbench's goals, which would ignore it (did you mean"
                + " cnn.epochs?)\nCorrect or remove it; the README's property table lists every setting.",
                refusal(Map.of("cnn.epoch", "5")));
        assertTrue(refusal(Map.of("cnn.batchsize", "32")).contains("-Dcnn.batchsize is not a property of cnnbench's"
                + " goals, which would ignore it (did you mean cnn.batchSize?)"));
        assertTrue(refusal(Map.of("cnn.option", "resnext.cardinality=4")).contains("(did you mean cnn.options?)"));
        assertTrue(refusal(Map.of("cnn.learningrate", "0.01")).contains("(did you mean cnn.learningRate?)"));
        assertTrue(refusal(Map.of("cnn.seedz", "3")).contains("(did you mean cnn.seed or cnn.seeds?)"));
        // Far from every known property: the message lists them all.
        String far = refusal(Map.of("cnn.gpus", "2"));
        assertTrue(far.contains("-Dcnn.gpus is not a property of cnnbench's goals, which would ignore it; they read"
                + " cnn.allocator, cnn.allowMissingBaseline, "), far);
        assertTrue(far.contains("cnn.devices") && far.contains("cnn.zeroInitResidual"), far);
        // Every unknown one is named, not just the first.
        String two = refusal(new TreeMap<>(Map.of("cnn.epoch", "1", "cnn.optimiser", "sgd", "cnn.seed", "1")));
        assertTrue(two.contains("-Dcnn.epoch ") && two.contains("-Dcnn.optimiser ")
                && two.contains("(did you mean cnn.optimizer?)") && two.contains("remove them"), two);
        assertFalse(two.contains("-Dcnn.seed "), two);
    }

    @Test
    void knownPropertiesOfAnyGoalAndOtherPropertiesPass() throws Exception {
        Set<String> known = known();
        // A property of another goal passes: one command line may serve several goals (cnn:benchmark cnn:list).
        UserProperties.refuseUnknown(Map.of("cnn.epochs", "1", "cnn.batchSize", "32", "cnn.listFormat", "csv",
                "cnn.resultDirectories", "a,b", "cnn.options", "resnext.cardinality=4"), known);
        // Not this plugin's: other plugins' and Maven's own, and names that only start like it.
        UserProperties.refuseUnknown(Map.of("skipTests", "true", "maven.repo.local", "/tmp/m2", "cnnx", "1"),
                known);
        UserProperties.refuseUnknown(Map.of(), known);
    }

    @Test
    void anUnknownPomPropertyWarnsWithoutFailing() throws Exception {
        Set<String> known = known();
        List<String> logged = new ArrayList<>();
        SystemStreamLog log = new SystemStreamLog() {
            @Override
            public void warn(CharSequence content) {
                logged.add(content.toString());
            }
        };
        List<String> warnings = UserProperties.warnUnknownInPom(new TreeMap<>(Map.of("cnn.epoch", "3",
                "cnn.epochs", "3", "project.build.sourceEncoding", "UTF-8")), known, log);
        assertEquals(List.of("<cnn.epoch> in the POM's <properties> is not a property of cnnbench's goals, which would"
                + " ignore it (did you mean cnn.epochs?)"), warnings);
        assertEquals(List.of(warnings.get(0) + "; rename it if it is meant for cnnbench"), logged);
        assertEquals(List.of(), UserProperties.warnUnknownInPom(Map.of("cnn.seeds", "2"), known, log));
    }

    /**
     * Every {@code -Dcnn.*} this project's commands pass (CI, the README and docs, the invoker ITs' goals and
     * property files) is one a goal reads, so none of them is refused now that unknown ones fail.
     */
    @Test
    void theProjectsOwnCommandsPassOnlyKnownProperties() throws Exception {
        // Read by the project's own test builds (mvn test/verify of cifar-data, reports, framework-core), where no
        // goal of this plugin runs.
        Set<String> testBuilds = Set.of("cnn.realArchive", "cnn.chromium", "cnn.onnx.writeFixture");
        // The benchmark-unknown-property IT's misspellings, and docs/reliability.md's row on it.
        Set<String> misspelledOnPurpose = Set.of("cnn.epoch", "cnn.listFormt");
        Set<String> known = known();
        Pattern dProperty = Pattern.compile("-D(cnn(?:\\.[A-Za-z]+)+)");
        Pattern fileProperty = Pattern.compile("(?m)^(cnn(?:\\.[A-Za-z]+)+)=");
        int seen = 0;
        for (Path f : commandFiles()) {
            String text = Files.readString(f);
            Matcher m = (f.toString().endsWith(".properties") && !f.endsWith("invoker.properties")
                    ? fileProperty : dProperty).matcher(text);
            while (m.find()) {
                seen++;
                assertTrue(known.contains(m.group(1)) || testBuilds.contains(m.group(1))
                                || misspelledOnPurpose.contains(m.group(1)),
                        f + " passes " + m.group(1) + ", which no goal reads");
            }
        }
        assertTrue(seen > 100, "found only " + seen + " properties: the files moved?");
    }

    private static List<Path> commandFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String readme : List.of("README.md", "cifar-data/README.md", "architecture-tck/README.md",
                "architectures-mobilenetv3/README.md")) {
            files.add(ROOT.resolve(readme));
        }
        for (String dir : List.of(".ci", "docs", "examples", "maven-plugin/src/it")) {
            try (Stream<Path> walk = Files.walk(ROOT.resolve(dir))) {
                walk.filter(Files::isRegularFile)
                        // Not commands: result fixtures and build output.
                        .filter(f -> !f.toString().matches(".*/(fixtures|target)/.*"))
                        .forEach(files::add);
            }
        }
        return files;
    }
}
