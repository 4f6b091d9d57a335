package io.cnnbench.maven;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * What {@code cnn.device} can mean with the chosen {@code cnn.natives} on this machine, decided in Maven before the
 * training JVM is forked (and before any natives are resolved), so a GPU that cannot be used fails in seconds.
 *
 * @param device the device choice handed to the training JVM ({@code auto} narrowed to {@code cpu} where no GPU
 *               can be used), or null on error
 * @param reason why, for the log
 * @param error  why the run cannot go on, or null
 */
record DeviceChoice(String device, String reason, String error) {

    static DeviceChoice decide(Natives natives, String deviceChoice, boolean fork, Optional<Path> driver) {
        String d = deviceChoice == null ? "auto" : deviceChoice.trim().toLowerCase(Locale.ROOT);
        if (!natives.bundled() && !fork) {
            return error("cnn.natives=" + natives.id() + " needs the forked training JVM (cnn.fork=true): Maven's"
                    + " own JVM already has the bundled DJL 0.36 loaded");
        }
        if (natives.cuda() && !d.equals("cpu") && !d.equals("gpu") && !d.equals("auto")) {
            return new DeviceChoice(deviceChoice, "", null); // the run's own validation names the bad value
        }
        if (!natives.cuda()) {
            Natives.Coordinates cu = Natives.CU124.nativesJar();
            String getIt = "Add -Dcnn.natives=cu124: Maven then resolves " + cu + " (" + Natives.CU124.nativesSize()
                    + ", once, from your repositories into the local repository; to pre-fetch it: mvn"
                    + " dependency:get -Dartifact=" + cu.groupId() + ":" + cu.artifactId() + ":" + cu.version()
                    + ":jar:" + cu.classifier() + ")";
            switch (d) {
                case "gpu":
                    return error("cnn.device=gpu, but the natives are the bundled CPU-only " + Natives.BUNDLED_NATIVES
                            + " (cnn.natives=cpu; DJL 0.36's libtorch 2.7.1 has no CUDA build on Maven Central)."
                            + " Missing: the CUDA natives " + cu + ". " + getIt + ", or use -Dcnn.device=cpu.");
                case "auto":
                    return new DeviceChoice("cpu", "cnn.device=auto: training on the CPU, because the natives are"
                            + " the bundled CPU-only ones. For a GPU: -Dcnn.device=gpu", null);
                default:
                    return new DeviceChoice(deviceChoice, "cnn.device=" + d + " with the bundled CPU natives", null);
            }
        }
        String noDriver = "no NVIDIA driver is installed here (" + CudaNatives.DRIVER_LIBRARY + " is not in"
                + " LD_LIBRARY_PATH, " + String.join(", ", CudaNatives.DRIVER_DIRS) + " or ldconfig -p)";
        switch (d) {
            case "gpu":
                if (driver.isEmpty()) {
                    return error("cnn.device=gpu, but " + noDriver + ". A GPU runner needs the NVIDIA driver (the"
                            + " CUDA libraries come with cnn.natives=" + natives.id() + "); or use -Dcnn.device=cpu.");
                }
                return new DeviceChoice("gpu", "cnn.device=gpu with cnn.natives=" + natives.id()
                        + " and the NVIDIA driver " + driver.get(), null);
            case "auto":
                if (driver.isEmpty()) {
                    return new DeviceChoice("cpu", "cnn.device=auto: training on the CPU, because " + noDriver
                            + "; the CUDA build of cnn.natives=" + natives.id() + " runs on the CPU", null);
                }
                return new DeviceChoice("auto", "cnn.device=auto: the NVIDIA driver " + driver.get() + " is"
                        + " installed and cnn.natives=" + natives.id() + " is a CUDA build, so the GPU if the"
                        + " engine sees one (the training JVM logs its choice)", null);
            default:
                return new DeviceChoice("cpu", "cnn.device=cpu with cnn.natives=" + natives.id()
                        + " (a CUDA build, on the CPU)", null);
        }
    }

    private static DeviceChoice error(String message) {
        return new DeviceChoice(null, null, message);
    }
}
