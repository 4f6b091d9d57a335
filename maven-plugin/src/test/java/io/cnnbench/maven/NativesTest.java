package io.cnnbench.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativesTest {

    private static Map<String, String> bundled() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("io.cnnbench:cnn-framework-core", "/r/core.jar");
        m.put("ai.djl:api", "/r/api-0.36.0.jar");
        m.put("net.java.dev.jna:jna", "/r/jna.jar");
        m.put("ai.djl.pytorch:pytorch-engine", "/r/pytorch-engine-0.36.0.jar");
        m.put("ai.djl.pytorch:pytorch-jni", "/r/pytorch-jni-2.7.1-0.36.0.jar");
        m.put("ai.djl.pytorch:pytorch-native-cpu", "/r/pytorch-native-cpu-2.7.1-linux-x86_64.jar");
        m.put("ai.djl.onnxruntime:onnxruntime-engine", "/r/onnxruntime-engine-0.36.0.jar");
        m.put("org.slf4j:slf4j-simple", "/r/slf4j-simple.jar");
        return m;
    }

    @Test
    void theTableNamesTheDjlLineOfEachFlavour() {
        assertTrue(Natives.CPU.bundled());
        assertFalse(Natives.CPU.cuda());
        assertEquals(List.of("ai.djl:api:0.33.0", "ai.djl.pytorch:pytorch-engine:0.33.0",
                "ai.djl.pytorch:pytorch-jni:2.5.1-0.33.0", "ai.djl.pytorch:pytorch-native-cu124:2.5.1:linux-x86_64",
                "ai.djl.onnxruntime:onnxruntime-engine:0.33.0"),
                Natives.CU124.artifacts().stream().map(Natives.Coordinates::toString).toList());
        assertEquals("pytorch-native-cpu", Natives.CU124.nativesJar().replaces());
        assertEquals("2.5 GB", Natives.CU124.nativesSize());
        assertTrue(Natives.CU124.cuda());
    }

    @Test
    void flavourNamesAreCheckedAndListed() {
        assertEquals(Natives.CPU, Natives.of(null));
        assertEquals(Natives.CPU, Natives.of(" CPU "));
        assertEquals(Natives.CU124, Natives.of("cu124"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Natives.of("cu128"));
        assertTrue(e.getMessage().startsWith("cnn.natives must be auto or one of cpu ("), e.getMessage());
        assertTrue(e.getMessage().contains("cu124 ("), e.getMessage());
        assertTrue(e.getMessage().endsWith("got 'cu128'"), e.getMessage());
    }

    @Test
    void autoTakesTheCudaNativesOnlyWhereAGpuIsAskedForOrMayBeUsed() {
        assertEquals(Natives.CU124, Natives.choose("auto", "gpu", false), "gpu: the CUDA natives, driver or not");
        assertEquals(Natives.CU124, Natives.choose(null, "auto", true), "auto with a driver");
        assertEquals(Natives.CPU, Natives.choose(null, "auto", false), "auto without a driver: the CPU path");
        assertEquals(Natives.CPU, Natives.choose(" AUTO ", "cpu", true), "cpu: the bundled natives, driver or not");
        assertEquals(Natives.CPU, Natives.choose("cpu", "gpu", true), "a named flavour is taken as it is");
        assertEquals(Natives.CU124, Natives.choose("cu124", "cpu", false));
        assertThrows(IllegalArgumentException.class, () -> Natives.choose("cu128", "gpu", true));
        assertEquals("cnn.natives=auto: the CUDA natives cu124 (libtorch 2.5.1 built for CUDA 12.4 (DJL 0.33.0)),"
                + " because cnn.device=gpu", Natives.CU124.autoReason("gpu", java.util.Optional.empty()));
        assertEquals("cnn.natives=auto: the bundled CPU natives, because no NVIDIA driver is installed here",
                Natives.CPU.autoReason("auto", java.util.Optional.empty()));
        assertTrue(Natives.CU124.autoReason("auto", java.util.Optional.of(java.nio.file.Path.of("/usr/lib/libcuda.so.1")))
                .endsWith("because the NVIDIA driver /usr/lib/libcuda.so.1 is installed and cnn.device=auto;"
                        + " -Dcnn.natives=cpu keeps the bundled CPU natives"));
    }

    @Test
    void cpuKeepsTheClassPathAsItIs() {
        assertEquals(List.copyOf(bundled().values()), Natives.CPU.classpath(bundled(), List.of()));
    }

    @Test
    void cu124SwapsTheDjlArtifactsInPlace() {
        List<String> resolved = List.of("/m/api-0.33.0.jar", "/m/pytorch-engine-0.33.0.jar",
                "/m/pytorch-jni-2.5.1-0.33.0.jar", "/m/pytorch-native-cu124-2.5.1-linux-x86_64.jar",
                "/m/onnxruntime-engine-0.33.0.jar");
        assertEquals(List.of("/r/core.jar", "/m/api-0.33.0.jar", "/r/jna.jar", "/m/pytorch-engine-0.33.0.jar",
                "/m/pytorch-jni-2.5.1-0.33.0.jar", "/m/pytorch-native-cu124-2.5.1-linux-x86_64.jar",
                "/m/onnxruntime-engine-0.33.0.jar", "/r/slf4j-simple.jar"),
                Natives.CU124.classpath(bundled(), resolved));
    }

    @Test
    void aSwapWithNothingToReplaceFails() {
        Map<String, String> m = bundled();
        m.remove("ai.djl.pytorch:pytorch-native-cpu");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Natives.CU124.classpath(m, List.of("a", "b", "c", "d", "e")));
        assertTrue(e.getMessage().contains("ai.djl.pytorch:pytorch-native-cpu"), e.getMessage());
    }

    @Test
    void gpuWithCpuNativesFailsNamingTheMissingArtifact() {
        DeviceChoice c = DeviceChoice.decide(Natives.CPU, "gpu", true, Optional.empty());
        assertNull(c.device());
        assertTrue(c.error().contains("ai.djl.pytorch:pytorch-native-cu124:2.5.1:linux-x86_64"), c.error());
        assertTrue(c.error().contains("-Dcnn.natives=cu124"), c.error());
        assertTrue(c.error().contains("2.5 GB"), c.error());
        assertTrue(c.error().contains("dependency:get -Dartifact=ai.djl.pytorch:pytorch-native-cu124:2.5.1:jar"
                + ":linux-x86_64"), c.error());
    }

    @Test
    void gpuWithCudaNativesNeedsTheDriver() {
        DeviceChoice none = DeviceChoice.decide(Natives.CU124, "gpu", true, Optional.empty());
        assertTrue(none.error().contains("no NVIDIA driver"), none.error());
        DeviceChoice with = DeviceChoice.decide(Natives.CU124, "gpu", true,
                Optional.of(Path.of("/usr/lib/x86_64-linux-gnu/libcuda.so.1")));
        assertNull(with.error());
        assertEquals("gpu", with.device());
    }

    @Test
    void autoSaysWhatItChoseAndWhy() {
        DeviceChoice cpu = DeviceChoice.decide(Natives.CPU, "auto", true, Optional.empty());
        assertEquals("cpu", cpu.device());
        assertTrue(cpu.reason().contains("CPU-only"), cpu.reason());
        DeviceChoice noDriver = DeviceChoice.decide(Natives.CU124, "auto", true, Optional.empty());
        assertEquals("cpu", noDriver.device());
        assertTrue(noDriver.reason().contains("no NVIDIA driver"), noDriver.reason());
        DeviceChoice gpu = DeviceChoice.decide(Natives.CU124, "auto", true, Optional.of(Path.of("/x/libcuda.so.1")));
        assertEquals("auto", gpu.device());
        assertEquals("cpu", DeviceChoice.decide(Natives.CU124, "cpu", true, Optional.empty()).device());
    }

    @Test
    void cudaNativesNeedTheFork() {
        DeviceChoice c = DeviceChoice.decide(Natives.CU124, "cpu", false, Optional.empty());
        assertTrue(c.error().contains("cnn.fork=true"), c.error());
    }

    @Test
    void theDriverIsFoundInLdLibraryPathOrLdconfig(@TempDir Path dir) throws Exception {
        assertEquals(Optional.of(Path.of("/opt/nv/libcuda.so.1")), CudaNatives.findDriver("",
                List.of("\tlibcudart.so (libc6,x86-64) => /usr/local/cuda/lib/libcudart.so",
                        "\tlibcuda.so.1 (libc6,x86-64) => /opt/nv/libcuda.so.1")));
        Files.createFile(dir.resolve("libcuda.so.1"));
        assertEquals(Optional.of(dir.resolve("libcuda.so.1")), CudaNatives.findDriver(dir.toString(), List.of()));
    }

    @Test
    void cudaNativesAreUnpackedOnceAndTheDriverLibraryLeftOutWithoutADriver(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("pytorch-native-cu999.jar");
        List<String> libs = List.of("libc10.so", "libcudart-abc.so.12", "libcaffe2_nvrtc.so", "libtorch.so");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(jar))) {
            Properties p = new Properties();
            p.setProperty("version", "9.9.9-20250101");
            p.setProperty("flavor", "cu999");
            p.setProperty("classifier", "linux-x86_64");
            p.setProperty("libraries", String.join(",", libs));
            z.putNextEntry(new ZipEntry("native/lib/pytorch.properties"));
            p.store(z, null);
            for (String l : libs) {
                z.putNextEntry(new ZipEntry("pytorch/cu999/linux-x86_64/" + l));
                z.write(l.getBytes());
            }
        }
        Path cache = dir.resolve("cache");
        CudaNatives.Prepared p = CudaNatives.prepare(jar, cache, false, new SystemStreamLog());
        Path unpacked = cache.resolve("9.9.9-20250101-cu999-linux-x86_64");
        assertEquals("libtorch.so", Files.readString(unpacked.resolve("libtorch.so")));
        assertTrue(Files.exists(unpacked.resolve("libcaffe2_nvrtc.so")));
        assertFalse(Files.exists(p.libraryDir().resolve("libcaffe2_nvrtc.so")));
        assertEquals("libc10.so", Files.readString(p.libraryDir().resolve("libc10.so")));
        assertEquals("cu999", p.props().get("PYTORCH_FLAVOR"));
        assertEquals(p.libraryDir().toString(), p.props().get("PYTORCH_LIBRARY_PATH"));
        Path cudart = Path.of(p.props().get("jna.library.path")).resolve("libcudart.so");
        assertEquals("libcudart-abc.so.12", Files.readString(cudart));

        // Once: a second run finds the folder and unpacks nothing; with a driver, DJL gets the whole folder.
        Files.writeString(unpacked.resolve("libtorch.so"), "kept");
        CudaNatives.Prepared again = CudaNatives.prepare(jar, cache, true, new SystemStreamLog());
        assertEquals("kept", Files.readString(unpacked.resolve("libtorch.so")));
        assertEquals(unpacked, again.libraryDir());
    }
}
