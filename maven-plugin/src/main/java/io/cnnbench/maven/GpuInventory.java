package io.cnnbench.maven;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The GPUs this machine shows, named as a child process's {@code CUDA_VISIBLE_DEVICES} takes them, read without
 * loading CUDA (Maven's JVM has the CPU natives): the user's own {@code CUDA_VISIBLE_DEVICES} when set (indexes or
 * UUIDs, as given), otherwise one index per GPU the NVIDIA driver lists under {@code /proc/driver/nvidia/gpus}.
 */
final class GpuInventory {
    static final Path DRIVER_GPUS = Path.of("/proc/driver/nvidia/gpus");

    private GpuInventory() {
    }

    static List<String> visible() {
        return visible(System.getenv(), DRIVER_GPUS);
    }

    static List<String> visible(Map<String, String> env, Path driverGpus) {
        String restricted = env.get("CUDA_VISIBLE_DEVICES");
        if (restricted != null) {
            List<String> ids = new ArrayList<>();
            for (String id : restricted.split(",")) {
                // CUDA stops at the first invalid entry (-1 is the usual way to hide every GPU).
                if (id.isBlank() || id.trim().startsWith("-")) {
                    break;
                }
                ids.add(id.trim());
            }
            return ids;
        }
        if (!Files.isDirectory(driverGpus)) {
            return List.of();
        }
        try (Stream<Path> gpus = Files.list(driverGpus)) {
            long n = gpus.filter(Files::isDirectory).count();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ids.add(Integer.toString(i));
            }
            return ids;
        } catch (IOException e) {
            return List.of();
        }
    }
}
