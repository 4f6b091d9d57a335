package io.cnnbench.maven;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The PyTorch natives the training JVM can use ({@code cnn.natives}), in one table: {@code cpu} is what the plugin
 * depends on (DJL 0.36, libtorch 2.7.1, CPU-only); every other flavour names the artifacts, all on Maven Central,
 * that replace the bundled DJL artifacts on the fork's class path. A CUDA flavour needs its own DJL line: DJL 0.36's
 * libtorch 2.7.1 has no CUDA natives on Maven Central ({@code pytorch-native-cu126/cu128} are not served), and
 * {@code pytorch-jni} exists only for the DJL release that built it ({@code 2.5.1-0.36.0} is not served), so
 * {@code cu124} takes DJL 0.33.0 whole: api, engine, JNI and the ONNX Runtime engine of that release.
 */
enum Natives {
    CPU("cpu", "the bundled CPU-only natives: ai.djl.pytorch:pytorch-native-cpu:2.7.1 (DJL 0.36.0)", null, 0,
            List.of()),
    CU124("cu124", "libtorch 2.5.1 built for CUDA 12.4 (DJL 0.33.0)", "12.4", 2_457_619_283L, List.of(
            Coordinates.of("ai.djl:api:0.33.0"),
            Coordinates.of("ai.djl.pytorch:pytorch-engine:0.33.0"),
            Coordinates.of("ai.djl.pytorch:pytorch-jni:2.5.1-0.33.0"),
            Coordinates.of("ai.djl.pytorch:pytorch-native-cu124:2.5.1:linux-x86_64").replacing("pytorch-native-cpu"),
            Coordinates.of("ai.djl.onnxruntime:onnxruntime-engine:0.33.0")));

    /** The native library jar of the bundled CPU natives, the one a CUDA flavour's native jar replaces. */
    static final String BUNDLED_NATIVES = "ai.djl.pytorch:pytorch-native-cpu:2.7.1:linux-x86_64";

    private final String id;
    private final String description;
    private final String cudaVersion;
    private final long nativesBytes;
    private final List<Coordinates> artifacts;

    Natives(String id, String description, String cudaVersion, long nativesBytes, List<Coordinates> artifacts) {
        this.id = id;
        this.description = description;
        this.cudaVersion = cudaVersion;
        this.nativesBytes = nativesBytes;
        this.artifacts = artifacts;
    }

    /** {@code cnn.natives=auto}, the default: {@link #choose} picks by the device and the machine. */
    static final String AUTO = "auto";

    /** The flavour named {@code value} (case-insensitive); fails listing the valid ones. */
    static Natives of(String value) {
        String v = value == null || value.isBlank() ? "cpu" : value.trim().toLowerCase(Locale.ROOT);
        for (Natives n : values()) {
            if (n.id.equals(v)) {
                return n;
            }
        }
        throw new IllegalArgumentException("cnn.natives must be " + AUTO + " or one of " + ids() + ", got '" + value
                + "'");
    }

    /**
     * The flavour for {@code cnn.natives=value} and {@code cnn.device=device}. A named flavour is taken as it is;
     * {@code auto} (or nothing) takes the CUDA natives when the run asks for a GPU ({@code gpu}) or may use one
     * ({@code auto} on a machine with an NVIDIA driver), and the bundled CPU natives otherwise, so a CPU machine
     * keeps the bundled libtorch and its speed and never resolves the 2.5 GB CUDA jar.
     */
    static Natives choose(String value, String device, boolean driver) {
        if (!isAuto(value)) {
            return of(value);
        }
        String d = deviceName(device);
        return d.equals("gpu") || (d.equals("auto") && driver) ? CU124 : CPU;
    }

    /** Whether {@code cnn.natives=value} leaves the choice to {@link #choose}: {@code auto}, or nothing. */
    static boolean isAuto(String value) {
        return value == null || value.isBlank() || value.trim().equalsIgnoreCase(AUTO);
    }

