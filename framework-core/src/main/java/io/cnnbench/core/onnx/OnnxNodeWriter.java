package io.cnnbench.core.onnx;

import ai.onnx.proto.OnnxMl;
import io.cnnbench.api.graph.Dims;
import io.cnnbench.api.graph.Node;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What one graph node's ONNX form is written with: the value names of its inputs, the initializer names of its
 * parameters (the graph's parameter names, so the ONNX file and the DJL model name every weight alike), the
 * name its result must have, and helpers that add ONNX nodes and constant initializers under names that are
 * unique in the model and derived from the graph node's name.
 */
public final class OnnxNodeWriter {
    private final OnnxGraphAssembler assembler;
    private final Node node;
    private final List<String> inputs;
    private final List<Dims> inputShapes;
    private final String output;

    OnnxNodeWriter(OnnxGraphAssembler assembler, Node node, List<String> inputs, List<Dims> inputShapes,
                   String output) {
        this.assembler = assembler;
        this.node = node;
        this.inputs = List.copyOf(inputs);
        this.inputShapes = List.copyOf(inputShapes);
        this.output = output;
    }

    /** The graph node being written (its structure-derived name prefixes everything added for it). */
    public String nodeName() {
        return node.name();
    }

    public int inputCount() {
        return inputs.size();
    }

    /** The ONNX value holding the node's {@code i}-th input. */
    public String input(int i) {
        return inputs.get(i);
    }

    /** The per-example shape of the node's {@code i}-th input (no batch axis). */
    public Dims inputShape(int i) {
        return inputShapes.get(i);
    }

    /** The initializer holding the node's {@code i}-th parameter, in the order the graph declared them. */
    public String param(int i) {
        return node.params().get(i).name();
    }

    /** The value the node's result must be written to. */
    public String output() {
        return output;
    }

    /** The per-example shape of the node's result (no batch axis). */
    public Dims outputShape() {
        return node.outputShape();
    }

    /**
     * A fresh value name for an intermediate result, {@code <node name>/<purpose>} (with a numeric suffix if
     * that is taken).
     */
    public String intermediate(String purpose) {
        return assembler.reserveValueName(node.name() + "/" + purpose);
    }

    /** Adds a 1-D int64 constant initializer (shapes, axes) and returns its name. */
    public String constantInt64s(String purpose, long... values) {
        String name = assembler.reserveValueName(node.name() + "/" + purpose);
        assembler.addInitializer(OnnxMl.TensorProto.newBuilder()
                .setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber())
                .addDims(values.length)
                .addAllInt64Data(Arrays.stream(values).boxed().toList())
                .build());
        return name;
    }

    /** Adds a scalar float constant initializer (Clip bounds) and returns its name. */
    public String constantFloat(String purpose, float value) {
        String name = assembler.reserveValueName(node.name() + "/" + purpose);
        assembler.addInitializer(OnnxMl.TensorProto.newBuilder()
                .setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
                .addFloatData(value)
                .build());
        return name;
    }

    /**
     * Starts an ONNX node of the default domain with the given inputs (optional trailing inputs are simply
     * left out); finish it with {@link OnnxOp#writeTo}.
     */
    public OnnxOp op(String opType, String... opInputs) {
        return new OnnxOp(opType, List.of(opInputs));
    }

    /** One ONNX node being described: its attributes, then the value it writes. */
    public final class OnnxOp {
        private final OnnxMl.NodeProto.Builder proto;

        private OnnxOp(String opType, List<String> opInputs) {
            this.proto = OnnxMl.NodeProto.newBuilder().setOpType(opType).addAllInput(new ArrayList<>(opInputs));
        }

        public OnnxOp intAttr(String name, long value) {
            proto.addAttribute(OnnxMl.AttributeProto.newBuilder().setName(name)
                    .setType(OnnxMl.AttributeProto.AttributeType.INT).setI(value));
            return this;
        }

        public OnnxOp intsAttr(String name, long... values) {
            OnnxMl.AttributeProto.Builder a = OnnxMl.AttributeProto.newBuilder().setName(name)
                    .setType(OnnxMl.AttributeProto.AttributeType.INTS);
            for (long v : values) {
                a.addInts(v);
            }
            proto.addAttribute(a);
            return this;
        }

        public OnnxOp floatAttr(String name, float value) {
            proto.addAttribute(OnnxMl.AttributeProto.newBuilder().setName(name)
                    .setType(OnnxMl.AttributeProto.AttributeType.FLOAT).setF(value));
            return this;
        }

        /**
         * Adds the node, writing {@code outputValue} (the node's {@link #output()} or an {@link #intermediate}),
         * and returns that name so calls can chain into the next op.
         */
        public String writeTo(String outputValue) {
            proto.setName(assembler.reserveNodeName(node.name() + "/" + proto.getOpType()));
            proto.addOutput(outputValue);
            assembler.addNode(proto.build());
            return outputValue;
        }
    }
}
