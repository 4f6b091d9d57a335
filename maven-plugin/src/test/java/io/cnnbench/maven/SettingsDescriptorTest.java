package io.cnnbench.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cnnbench.core.bench.Setting;
import io.cnnbench.core.bench.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The settings table is the one declaration: the goal's parameters (as Maven's generated plugin descriptor
 * records them) and the README's property table must match it, so that a setting cannot be added, renamed or
 * given a second default in one place only.
 */
class SettingsDescriptorTest {
    private static final Path DESCRIPTOR = Path.of("target", "classes", "META-INF", "maven", "plugin.xml");

    /** cnn:benchmark's {@code ${cnn.x}} expressions and default values, from plugin.xml. */
    private static Map<String, String[]> benchmarkParameters() throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(DESCRIPTOR.toFile());
        NodeList mojos = doc.getElementsByTagName("mojo");
        for (int i = 0; i < mojos.getLength(); i++) {
            Element mojo = (Element) mojos.item(i);
            if (!mojo.getElementsByTagName("goal").item(0).getTextContent().equals("benchmark")) {
                continue;
            }
            Map<String, String[]> out = new LinkedHashMap<>();
            Element config = (Element) mojo.getElementsByTagName("configuration").item(0);
            NodeList entries = config.getChildNodes();
            for (int j = 0; j < entries.getLength(); j++) {
                if (entries.item(j) instanceof Element e) {
                    out.put(e.getTagName(), new String[] {e.getTextContent().trim(), e.getAttribute("default-value")});
                }
            }
            return out;
        }
        throw new AssertionError("no benchmark goal in " + DESCRIPTOR);
    }

    @Test
    void everySettingIsAParameterOfCnnBenchmarkWithItsPropertyAndNoSecondDefault() throws Exception {
        Map<String, String[]> params = benchmarkParameters();
        for (Setting<?> s : Settings.all()) {
            String[] p = params.get(s.parameter());
            assertNotNull(p, "cnn:benchmark has no parameter " + s.parameter() + " for " + s.property());
            assertEquals("${" + s.property() + "}", p[0], s.parameter());
            if (!s.parameter().equals("outputDirectory")) { // its default is a Maven expression, the project's target
                assertEquals("", p[1], s.property() + " has a default in the mojo as well as in Settings");
            }
        }
    }

    @Test
    void theReadmeTableNamesEverySettingAndEveryGoalProperty() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        List<String> rows = new ArrayList<>();
        for (String line : readme.split("\n")) {
            if (line.startsWith("| `cnn.")) {
                rows.add(line);
            }
        }
        Matcher m = Pattern.compile("`(cnn\\.[A-Za-z]+)`").matcher(String.join("\n", rows));
        List<String> documented = new ArrayList<>();
        while (m.find()) {
            documented.add(m.group(1));
        }
        for (Setting<?> s : Settings.all()) {
            assertTrue(documented.contains(s.property()), "README's property table lacks " + s.property());
        }
        for (String[] p : benchmarkParameters().values()) {
            if (p[0].startsWith("${cnn.")) {
                String property = p[0].substring(2, p[0].length() - 1);
                assertTrue(documented.contains(property), "README's property table lacks " + property);
            }
        }
    }
}
