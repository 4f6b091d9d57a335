package io.cnnbench.it.faulty;

import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.graph.Tensor;
import io.cnnbench.api.spi.ArchitectureProvider;
import io.cnnbench.api.spi.ArchitectureSpec;
import io.cnnbench.api.spi.BlockArgs;
import io.cnnbench.api.spi.BlockProvider;
import io.cnnbench.api.spi.VggBody;

/** Architectures whose block fails in one way each when the network is built (in the training JVM). */
public final class FaultyArchitectures {
    private FaultyArchitectures() {
    }

    static ArchitectureSpec spec(String name, String block) {
        return ArchitectureSpec.builder(name).description("fails on purpose: " + block)
                .tail("generic-tail").block(block).head("generic-head")
                .startDims(8).body(new VggBody(1, new int[] {1}, 0)).build();
    }

    public static final class Throws implements ArchitectureProvider {
        public ArchitectureSpec spec() {
            return FaultyArchitectures.spec("faulty-throws", "throwing-block");
        }
    }

    public static final class Killed implements ArchitectureProvider {
        public ArchitectureSpec spec() {
            return FaultyArchitectures.spec("faulty-killed", "killing-block");
        }
    }

    public static final class Hangs implements ArchitectureProvider {
        public ArchitectureSpec spec() {
            return FaultyArchitectures.spec("faulty-hangs", "hanging-block");
        }
    }

    public static final class ThrowingBlock implements BlockProvider {
        public String name() {
            return "throwing-block";
        }

        public Tensor build(Graph graph, Tensor input, BlockArgs args) {
            throw new IllegalStateException("this block is broken on purpose");
        }
    }

    /** Sends SIGKILL to its own JVM, as the kernel's out-of-memory killer or a native crash would end it. */
    public static final class KillingBlock implements BlockProvider {
        public String name() {
            return "killing-block";
        }

        public Tensor build(Graph graph, Tensor input, BlockArgs args) {
            try {
                new ProcessBuilder("kill", "-9", Long.toString(ProcessHandle.current().pid())).inheritIO().start()
                        .waitFor();
                Thread.sleep(60_000);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            throw new IllegalStateException("still alive after kill -9");
        }
    }

    public static final class HangingBlock implements BlockProvider {
        public String name() {
            return "hanging-block";
        }

        public Tensor build(Graph graph, Tensor input, BlockArgs args) {
            try {
                Thread.sleep(600_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("woke up");
        }
    }
}
