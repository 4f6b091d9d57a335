package io.cnnbench.core.onnx;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The structural rules of ONNX's official checker ({@code onnx.checker.check_model}) that an exported model
 * can break, re-stated in Java so every export is checked where the official checker (Python) is not
 * installed. What is checked and what is not is listed in {@code docs/onnx.md}; in short: IR version and
 * opset imports, graph name, typed inputs and outputs, initializer names, types and sizes, single assignment
 * of every value, topological order (every input defined before use), attribute well-formedness, and, for the
 * operators the exporter writes, their input counts, allowed attributes and the opset that introduced them.
 * Not checked: type and shape inference through the graph, and operators outside that set.
 */
public final class OnnxModelRules {
    /** The newest IR version and default-domain opset these rules know, as of ONNX 1.12. */
    public static final long MAX_IR_VERSION = 8;
    public static final long MAX_OPSET = 17;

    /** An operator's schema, reduced to what the rules check. */
    private record Schema(int sinceVersion, int minInputs, int maxInputs, int outputs, Set<String> attributes) {
    }

    private static final Map<String, Schema> SCHEMAS = new HashMap<>();

    static {
        // Since-versions are those of the schema in force at opset 17 (an older file may use an older one).
        SCHEMAS.put("Conv", new Schema(11, 2, 3, 1,
                Set.of("auto_pad", "dilations", "group", "kernel_shape", "pads", "strides")));
        SCHEMAS.put("BatchNormalization", new Schema(15, 5, 5, 1, Set.of("epsilon", "momentum", "training_mode")));
        SCHEMAS.put("Relu", new Schema(14, 1, 1, 1, Set.of()));
        SCHEMAS.put("Clip", new Schema(13, 1, 3, 1, Set.of()));
        SCHEMAS.put("HardSigmoid", new Schema(6, 1, 1, 1, Set.of("alpha", "beta")));
        SCHEMAS.put("HardSwish", new Schema(14, 1, 1, 1, Set.of()));
        SCHEMAS.put("Sigmoid", new Schema(13, 1, 1, 1, Set.of()));
        SCHEMAS.put("Add", new Schema(14, 2, 2, 1, Set.of()));
        SCHEMAS.put("Sum", new Schema(13, 1, Integer.MAX_VALUE, 1, Set.of()));
        SCHEMAS.put("Mul", new Schema(14, 2, 2, 1, Set.of()));
        SCHEMAS.put("Reshape", new Schema(14, 2, 2, 1, Set.of("allowzero")));
        SCHEMAS.put("ReduceSum", new Schema(13, 1, 2, 1, Set.of("keepdims", "noop_with_empty_axes")));
        SCHEMAS.put("GlobalAveragePool", new Schema(1, 1, 1, 1, Set.of()));
        SCHEMAS.put("Flatten", new Schema(13, 1, 1, 1, Set.of("axis")));
        SCHEMAS.put("Gemm", new Schema(13, 2, 3, 1, Set.of("alpha", "beta", "transA", "transB")));
        SCHEMAS.put("Identity", new Schema(16, 1, 1, 1, Set.of()));
    }

    private OnnxModelRules() {
    }

    /** Every rule the model breaks, as readable sentences; empty when it passes. */
    public static List<String> violations(OnnxMl.ModelProto model) {
        List<String> out = new ArrayList<>();
        if (model.getIrVersion() < 1 || model.getIrVersion() > MAX_IR_VERSION) {
            out.add("ir_version " + model.getIrVersion() + " is not in 1.." + MAX_IR_VERSION);
        }
        long opset = -1;
        Set<String> domains = new HashSet<>();
        for (OnnxMl.OperatorSetIdProto id : model.getOpsetImportList()) {
            if (!domains.add(id.getDomain())) {
                out.add("opset_import names domain '" + id.getDomain() + "' twice");
            }
            if (id.getDomain().isEmpty() || id.getDomain().equals("ai.onnx")) {
                opset = id.getVersion();
            }
        }
        if (opset < 1 || opset > MAX_OPSET) {
            out.add("opset_import must import the default ONNX domain at a version in 1.." + MAX_OPSET
                    + ", got " + (opset < 0 ? "none" : opset));
        }
        Set<String> keys = new HashSet<>();
        for (OnnxMl.StringStringEntryProto e : model.getMetadataPropsList()) {
            if (!keys.add(e.getKey())) {
                out.add("metadata_props has key '" + e.getKey() + "' twice");
            }
        }
        if (!model.hasGraph()) {
            out.add("the model has no graph");
            return out;
        }
        checkGraph(model.getGraph(), opset, out);
        return out;
    }

