package io.cnnbench.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cnnbench.api.registry.ProviderException;
import io.cnnbench.api.registry.ProviderRegistry;
import io.cnnbench.api.spi.Names;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceConfigurationError;
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

    @Test
    void providerNamesThatCouldLeaveTheOutputDirectoryAreRefusedNamingTheJar() throws Exception {
        String[] bads = {"../../escaped", "/etc/passwd", "Upper-Case", "a..b", "-dash-first", "with space",
            "x".repeat(65)};
        for (int i = 0; i < bads.length; i++) {
            String bad = bads[i];
            Path jar = pluginJar("bad" + i, "p4", "BadTail", bad);
            try (URLClassLoader cl = loader(jar)) {
                ProviderException e = assertThrows(ProviderException.class, () -> ProviderRegistry.load(cl),
                        "'" + bad + "' must be refused");
                assertTrue(e.getMessage().contains(Names.quote(bad)), e.getMessage());
                assertTrue(e.getMessage().contains("tail provider p4.BadTail"), e.getMessage());
                assertTrue(e.getMessage().contains("bad" + i + ".jar"), e.getMessage());
                assertTrue(e.getMessage().contains(Names.RULE), e.getMessage());
            }
        }
    }

    @Test
    void anArchitectureSpecNameIsCheckedEvenWhenTheProviderNameIsValid() throws Exception {
        Path jar = compileJar("arch", "p5", "SneakyArchitecture", "ArchitectureProvider",
                "public String name() { return \"sneaky\"; }\n"
                + "public ArchitectureSpec spec() { return ArchitectureSpec.builder(\"../sneaky\").tail(\"t\")"
                + ".block(\"b\").head(\"h\").body(new VggBody(1, new int[] {1}, 0)).build(); }\n");
        try (URLClassLoader cl = loader(jar)) {
            ProviderException e = assertThrows(ProviderException.class, () -> ProviderRegistry.load(cl));
            assertTrue(e.getMessage().contains("'../sneaky'"), e.getMessage());
            assertTrue(e.getMessage().contains("architecture provider p5.SneakyArchitecture"), e.getMessage());
            assertTrue(e.getMessage().contains("ArchitectureSpec"), e.getMessage());
            assertTrue(e.getMessage().contains("arch.jar"), e.getMessage());
        }
    }

    /**
     * A run finds an architecture by its provider name but files its results under its spec's name: a provider
     * named otherwise than its spec could share a results folder with another architecture unnoticed.
     */
    @Test
    void anArchitectureProviderNamedOtherwiseThanItsSpecIsRefusedNamingBoth() throws Exception {
        String spec = "public ArchitectureSpec spec() { return ArchitectureSpec.builder(\"seed-net\").tail(\"t\")"
                + ".block(\"b\").head(\"h\").body(new VggBody(1, new int[] {1}, 0)).build(); }\n";
        Path original = compileJar("original", "p8", "SeedNet", "ArchitectureProvider", spec);
        Path sameName = compileJar("same", "p9", "SeedNetSameName", "ArchitectureProvider",
                "public String name() { return \"seed-net\"; }\n" + spec);
        try (URLClassLoader cl = loader(original)) {
            assertEquals("seed-net", ProviderRegistry.load(cl).architecture("seed-net").spec().name());
        }
        try (URLClassLoader cl = loader(sameName)) {
            assertEquals("seed-net", ProviderRegistry.load(cl).architecture("seed-net").name(),
                    "a name() override that agrees with the spec is fine");
        }
        Path renamed = compileJar("renamed", "p10", "Foo", "ArchitectureProvider",
                "public String name() { return \"foo\"; }\n" + spec);
        try (URLClassLoader cl = loader(original, renamed)) {
            ProviderException e = assertThrows(ProviderException.class, () -> ProviderRegistry.load(cl));
            assertTrue(e.getMessage().contains("architecture provider p10.Foo"), e.getMessage());
            assertTrue(e.getMessage().contains("renamed.jar"), e.getMessage());
            assertTrue(e.getMessage().contains("'foo'") && e.getMessage().contains("'seed-net'"), e.getMessage());
        }
        // Two specs with one name are two architecture providers with one name: refused naming both jars.
        try (URLClassLoader cl = loader(original, sameName)) {
            ProviderException e = assertThrows(ProviderException.class, () -> ProviderRegistry.load(cl));
            assertTrue(e.getMessage().contains("two architecture providers are named 'seed-net'"), e.getMessage());
            assertTrue(e.getMessage().contains("original.jar") && e.getMessage().contains("same.jar"), e.getMessage());
        }
    }

    @Test
    void aProviderWhoseConstructorThrowsFailsNamingClassJarAndCause() throws Exception {
        // Its own jar with its own META-INF/services file, loaded by a child class loader: a services file in
        // this module's test resources would break every other registry test.
        Path jar = compileJar("boom", "p6", "BoomTail", "TailProvider",
                "public BoomTail() { throw new IllegalStateException(\"no GPU here\"); }\n"
                + "public String name() { return \"boom-tail\"; }\n"
                + "public Tensor build(Graph g, Tensor x, int dims, Options o) { return x; }\n");
        try (URLClassLoader cl = loader(jar)) {
            ProviderException e = assertThrows(ProviderException.class, () -> ProviderRegistry.load(cl));
            assertTrue(e.getMessage().contains("tail provider p6.BoomTail"), e.getMessage());
            assertTrue(e.getMessage().contains("boom.jar"), e.getMessage());
            assertTrue(e.getMessage().contains("IllegalStateException: no GPU here"), e.getMessage());
            assertTrue(e.getCause() instanceof ServiceConfigurationError, String.valueOf(e.getCause()));
            assertTrue(e.getCause().getCause() instanceof IllegalStateException, String.valueOf(e.getCause()));
        }
    }

    @Test
    void aServicesFileNamingAMissingClassFailsNamingClassAndJar() throws Exception {
        Path jar = tmp.resolve("missing.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            put(out, "META-INF/services/io.cnnbench.api.spi.HeadProvider",
                    "p7.GoneHead\n".getBytes(StandardCharsets.UTF_8));
        }
        try (URLClassLoader cl = loader(jar)) {
            ProviderException e = assertThrows(ProviderException.class, () -> ProviderRegistry.load(cl));
            assertTrue(e.getMessage().contains("head provider p7.GoneHead"), e.getMessage());
            assertTrue(e.getMessage().contains("missing.jar"), e.getMessage());
        }
    }

    @Test
    void validNamesPassAndTheCheckIsExposedForCompositions() {
        for (String good : new String[] {"resnext-seed", "mobilenetv3-small-224", "vgg_11.bn", "0day", "x".repeat(64)}) {
            assertTrue(Names.isValid(good), good);
            assertEquals(good, Names.check(good, "test"));
            ProviderRegistry.checkName(good, "test");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Names.check("../evil", "<composition> in pom.xml"));
        assertTrue(e.getMessage().contains("'../evil' (<composition> in pom.xml)"), e.getMessage());
        ProviderException p = assertThrows(ProviderException.class,
                () -> ProviderRegistry.checkName("a/b", "<composition> in pom.xml"));
        assertTrue(p.getMessage().contains("'a/b'") && p.getMessage().contains("contains '/'"), p.getMessage());
        assertEquals("'line\\u000abreak'", Names.quote("line\nbreak"));
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
        return compileJar(jarName, pkg, cls, "TailProvider",
                "  public String name() { return \"" + providerName.replace("\\", "\\\\") + "\"; }\n"
                + "  public Tensor build(Graph g, Tensor x, int dims, Options o) { return g.relu(x); }\n");
    }

    /** Compiles one provider class with the given body and packs it with its META-INF/services entry. */
    private Path compileJar(String jarName, String pkg, String cls, String spi, String body) throws IOException {
        Path src = tmp.resolve(jarName + "-src/" + pkg + "/" + cls + ".java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, "package " + pkg + ";\n"
                + "import io.cnnbench.api.graph.*; import io.cnnbench.api.spi.*;\n"
                + "public class " + cls + " implements " + spi + " {\n" + body + "}\n");
        Path classes = tmp.resolve(jarName + "-classes");
        Files.createDirectories(classes);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
                src.toString());
        assertEquals(0, rc, "test provider must compile");
        Path jar = tmp.resolve(jarName + ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            put(out, pkg + "/" + cls + ".class", Files.readAllBytes(classes.resolve(pkg + "/" + cls + ".class")));
            put(out, "META-INF/services/io.cnnbench.api.spi." + spi,
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
