package io.cnnbench.core.djl;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.cnnbench.api.graph.Graph;
import java.util.ArrayList;
import java.util.List;

/** A graph made runnable on DJL's PyTorch engine: its block, initialised parameters and their manager. */
public final class Network implements AutoCloseable {
    private final Graph graph;
    private final GraphBlock block;
    private final NDManager manager;
    private final ParameterStore store;
    private final ImageLayout layout;

    private Network(Graph graph, GraphBlock block, NDManager manager, ImageLayout layout) {
        this.graph = graph;
        this.block = block;
        this.manager = manager;
        this.store = new ParameterStore(manager, false);
        this.layout = layout;
    }

    /** Builds and initialises the graph's parameters from {@code seed} on {@code device}. */
    public static Network create(Graph graph, long seed, Device device) {
        return create(graph, seed, device, true);
    }

    /**
     * As {@link #create(Graph, long, Device)}; {@code fuse=false} evaluates every node on its own (see
     * {@link GraphBlock#GraphBlock(Graph, long, boolean)}), for tests that compare graphs node by node.
     */
    public static Network create(Graph graph, long seed, Device device, boolean fuse) {
        return create(graph, seed, device, fuse, ImageLayout.defaultFor(device));
    }

    /**
     * As {@link #create(Graph, long, Device, boolean)}, with the images laid out as {@code layout} in memory. In
     * channels-last on a CPU that shows the libtorch defect {@link LayoutCheck#knownDefectPresent} probes for,
     * dense 1×1 convolutions run as matrix products, around the faulty kernel.
     */
    public static Network create(Graph graph, long seed, Device device, boolean fuse, ImageLayout layout) {
        return create(graph, seed, device, fuse, layout, pointwiseAsMatrixProduct(device, layout));
    }

    /**
     * Whether networks created for {@code device} and {@code layout} compute dense 1×1 convolutions as matrix
     * products: in channels-last on a CPU that shows the defect {@link LayoutCheck#knownDefectPresent} probes for.
     */
    public static boolean pointwiseAsMatrixProduct(Device device, ImageLayout layout) {
        Engines.pytorch();
        return layout == ImageLayout.CHANNELS_LAST && !device.isGpu() && LayoutCheck.knownDefectPresent();
    }

    /** As above, choosing whether dense 1×1 convolutions run as matrix products (for the layout check's tests). */
    static Network create(Graph graph, long seed, Device device, boolean fuse, ImageLayout layout,
                          boolean pointwiseAsMatrixProduct) {
        Engines.pytorch();
        NDManager manager = NDManager.newBaseManager(device, Engines.PYTORCH);
        GraphBlock block = new GraphBlock(graph, seed, fuse, pointwiseAsMatrixProduct);
        block.initialize(manager, DataType.FLOAT32, new Shape(graph.inputShape().withBatch(1)));
        return new Network(graph, block, manager, layout);
    }

    public Graph graph() {
        return graph;
    }

    public GraphBlock block() {
        return block;
    }

    /** Owns the parameters; per-batch work should use a sub-manager of it. */
    public NDManager manager() {
        return manager;
    }

    public Device device() {
        return manager.getDevice();
    }

    /** The memory layout batches are put in before the forward pass. */
    public ImageLayout layout() {
        return layout;
    }

    /** Logits for a batch {@code (N, C, H, W)}. */
    public NDArray forward(NDArray images, boolean training) {
        return block.forward(store, new NDList(layout.apply(images)), training).singletonOrThrow();
    }

    /** Parameters in graph order, with their graph names. */
    public List<Parameter> parameters() {
        List<Parameter> list = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            list.add(p.getValue());
        }
        return list;
    }

    /** Copies a parameter's values in from Java (for tests and checkpoint restore). */
    public void setParameter(String name, float[] values) {
        NDArray a = block.parameter(name).getArray();
        a.set(values);
    }

    public float[] parameterValues(String name) {
        return block.parameter(name).getArray().toFloatArray();
    }

    @Override
    public void close() {
        manager.close();
    }
}