    private static void checkGraph(OnnxMl.GraphProto g, long opset, List<String> out) {
        if (g.getName().isEmpty()) {
            out.add("the graph's name is empty");
        }
        Set<String> defined = new HashSet<>();
        Map<String, OnnxMl.ValueInfoProto> graphInputs = new HashMap<>();
        for (OnnxMl.ValueInfoProto v : g.getInputList()) {
            checkValueInfo("graph input", v, out);
            if (!defined.add(v.getName())) {
                out.add("graph input '" + v.getName() + "' is declared twice");
            }
            graphInputs.put(v.getName(), v);
        }
        for (OnnxMl.TensorProto t : g.getInitializerList()) {
            checkInitializer(t, out);
            OnnxMl.ValueInfoProto asInput = graphInputs.get(t.getName());
            if (asInput != null) {
                // An initializer may double as a graph input (its default); then the declared shapes must agree.
                if (!sameStaticShape(asInput, t)) {
                    out.add("initializer '" + t.getName() + "' and the graph input of that name differ in shape");
                }
            } else if (!defined.add(t.getName())) {
                out.add("initializer '" + t.getName() + "' is defined twice (values are assigned once)");
            }
        }
        Set<String> nodeNames = new HashSet<>();
        for (int i = 0; i < g.getNodeCount(); i++) {
            OnnxMl.NodeProto n = g.getNode(i);
            String label = "node " + i + " (" + (n.getName().isEmpty() ? "unnamed" : n.getName()) + ", "
                    + n.getOpType() + ")";
            if (!n.getName().isEmpty() && !nodeNames.add(n.getName())) {
                out.add(label + ": another node has the same name");
            }
            if (n.getOpType().isEmpty()) {
                out.add(label + ": op_type is empty");
            }
            for (String in : n.getInputList()) {
                if (!in.isEmpty() && !defined.contains(in)) {
                    out.add(label + ": input '" + in + "' is not defined before this node (not a graph input,"
                            + " initializer or earlier node's output): the graph is not topologically sorted or"
                            + " refers to a missing value");
                }
            }
            if (n.getOutputCount() == 0) {
                out.add(label + ": has no output");
            }
            for (String o : n.getOutputList()) {
                if (!o.isEmpty() && !defined.add(o)) {
                    out.add(label + ": output '" + o + "' is already defined (values are assigned once)");
                }
            }
            checkAttributes(label, n, out);
            if (n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx")) {
                checkSchema(label, n, opset, out);
            }
        }
        for (OnnxMl.ValueInfoProto v : g.getOutputList()) {
            checkValueInfo("graph output", v, out);
            if (!defined.contains(v.getName())) {
                out.add("graph output '" + v.getName() + "' is never produced");
            }
        }
        for (OnnxMl.ValueInfoProto v : g.getValueInfoList()) {
            checkValueInfo("value_info", v, out);
        }
    }

    private static void checkValueInfo(String role, OnnxMl.ValueInfoProto v, List<String> out) {
        if (v.getName().isEmpty()) {
            out.add(role + " has an empty name");
        }
        if (!v.hasType() || !v.getType().hasTensorType()) {
            out.add(role + " '" + v.getName() + "' has no tensor type");
            return;
        }
        OnnxMl.TypeProto.Tensor t = v.getType().getTensorType();
        if (t.getElemType() == OnnxMl.TensorProto.DataType.UNDEFINED.getNumber()
                || OnnxMl.TensorProto.DataType.forNumber(t.getElemType()) == null) {
            out.add(role + " '" + v.getName() + "' has no valid element type");
        }
        if (t.hasShape()) {
            for (OnnxMl.TensorShapeProto.Dimension d : t.getShape().getDimList()) {
                if (d.hasDimValue() && d.getDimValue() < 0) {
                    out.add(role + " '" + v.getName() + "' has a negative dimension");
                }
            }
        }
    }

    private static void checkInitializer(OnnxMl.TensorProto t, List<String> out) {
        String label = "initializer '" + t.getName() + "'";
        if (t.getName().isEmpty()) {
            out.add("an initializer has an empty name");
        }
        OnnxMl.TensorProto.DataType type = OnnxMl.TensorProto.DataType.forNumber(t.getDataType());
        if (type == null || type == OnnxMl.TensorProto.DataType.UNDEFINED) {
            out.add(label + " has no valid data type");
            return;
        }
        long elements = 1;
        for (long d : t.getDimsList()) {
            if (d < 0) {
                out.add(label + " has a negative dimension");
                return;
            }
            elements *= d;
        }
        if (t.hasDataLocation() && t.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL) {
            return;
        }
        long typed;
        int elementBytes;
        switch (type) {
            case FLOAT:
                typed = t.getFloatDataCount();
                elementBytes = 4;
                break;
            case INT64:
                typed = t.getInt64DataCount();
                elementBytes = 8;
                break;
            case INT32:
                typed = t.getInt32DataCount();
                elementBytes = 4;
                break;
            case DOUBLE:
                typed = t.getDoubleDataCount();
                elementBytes = 8;
                break;
            default:
                // Other types do not occur in exported models; their layout is not re-checked here.
                return;
        }
        boolean hasRaw = !t.getRawData().isEmpty();
        if (hasRaw && typed > 0) {
            out.add(label + " has both raw_data and typed data");
        } else if (hasRaw && t.getRawData().size() != elements * elementBytes) {
            out.add(label + " has " + t.getRawData().size() + " bytes of raw_data; its dims " + t.getDimsList()
                    + " need " + elements * elementBytes);
        } else if (!hasRaw && typed != elements) {
            out.add(label + " holds " + typed + " values; its dims " + t.getDimsList() + " need " + elements);
        }
    }