    private static String deviceName(String device) {
        return device == null || device.isBlank() ? "auto" : device.trim().toLowerCase(Locale.ROOT);
    }

    /** Why {@link #choose} picked this flavour for {@code cnn.natives=auto}, for the log. */
    String autoReason(String device, java.util.Optional<java.nio.file.Path> driver) {
        String d = deviceName(device);
        if (cuda()) {
            return "cnn.natives=auto: the CUDA natives " + id + " (" + description + "), because " + (d.equals("gpu")
                    ? "cnn.device=gpu" : "the NVIDIA driver " + driver.map(Object::toString).orElse("") + " is"
                    + " installed and cnn.device=auto; -Dcnn.natives=cpu keeps the bundled CPU natives");
        }
        return "cnn.natives=auto: the bundled CPU natives, because " + (d.equals("cpu") ? "cnn.device=cpu"
                : "no NVIDIA driver is installed here");
    }

    static String ids() {
        return java.util.Arrays.stream(values()).map(n -> n.id + " (" + n.description + ")")
                .collect(Collectors.joining(", "));
    }

    String id() {
        return id;
    }

    String description() {
        return description;
    }

    boolean bundled() {
        return artifacts.isEmpty();
    }

    /** Whether the natives can run on a GPU. */
    boolean cuda() {
        return cudaVersion != null;
    }

    /** The artifacts Maven resolves for this flavour; empty for the bundled natives. */
    List<Coordinates> artifacts() {
        return artifacts;
    }

    /** The native library jar of this flavour. */
    Coordinates nativesJar() {
        return artifacts.stream().filter(c -> c.artifactId().startsWith("pytorch-native-")).findFirst()
                .orElse(Coordinates.of(BUNDLED_NATIVES));
    }

    /** The download size of the native library jar, for messages ("2.5 GB"). */
    String nativesSize() {
        return String.format(Locale.ROOT, "%.1f GB", nativesBytes / 1e9);
    }

    /**
     * The fork's class path: {@code bundled} (groupId:artifactId → file, in class path order) with every artifact
     * this flavour replaces swapped, in place, for the resolved one. Fails when a bundled artifact the flavour
     * must replace is missing, rather than putting two DJL versions on one class path.
     *
     * @param resolved the files of {@link #artifacts()}, same order
     */
    List<String> classpath(Map<String, String> bundled, List<String> resolved) {
        if (bundled()) {
            return new ArrayList<>(bundled.values());
        }
        if (resolved.size() != artifacts.size()) {
            throw new IllegalArgumentException("expected " + artifacts.size() + " resolved files, got "
                    + resolved.size());
        }
        Map<String, String> swap = new LinkedHashMap<>();
        for (int i = 0; i < artifacts.size(); i++) {
            Coordinates c = artifacts.get(i);
            String key = c.groupId() + ":" + c.replaces();
            if (!bundled.containsKey(key)) {
                throw new IllegalStateException("cnn.natives=" + id + " replaces " + key + ", which is not on the"
                        + " plugin's class path");
            }
            swap.put(key, resolved.get(i));
        }
        List<String> cp = new ArrayList<>(bundled.size());
        bundled.forEach((key, file) -> cp.add(swap.getOrDefault(key, file)));
        return cp;
    }

    /** Maven coordinates, {@code groupId:artifactId:version[:classifier]}, and the bundled artifactId replaced. */
    record Coordinates(String groupId, String artifactId, String version, String classifier, String replaces) {
        static Coordinates of(String gav) {
            String[] p = gav.split(":");
            return new Coordinates(p[0], p[1], p[2], p.length > 3 ? p[3] : "", p[1]);
        }

        Coordinates replacing(String bundledArtifactId) {
            return new Coordinates(groupId, artifactId, version, classifier, bundledArtifactId);
        }

        @Override
        public String toString() {
            return groupId + ":" + artifactId + ":" + version + (classifier.isEmpty() ? "" : ":" + classifier);
        }
    }
}
