package io.cnnbench.core.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import io.cnnbench.api.graph.Dims;
import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.graph.Node;
import io.cnnbench.api.graph.Op;
import io.cnnbench.api.graph.ParamSpec;
import io.cnnbench.api.io.AtomicFiles;
import io.cnnbench.core.djl.Network;
import io.cnnbench.core.ops.Kernels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Writes a framework graph and its trained weights as an ONNX model: one pass over the graph in build order
 * (a topological order), each node written by its kernel's ONNX form. Batch-norm uses the running statistics,
 * dropout is the identity. In the {@link OnnxForm#TRAINING training form} every node is written and every
 * parameter is an initializer under its graph name; the {@link OnnxForm#INFERENCE inference form} (the default)
 * first applies {@link InferenceFolding}'s rewrites (batch-norm folded into the layer before it, ResNeXt path
 * expansions as one dense convolution). The batch axis is the symbolic dimension {@value #BATCH_DIM}, so any
 * batch size runs.
 */
public final class OnnxExporter {
    /** ONNX opset 17 (ONNX 1.12): has HardSwish (14+), ReduceSum with axes as an input (13+), Clip bounds as inputs (11+). */
    public static final int OPSET = 17;
    /** The IR version that goes with opset 17. */
    public static final long IR_VERSION = 8;
    public static final String INPUT_NAME = "images";
    public static final String OUTPUT_NAME = "logits";
    public static final String BATCH_DIM = "N";
    public static final String PRODUCER = "cnnbench";

    /** Keys of the model's metadata_props. */
    public static final String KEY_ARCHITECTURE = "cnnbench.architecture";
    public static final String KEY_VERSION = "cnnbench.version";
    public static final String KEY_TRAINABLE_PARAMETERS = "cnnbench.trainable_parameters";
    public static final String KEY_TEST_ACCURACY = "cnnbench.test_accuracy";
    public static final String KEY_INPUT_LAYOUT = "cnnbench.input_layout";
    public static final String KEY_OUTPUT = "cnnbench.output";
    public static final String KEY_NORMALISATION = "cnnbench.normalisation";
    public static final String KEY_MEAN = "cnnbench.mean";
    public static final String KEY_STD = "cnnbench.std";
    public static final String KEY_PIXEL_SCALE = "cnnbench.pixel_scale";
    public static final String KEY_CLASS_NAMES = "cnnbench.class_names";
    /** {@code inference} or {@code training}: the {@link OnnxForm} written. */
    public static final String KEY_ONNX_FORM = "cnnbench.onnx_form";
    /**
     * In the inference form, the channels per block its narrow groups were widened to ({@link OnnxChannelBlock}):
     * {@code 8} for AVX2 CPUs, {@code 16} for AVX-512 ones.
     */
    public static final String KEY_ONNX_CHANNEL_BLOCK = "cnnbench.onnx_channel_block";

    private OnnxExporter() {
    }

    /** Exports {@code network}'s graph in the inference form with its current weights to {@code file}, atomically. */
    public static Path export(Network network, ModelMetadata metadata, Path file) throws IOException {
        return export(network, metadata, OnnxForm.INFERENCE, file);
    }

    /**
     * Exports {@code network}'s graph in {@code form} with its current weights to {@code file}, atomically; the
     * inference form for this CPU's channel block ({@link OnnxChannelBlock#AUTO}).
     */
    public static Path export(Network network, ModelMetadata metadata, OnnxForm form, Path file) throws IOException {
        return export(network, metadata, form, OnnxChannelBlock.AUTO, file);
    }

    /** As {@link #export(Network, ModelMetadata, OnnxForm, Path)}, for the CPU whose channel block is {@code block}. */
    public static Path export(Network network, ModelMetadata metadata, OnnxForm form, OnnxChannelBlock block,
                              Path file) throws IOException {
        return write(toModel(network.graph(), network::parameterValues, metadata, form, block), file);
    }

    /** The inference-form ONNX model of {@code network}'s graph with the network's current weights. */
    public static OnnxMl.ModelProto toModel(Network network, ModelMetadata metadata) {
        return toModel(network, metadata, OnnxForm.INFERENCE);
    }

    public static OnnxMl.ModelProto toModel(Network network, ModelMetadata metadata, OnnxForm form) {
        return toModel(network.graph(), network::parameterValues, metadata, form);
    }

    /** {@link #toModel(Graph, Function, ModelMetadata, OnnxForm)} in the inference form. */
    public static OnnxMl.ModelProto toModel(Graph graph, Function<String, float[]> parameterValues,
                                            ModelMetadata metadata) {
        return toModel(graph, parameterValues, metadata, OnnxForm.INFERENCE);
    }

    /**
     * The ONNX model of {@code graph} in {@code form}, with each parameter's values (row-major, in the graph's
     * declared shape) taken from {@code parameterValues} by its graph name. The model is checked against the
     * ONNX structural rules in {@link OnnxModelRules} before it is returned.
     */
    public static OnnxMl.ModelProto toModel(Graph graph, Function<String, float[]> parameterValues,
                                            ModelMetadata metadata, OnnxForm form) {
        return toModel(graph, parameterValues, metadata, form, OnnxChannelBlock.AUTO);
    }

    /**
     * As {@link #toModel(Graph, Function, ModelMetadata, OnnxForm)}, the inference form's narrow groups widened to
     * {@code block}'s channels (recorded as {@value #KEY_ONNX_CHANNEL_BLOCK}).
     */
    public static OnnxMl.ModelProto toModel(Graph graph, Function<String, float[]> parameterValues,
                                            ModelMetadata metadata, OnnxForm form, OnnxChannelBlock block) {
        Node outputNode = graph.outputNode();
        if (outputNode.op() instanceof Op.Input) {
            throw new IllegalArgumentException("graph " + graph.name() + " has no operations: its output is its input");
        }
        boolean[] live = liveNodes(graph);
        int channelBlock = block.channels();
        InferenceFolding folding = form == OnnxForm.INFERENCE
                ? InferenceFolding.of(graph, parameterValues, channelBlock) : InferenceFolding.none();
        for (Node n : graph.nodes()) {
            live[n.id()] &= !folding.absorbed(n);
        }
        OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder()
                .setName(graph.name())
                .setDocString(graph.summary());
        OnnxGraphAssembler assembler = new OnnxGraphAssembler(g);

        // Fixed names first (input, output, parameters), then one value per node, before any kernel adds
        // helper names, so a helper can never take a name the graph itself uses.
        List<Node> nodes = graph.nodes();
        String[] valueOf = new String[nodes.size()];
        assembler.claimValueName(INPUT_NAME);
        assembler.claimValueName(OUTPUT_NAME);
        valueOf[0] = INPUT_NAME;
        valueOf[outputNode.id()] = OUTPUT_NAME;
        for (Node n : nodes) {
            if (live[n.id()]) {
                for (ParamSpec p : folding.written(n).params()) {
                    assembler.claimValueName(p.name());
                }
            }
        }
        for (Node n : nodes) {
            if (live[n.id()] && valueOf[n.id()] == null) {
                valueOf[n.id()] = assembler.reserveValueName(n.name());
            }
        }

        g.addInput(valueInfo(INPUT_NAME, graph.inputShape()));
        g.addOutput(valueInfo(OUTPUT_NAME, outputNode.outputShape()));
        for (Node n : nodes) {
            if (!live[n.id()] || n.id() == 0) {
                continue;
            }
            Node written = folding.written(n);
            for (ParamSpec p : written.params()) {
                float[] folded = folding.foldedValues(p.name());
                float[] values = folded != null ? folded : parameterValues.apply(p.name());
                assembler.addInitializer(floatInitializer(p, values));
            }
            List<String> inputs = new ArrayList<>();
            List<Dims> inputShapes = new ArrayList<>();
            for (int id : written.inputs()) {
                inputs.add(valueOf[id]);
                inputShapes.add(nodes.get(id).outputShape());
            }
            writeNode(written, new OnnxNodeWriter(assembler, written, inputs, inputShapes, valueOf[n.id()]));
            if (n.id() != outputNode.id()) {
                g.addValueInfo(valueInfo(valueOf[n.id()], n.outputShape()));
            }
        }

        OnnxMl.ModelProto.Builder model = OnnxMl.ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName(PRODUCER)
                .setProducerVersion(metadata.frameworkVersion())
                .setDocString("cnnbench " + metadata.architecture() + ": CIFAR-style image classifier; see the"
                        + " cnnbench.* metadata properties for the input it expects.")
                .setGraph(g);
        metadataProperties(graph, metadata, form, channelBlock).forEach((k, v) -> model.addMetadataProps(
                OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        OnnxMl.ModelProto built = model.build();
        List<String> problems = OnnxModelRules.violations(built);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the ONNX model written for " + graph.name() + " breaks ONNX's rules: "
                    + String.join("; ", problems));
        }
        return built;
    }

    /**
     * Writes {@code model} to {@code file} with the project's atomic write (temporary file beside it, synced,
     * renamed over the target), so a reader never sees a partly written model.
     */
    public static Path write(OnnxMl.ModelProto model, Path file) throws IOException {
        Path target = file.toAbsolutePath();
        try {
            AtomicFiles.write(target, model::writeTo);
        } catch (UncheckedIOException e) {
            throw new IOException("could not write the ONNX model to " + target + ": " + e.getCause().getMessage(),
                    e.getCause());
        }
        return target;
    }

    /** Reads a model file written by {@link #write} (or any ONNX file). */
    public static OnnxMl.ModelProto read(Path file) throws IOException {
        try {
            return OnnxMl.ModelProto.parseFrom(Files.readAllBytes(file));
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IOException(file + " is not an ONNX model (" + e.getMessage() + ")", e);
        }
    }

    /** The model's metadata_props as a map. */
    public static Map<String, String> metadata(OnnxMl.ModelProto model) {
        Map<String, String> m = new LinkedHashMap<>();
        for (OnnxMl.StringStringEntryProto e : model.getMetadataPropsList()) {
            m.put(e.getKey(), e.getValue());
        }
        return m;
    }

    private static void writeNode(Node n, OnnxNodeWriter w) {
        Kernels.of(n.op()).toOnnx(n.op(), w);
    }

    /** Nodes the output depends on; the rest would compute values nobody reads. */
    private static boolean[] liveNodes(Graph graph) {
        boolean[] live = new boolean[graph.nodes().size()];
        live[graph.outputNode().id()] = true;
        for (int i = graph.nodes().size() - 1; i >= 0; i--) {
            if (live[i]) {
                for (int in : graph.node(i).inputs()) {
                    live[in] = true;
                }
            }
        }
        live[0] = true;
        return live;
    }

    private static Map<String, String> metadataProperties(Graph graph, ModelMetadata m, OnnxForm form,
                                                          int channelBlock) {
        Dims in = graph.inputShape();
        Map<String, String> props = new LinkedHashMap<>();
        props.put(KEY_ARCHITECTURE, m.architecture());
        props.put(KEY_VERSION, m.frameworkVersion());
        props.put(KEY_TRAINABLE_PARAMETERS, Long.toString(graph.trainableParameters()));
        if (!Double.isNaN(m.testAccuracy())) {
            props.put(KEY_TEST_ACCURACY, String.format(Locale.ROOT, "%.6f", m.testAccuracy()));
        }
        props.put(KEY_INPUT_LAYOUT, String.format(Locale.ROOT, "NCHW float32 [N,%d,%d,%d], input '%s', N any batch"
                + " size", in.channels(), in.height(), in.width(), INPUT_NAME));
        props.put(KEY_OUTPUT, "'" + OUTPUT_NAME + "' float32 " + shapeText(graph.outputNode().outputShape())
                + ": unnormalised scores in class order (softmax gives probabilities)");
        props.put(KEY_NORMALISATION, "input = (pixel - mean[c]) / std[c] per channel c, pixel on the "
                + m.pixelScale() + " scale");
        props.put(KEY_MEAN, join(m.mean()));
        props.put(KEY_STD, join(m.std()));
        props.put(KEY_PIXEL_SCALE, m.pixelScale());
        props.put(KEY_CLASS_NAMES, String.join(",", m.classNames()));
        props.put(KEY_ONNX_FORM, form.settingValue());
        if (form == OnnxForm.INFERENCE) {
            props.put(KEY_ONNX_CHANNEL_BLOCK, Integer.toString(channelBlock));
        }
        m.extra().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> props.put(
                e.getKey().startsWith("cnnbench.") ? e.getKey() : "cnnbench." + e.getKey(), e.getValue()));
        return props;
    }

    private static String shapeText(Dims d) {
        StringBuilder sb = new StringBuilder("[N");
        for (int x : d.toArray()) {
            sb.append(',').append(x);
        }
        return sb.append(']').toString();
    }

    private static String join(double[] values) {
        return java.util.Arrays.stream(values).mapToObj(Double::toString).collect(Collectors.joining(","));
    }

    /** A float tensor value whose first axis is the symbolic batch {@value #BATCH_DIM}. */
    private static OnnxMl.ValueInfoProto valueInfo(String name, Dims perExample) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder()
                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH_DIM));
        for (int d : perExample.toArray()) {
            shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return OnnxMl.ValueInfoProto.newBuilder()
                .setName(name)
                .setType(OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
                        .setShape(shape)))
                .build();
    }

    private static OnnxMl.TensorProto floatInitializer(ParamSpec p, float[] values) {
        if (values == null || values.length != p.size()) {
            throw new IllegalArgumentException("parameter " + p.name() + " " + p.shape() + " needs " + p.size()
                    + " values, got " + (values == null ? "none" : values.length));
        }
        ByteBuffer raw = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder()
                .setName(p.name())
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
                .setRawData(ByteString.copyFrom(raw.array()));
        for (int d : p.shape().toArray()) {
            t.addDims(d);
        }
        return t.build();
    }
}
