package io.cnnbench.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cnnbench.api.registry.ProviderException;
import io.cnnbench.api.registry.ProviderRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real plugin jars, compiled in the test, loaded the way the Maven plugin loads its dependencies. */
class RegistryTest {
    @TempDir
    Path tmp;

    @Test
    void twoJarsWithOneTailNameFailNamingBothJars() throws Exception {
        Path first = pluginJar("first", "p1", "FirstTail", "shared-tail");
        Path second = pluginJar("second", "p2", "SecondTail", "shared-tail");
        try (URLClassLoader cl = loader(first, second)) {
            ProviderException e = assertThrows(ProviderException.class, () -> ProviderRegistry.load(cl));
            assertTrue(e.getMessage().contains("'shared-tail'"), e.getMessage());
            assertTrue(e.getMessage().contains("first.jar") && e.getMessage().contains("second.jar"), e.getMessage());
            assertTrue(e.getMessage().contains("p1.FirstTail") && e.getMessage().contains("p2.SecondTail"),
                    e.getMessage());
        }
    }

    @Test
    void unknownNameListsKnownOnes() throws Exception {
        Path first = pluginJar("first", "p1", "FirstTail", "alpha-tail");
        Path second = pluginJar("second", "p2", "SecondTail", "beta-tail");
        try (URLClassLoader cl = loader(first, second)) {
            ProviderRegistry r = ProviderRegistry.load(cl);
            assertEquals("alpha-tail", r.tail("alpha-tail").name());
            ProviderException e = assertThrows(ProviderException.class, () -> r.tail("gamma-tail"));
            assertTrue(e.getMessage().contains("unknown tail 'gamma-tail'"), e.getMessage());
            assertTrue(e.getMessage().contains("alpha-tail, beta-tail"), e.getMessage());
            ProviderException none = assertThrows(ProviderException.class, () -> r.architecture("x"));
            assertTrue(none.getMessage().contains("plugin's dependencies"), none.getMessage());
        }
    }

    private URLClassLoader loader(Path... jars) throws IOException {
        URL[] urls = new URL[jars.length];
        for (int i = 0; i < jars.length; i++) {
            urls[i] = jars[i].toUri().toURL();
        }
        return new URLClassLoader(urls, getClass().getClassLoader());
    }

    /** Compiles a one-class tail provider and packs it with its META-INF/services entry. */
    private Path pluginJar(String jarName, String pkg, String cls, String providerName) throws IOException {
        Path src = tmp.resolve(jarName + "-src/" + pkg + "/" + cls + ".java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, "package " + pkg + ";\n"
                + "import io.cnnbench.api.graph.*; import io.cnnbench.api.spi.*;\n"
                + "public class " + cls + " implements TailProvider {\n"
                + "  public String name() { return \"" + providerName + "\"; }\n"
                + "  public Tensor build(Graph g, Tensor x, int dims, Options o) { return g.relu(x); }\n}\n");
        Path classes = tmp.resolve(jarName + "-classes");
        Files.createDirectories(classes);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
                src.toString());
        assertEquals(0, rc, "test provider must compile");
        Path jar = tmp.resolve(jarName + ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            put(out, pkg + "/" + cls + ".class", Files.readAllBytes(classes.resolve(pkg + "/" + cls + ".class")));
            put(out, "META-INF/services/io.cnnbench.api.spi.TailProvider",
                    (pkg + "." + cls + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return jar;
    }

    private static void put(JarOutputStream out, String name, byte[] bytes) throws IOException {
        out.putNextEntry(new JarEntry(name));
        ((OutputStream) out).write(bytes);
        out.closeEntry();
    }

}
