package io.cnnbench.maven;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.logging.Log;

/**
 * Prepares a CUDA build of libtorch, resolved by Maven as a jar, for the training JVM, and finds the NVIDIA driver.
 *
 * <p>DJL would take the natives from the jar on the class path itself, but only on a machine where it detects a
 * GPU (it ignores a CUDA bundle otherwise), and only when the CUDA runtime {@code libcudart.so} of a CUDA toolkit is
 * installed (its GPU detection loads it through JNA). So the jar is unpacked here, once, into DJL's own cache
 * folder ({@code ~/.djl.ai/pytorch/<version>-<flavour>-<os>}, the folder DJL itself would unpack it to), and the
 * fork is pointed at it with {@code PYTORCH_LIBRARY_PATH}; the CUDA runtime bundled in the jar is offered to DJL's
 * GPU detection through {@code jna.library.path}. On a machine without the NVIDIA driver, the one library that
 * links the driver ({@code libcaffe2_nvrtc.so}, NVRTC for run-time compiled kernels, needs {@code libcuda.so.1}) is
 * left out of the folder DJL loads, so the CUDA build runs on the CPU there.
 */
final class CudaNatives {
    static final String DRIVER_LIBRARY = "libcuda.so.1";
    /** The one library DJL loads eagerly that needs the NVIDIA driver. */
    static final String NEEDS_DRIVER = "libcaffe2_nvrtc.so";
    static final List<String> DRIVER_DIRS = List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib",
            "/usr/local/nvidia/lib64", "/usr/local/nvidia/lib", "/usr/lib/wsl/lib", "/lib/x86_64-linux-gnu");

    /** What the fork needs: its system properties, and the folder and flavour for the log. */
    record Prepared(Path libraryDir, String version, String flavour, boolean withDriver, Map<String, String> props) {
    }

    private CudaNatives() {
    }

    /** The NVIDIA driver's {@code libcuda.so.1}, if installed: in LD_LIBRARY_PATH, the usual folders or ldconfig's. */
    static Optional<Path> findDriver(String ldLibraryPath, List<String> ldconfigLines) {
        List<String> dirs = new ArrayList<>();
        if (ldLibraryPath != null) {
            for (String d : ldLibraryPath.split(":")) {
                if (!d.isBlank()) {
                    dirs.add(d);
                }
            }
        }
        dirs.addAll(DRIVER_DIRS);
        for (String d : dirs) {
            Path p = Path.of(d, DRIVER_LIBRARY);
            if (Files.exists(p)) {
                return Optional.of(p);
            }
        }
        for (String line : ldconfigLines) {
            // "	libcuda.so.1 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libcuda.so.1"
            String t = line.trim();
            int arrow = t.indexOf("=> ");
            if (t.startsWith(DRIVER_LIBRARY + " ") && arrow > 0) {
                return Optional.of(Path.of(t.substring(arrow + 3).trim()));
            }
        }
        return Optional.empty();
    }

    static Optional<Path> findDriver() {
        return findDriver(System.getenv("LD_LIBRARY_PATH"), ldconfig());
    }

    private static List<String> ldconfig() {
        for (String exe : List.of("/sbin/ldconfig", "/usr/sbin/ldconfig", "ldconfig")) {
            try {
                Process p = new ProcessBuilder(exe, "-p").redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                if (p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return out.lines().toList();
                }
            } catch (IOException e) {
                // try the next
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return List.of();
    }

    /** DJL's engine cache: ENGINE_CACHE_DIR, else DJL_CACHE_DIR, else ~/.djl.ai; then {@code pytorch}. */
    static Path djlPytorchCache() {
        String dir = envOrProperty("ENGINE_CACHE_DIR");
        if (dir == null) {
            dir = envOrProperty("DJL_CACHE_DIR");
        }
        Path base = dir != null ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".djl.ai");
        return base.resolve("pytorch");
    }

    private static String envOrProperty(String name) {
        String v = System.getProperty(name);
        if (v == null || v.isBlank()) {
            v = System.getenv(name);
        }
        return v == null || v.isBlank() ? null : v;
    }

    /**
     * Unpacks {@code jar} (a {@code pytorch-native-cu*} jar) into {@code cache}, unless already there, and returns
     * the fork's settings. {@code withDriver}: whether the NVIDIA driver is installed.
     */
    static Prepared prepare(Path jar, Path cache, boolean withDriver, Log log) throws MojoExecutionException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry propsEntry = zip.getEntry("native/lib/pytorch.properties");
            if (propsEntry == null) {
                throw new MojoExecutionException(jar + " is not a DJL PyTorch natives jar (no"
                        + " native/lib/pytorch.properties)");
            }
            Properties p = new Properties();
            try (InputStream in = zip.getInputStream(propsEntry)) {
                p.load(in);
            }
            String version = p.getProperty("version");
            String flavour = p.getProperty("flavor");
            String classifier = p.getProperty("classifier");
            String[] libraries = p.getProperty("libraries", "").split(",");
            Path dir = cache.resolve(version + "-" + flavour + "-" + classifier);
            if (!Files.isRegularFile(dir.resolve("libtorch.so"))) {
                long t0 = System.nanoTime();
                log.info("cnn.natives: unpacking " + jar.getFileName() + " into " + dir + " (once; DJL would unpack"
                        + " it there itself)");
                Files.createDirectories(cache);
                Path tmp = Files.createTempDirectory(cache, "cnnbench-unpack");
                try {
                    for (String lib : libraries) {
                        ZipEntry e = zip.getEntry("pytorch/" + flavour + "/" + classifier + "/" + lib);
                        if (e == null) {
                            throw new MojoExecutionException(jar + " lacks " + lib + ", listed in its"
                                    + " pytorch.properties");
                        }
                        try (InputStream in = zip.getInputStream(e)) {
                            Files.copy(in, tmp.resolve(lib), StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                    try {
                        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
                    } catch (IOException raced) {
                        if (!Files.isRegularFile(dir.resolve("libtorch.so"))) {
                            throw raced;
                        }
                    }
                } finally {
                    deleteTree(tmp);
                }
                log.info(String.format(java.util.Locale.ROOT, "cnn.natives: unpacked in %.0f s",
                        (System.nanoTime() - t0) / 1e9));
            }
            Path libraryDir = dir;
            if (!withDriver) {
                // Links to every library but the one that needs libcuda.so.1, in a folder of their own: DJL loads
                // every library in the folder it is given.
                libraryDir = cache.resolve("cnnbench-" + version + "-" + flavour + "-" + classifier + "-nodriver");
                links(libraryDir, dir, List.of(libraries), NEEDS_DRIVER);
            }
            // DJL finds GPUs through JNA's libcudart.so; the jar's is named libcudart-<hash>.so.12.
            Path cudart = cache.resolve("cnnbench-" + version + "-" + flavour + "-" + classifier + "-cudart");
            for (String lib : libraries) {
                if (lib.startsWith("libcudart")) {
                    Files.createDirectories(cudart);
                    relink(cudart.resolve("libcudart.so"), dir.resolve(lib));
                }
            }
            Map<String, String> props = new java.util.LinkedHashMap<>();
            props.put("PYTORCH_LIBRARY_PATH", libraryDir.toString());
            props.put("PYTORCH_FLAVOR", flavour);
            if (Files.exists(cudart.resolve("libcudart.so"))) {
                props.put("jna.library.path", cudart.toString());
            }
            return new Prepared(libraryDir, version, flavour, withDriver, props);
        } catch (IOException e) {
            throw new MojoExecutionException("cannot unpack the CUDA natives " + jar + " into " + cache + ": "
                    + e.getMessage(), e);
        }
    }

    private static void links(Path view, Path dir, List<String> libraries, String except) throws IOException {
        Files.createDirectories(view);
        for (String lib : libraries) {
            if (!lib.equals(except)) {
                relink(view.resolve(lib), dir.resolve(lib));
            }
        }
        Files.deleteIfExists(view.resolve(except));
    }

    private static void relink(Path link, Path target) throws IOException {
        if (Files.isSymbolicLink(link) && Files.readSymbolicLink(link).equals(target)) {
            return;
        }
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, target);
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
