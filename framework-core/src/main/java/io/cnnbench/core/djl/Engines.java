package io.cnnbench.core.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import java.util.Locale;

/**
 * Finds DJL's PyTorch engine from the natives shipped in Maven Central jars, never downloading at run time,
 * and picks the device.
 */
public final class Engines {
    public static final String PYTORCH = "PyTorch";

    private Engines() {
    }

    /**
     * The PyTorch engine. DJL discovers engines through the thread's context class loader; callers inside a
     * container with its own class loaders (a Maven plugin realm) must set it to the loader that sees the
     * engine jars, see {@link #withContextClassLoader}.
     */
    public static Engine pytorch() {
        // Natives come from pytorch-native-cpu on the class path; never fetch them.
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        try {
            return Engine.getEngine(PYTORCH);
        } catch (EngineException | IllegalArgumentException e) {
            throw new IllegalStateException("DJL's PyTorch engine could not start: " + e.getMessage()
                    + ". It needs ai.djl.pytorch:pytorch-engine, pytorch-jni and pytorch-native-cpu (classifier"
                    + " linux-x86_64) on the class path; run 'mvn -U' if the jars are missing from ~/.m2.", e);
        }
    }

    /** Runs {@code action} with the context class loader set to {@code loader}, restoring it after. */
    public static <T> T withContextClassLoader(ClassLoader loader, java.util.function.Supplier<T> action) {
        Thread t = Thread.currentThread();
        ClassLoader old = t.getContextClassLoader();
        t.setContextClassLoader(loader);
        try {
            return action.get();
        } finally {
            t.setContextClassLoader(old);
        }
    }

    /**
     * {@code cpu}, {@code gpu} or {@code auto} (the GPU when the engine sees one). Asking for a GPU the engine
     * cannot see is an error that says how to get CUDA natives.
     */
    /** Fails unless {@code choice} is a device choice {@link #device} understands; needs no engine. */
    public static void checkDeviceChoice(String choice) {
        String c = choice == null ? "auto" : choice.trim().toLowerCase(Locale.ROOT);
        if (!c.equals("cpu") && !c.equals("gpu") && !c.equals("auto")) {
            throw new IllegalArgumentException("cnn.device must be cpu, gpu or auto, got '" + choice + "'");
        }
    }

    public static Device device(Engine engine, String choice) {
        String c = choice == null ? "auto" : choice.trim().toLowerCase(Locale.ROOT);
        int gpus = engine.getGpuCount();
        switch (c) {
            case "cpu":
                return Device.cpu();
            case "gpu":
                if (gpus == 0) {
                    throw new IllegalStateException("cnn.device=gpu but the PyTorch engine sees no GPU (libtorch"
                            + " natives: " + natives() + "). The bundled natives are CPU-only: -Dcnn.natives=cu124"
                            + " brings a CUDA build (README section 'Training on a GPU'); or use -Dcnn.device=cpu.");
                }
                return Device.gpu();
            case "auto":
                return gpus > 0 ? Device.gpu() : Device.cpu();
            default:
                throw new IllegalArgumentException("cnn.device must be cpu, gpu or auto, got '" + choice + "'");
        }
    }

    /**
     * The device as a person would write it in a report: {@code CPU (2 threads)} or
     * {@code GPU 0: NVIDIA H200 (CUDA 12.4)}, rather than DJL's {@code cpu()}. Call after the engine is loaded.
     */
    public static String describe(Device device) {
        if (device.isGpu()) {
            return gpuDescription(device.getDeviceId(), gpuName(device.getDeviceId()),
                    ai.djl.util.cuda.CudaUtils.getCudaVersion());
        }
        return cpuDescription(cpuThreads());
    }

    /**
     * Which libtorch build the engine loaded, for the log: its flavour ({@code cpu}, or a CUDA build such as
     * {@code cu124}, as set by the plugin's cnn.natives) and folder. Call after the engine is loaded.
     */
    public static String natives() {
        String flavour = System.getProperty("PYTORCH_FLAVOR");
        String path = ai.djl.pytorch.jni.LibUtils.getLibtorchPath();
        if (flavour == null || flavour.isBlank()) {
            flavour = path.contains("-cu") ? path.replaceAll(".*-(cu\\d+)-.*", "$1") : "cpu";
        }
        return (flavour.startsWith("cu") ? "CUDA build " : "") + flavour + " libtorch "
                + ai.djl.pytorch.jni.LibUtils.getVersion() + " from " + path;
    }

    /** The PyTorch engine's intra-op thread count on the CPU. Call after the engine is loaded. */
    public static int cpuThreads() {
        return ai.djl.pytorch.jni.JniUtils.getNumThreads();
    }

    static String cpuDescription(int threads) {
        return "CPU (" + threads + (threads == 1 ? " thread)" : " threads)");
    }

    /** @param cudaVersion as CUDA reports it, 1000 × major + 10 × minor (12040 is 12.4) */
    static String gpuDescription(int id, String name, int cudaVersion) {
        String cuda = cudaVersion > 0 ? " (CUDA " + cudaVersion / 1000 + "." + (cudaVersion % 1000) / 10 + ")" : "";
        return "GPU " + id + ": " + name + cuda;
    }

    /** The GPU's marketing name from nvidia-smi, which CUDA drivers ship; a generic name where it cannot run. */
    private static String gpuName(int id) {
        try {
            Process p = new ProcessBuilder("nvidia-smi", "--query-gpu=name", "--format=csv,noheader", "-i",
                    Integer.toString(id)).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            if (p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0 && !out.isEmpty()) {
                return out.lines().findFirst().orElse(out);
            }
        } catch (java.io.IOException e) {
            // no nvidia-smi on the PATH
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "CUDA GPU";
    }
}
