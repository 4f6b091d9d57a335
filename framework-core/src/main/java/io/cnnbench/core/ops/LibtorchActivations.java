package io.cnnbench.core.ops;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.cnnbench.core.djl.TorchScriptModule;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libtorch's own hard-swish and hard-sigmoid kernels, which DJL 0.36 has no method for, reached through two
 * one-line TorchScript modules. Composed from DJL's operations, hard-swish is four element-wise passes forward and
 * as many autograd nodes backward (the clamp's backward alone was ten times hard-swish's forward at
 * {@code (64, 96, 14, 14)}); libtorch's {@code hardswish} and {@code hardswish_backward} are one pass each way.
 * Loaded once per process, on first use; where loading fails, {@link #shared()} is null and the composed form runs
 * (the same function, slower), with a warning.
 */
final class LibtorchActivations {
    private static final Logger LOG = LoggerFactory.getLogger(LibtorchActivations.class);

    /** Loaded with this class, on first use: the JVM's class initialisation makes that once and thread-safe. */
    private static final LibtorchActivations SHARED = load();

    private final TorchScriptModule hardSwish;
    private final TorchScriptModule hardSigmoid;

    private LibtorchActivations(TorchScriptModule hardSwish, TorchScriptModule hardSigmoid) {
        this.hardSwish = hardSwish;
        this.hardSigmoid = hardSigmoid;
    }

    /** The process's modules; null where libtorch would not load them. */
    static LibtorchActivations shared() {
        return SHARED;
    }

    private static LibtorchActivations load() {
        TorchScriptModule swish = null;
        try {
            swish = TorchScriptModule.load("HardSwish", "x: Tensor", "Tensor", "return torch.hardswish(x)");
            return new LibtorchActivations(swish,
                    TorchScriptModule.load("HardSigmoid", "x: Tensor", "Tensor", "return torch.hardsigmoid(x)"));
        } catch (IOException | MalformedModelException | RuntimeException e) {
            if (swish != null) {
                swish.close();
            }
            LOG.warn("libtorch's hard-swish kernel could not be loaded ({}); hard-swish and hard-sigmoid run as"
                    + " composed operations, which compute the same function more slowly", e.toString());
            return null;
        }
    }

    /** {@code x · relu6(x + 3) / 6}. */
    NDArray hardSwish(NDArray x) {
        return hardSwish.forward(new NDList(x)).singletonOrThrow();
    }

    /** {@code relu6(x + 3) / 6}. */
    NDArray hardSigmoid(NDArray x) {
        return hardSigmoid.forward(new NDList(x)).singletonOrThrow();
    }
}