    private static void checkAttributes(String label, OnnxMl.NodeProto n, List<String> out) {
        Set<String> names = new HashSet<>();
        for (OnnxMl.AttributeProto a : n.getAttributeList()) {
            if (a.getName().isEmpty()) {
                out.add(label + ": an attribute has no name");
            }
            if (!names.add(a.getName())) {
                out.add(label + ": attribute '" + a.getName() + "' is given twice");
            }
            int fields = (a.hasF() ? 1 : 0) + (a.hasI() ? 1 : 0) + (a.hasS() ? 1 : 0) + (a.hasT() ? 1 : 0)
                    + (a.hasG() ? 1 : 0) + (a.getFloatsCount() > 0 ? 1 : 0) + (a.getIntsCount() > 0 ? 1 : 0)
                    + (a.getStringsCount() > 0 ? 1 : 0) + (a.getTensorsCount() > 0 ? 1 : 0)
                    + (a.getGraphsCount() > 0 ? 1 : 0);
            if (fields > 1) {
                out.add(label + ": attribute '" + a.getName() + "' sets more than one value field");
            }
            boolean typeMatches;
            switch (a.getType()) {
                case FLOAT:
                    typeMatches = a.hasF();
                    break;
                case INT:
                    typeMatches = a.hasI();
                    break;
                case STRING:
                    typeMatches = a.hasS();
                    break;
                case TENSOR:
                    typeMatches = a.hasT();
                    break;
                case GRAPH:
                    typeMatches = a.hasG();
                    break;
                case FLOATS:
                case INTS:
                case STRINGS:
                case TENSORS:
                case GRAPHS:
                    // An empty list is a legal value; only a field of another kind is wrong.
                    typeMatches = !a.hasF() && !a.hasI() && !a.hasS() && !a.hasT() && !a.hasG();
                    break;
                default:
                    typeMatches = false;
            }
            if (!typeMatches) {
                out.add(label + ": attribute '" + a.getName() + "' has type " + a.getType()
                        + " but not the matching value field");
            }
        }
    }

    private static void checkSchema(String label, OnnxMl.NodeProto n, long opset, List<String> out) {
        Schema s = SCHEMAS.get(n.getOpType());
        if (s == null) {
            out.add(label + ": " + n.getOpType() + " is not an operator the exporter writes, so these rules cannot"
                    + " check it");
            return;
        }
        if (opset >= 0 && s.sinceVersion() > opset) {
            out.add(label + ": " + n.getOpType() + " in this form needs opset " + s.sinceVersion()
                    + ", the model imports " + opset);
        }
        int inputs = n.getInputCount();
        if (inputs < s.minInputs() || inputs > s.maxInputs()) {
            out.add(label + ": has " + inputs + " inputs, " + n.getOpType() + " takes " + s.minInputs()
                    + (s.maxInputs() == Integer.MAX_VALUE ? " or more" : ".." + s.maxInputs()));
        }
        if (n.getOutputCount() > s.outputs()) {
            out.add(label + ": has " + n.getOutputCount() + " outputs, " + n.getOpType() + " has " + s.outputs());
        }
        for (OnnxMl.AttributeProto a : n.getAttributeList()) {
            if (!s.attributes().contains(a.getName())) {
                out.add(label + ": " + n.getOpType() + " has no attribute '" + a.getName() + "'");
            }
        }
    }

    private static boolean sameStaticShape(OnnxMl.ValueInfoProto v, OnnxMl.TensorProto t) {
        if (!v.getType().hasTensorType() || !v.getType().getTensorType().hasShape()) {
            return true;
        }
        List<OnnxMl.TensorShapeProto.Dimension> dims = v.getType().getTensorType().getShape().getDimList();
        if (dims.size() != t.getDimsCount()) {
            return false;
        }
        for (int i = 0; i < dims.size(); i++) {
            if (dims.get(i).hasDimValue() && dims.get(i).getDimValue() != t.getDims(i)) {
                return false;
            }
        }
        return true;
    }
}
