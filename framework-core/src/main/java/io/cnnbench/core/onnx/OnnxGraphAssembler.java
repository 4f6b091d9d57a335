package io.cnnbench.core.onnx;

import ai.onnx.proto.OnnxMl;
import java.util.HashSet;
import java.util.Set;

/**
 * Collects the nodes and initializers of one ONNX graph in the order they are written and hands out names
 * that are unique in it. ONNX values are single-assignment: a name may be produced once, by a graph input,
 * an initializer or a node output.
 */
final class OnnxGraphAssembler {
    private final OnnxMl.GraphProto.Builder graph;
    private final Set<String> valueNames = new HashSet<>();
    private final Set<String> nodeNames = new HashSet<>();

    OnnxGraphAssembler(OnnxMl.GraphProto.Builder graph) {
        this.graph = graph;
    }

    /** Claims exactly {@code name} (graph inputs, outputs, parameters): a clash is a bug in the graph's names. */
    void claimValueName(String name) {
        if (!valueNames.add(name)) {
            throw new IllegalStateException("two ONNX values would be named '" + name + "'; graph parameter and"
                    + " node names must be unique");
        }
    }

    /** {@code base}, or {@code base_1}, {@code base_2}, … if it is taken. */
    String reserveValueName(String base) {
        return reserve(valueNames, base);
    }

    String reserveNodeName(String base) {
        return reserve(nodeNames, base);
    }

    void addNode(OnnxMl.NodeProto node) {
        graph.addNode(node);
    }

    void addInitializer(OnnxMl.TensorProto tensor) {
        graph.addInitializer(tensor);
    }

    private static String reserve(Set<String> taken, String base) {
        String name = base;
        for (int i = 1; !taken.add(name); i++) {
            name = base + "_" + i;
        }
        return name;
    }
}
