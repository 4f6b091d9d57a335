package io.cnnbench.core.onnx;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.cnnbench.api.graph.Dims;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/** An ONNX file loaded into ONNX Runtime through DJL's OnnxRuntime engine, on the CPU. */
public final class OnnxRuntimeModel implements AutoCloseable {
    public static final String ENGINE = "OnnxRuntime";

    private final Path file;
    private final Model model;
    private final ParameterStore store;
    private final int intraOpThreads;

    private OnnxRuntimeModel(Path file, Model model, int intraOpThreads) {
        this.file = file;
        this.model = model;
        this.store = new ParameterStore(model.getNDManager(), false);
        this.intraOpThreads = intraOpThreads;
    }

    /** Loads {@code file} with {@link #processorThreads()} intra-op threads. */
    public static OnnxRuntimeModel load(Path file) throws IOException {
        return load(file, processorThreads());
    }

    /** One intra-op thread per processor this JVM may use: the count when there is no engine to match. */
    public static int processorThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * Loads {@code file}; fails with what to do when the file or the engine is missing.
     *
     * @param intraOpThreads threads ONNX Runtime may use inside one operator. It is always set: left to
     *                       itself, ONNX Runtime counts physical cores its own way, and on a 2-core AMD EPYC
     *                       (Zen 5) virtual machine it ran on one thread, at half the speed (docs/performance.md)
     */
    public static OnnxRuntimeModel load(Path file, int intraOpThreads) throws IOException {
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("ONNX Runtime needs at least one intra-op thread, got " + intraOpThreads);
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException("no ONNX model at " + file.toAbsolutePath() + "; export it first");
        }
        if (System.getProperty("ai.djl.offline") == null) {
            // The runtime's natives ship inside the onnxruntime jar; never fetch anything.
            System.setProperty("ai.djl.offline", "true");
        }
        try {
            Engine.getEngine(ENGINE);
        } catch (EngineException | IllegalArgumentException e) {
            throw new IllegalStateException("DJL's OnnxRuntime engine could not start: " + e.getMessage()
                    + ". It needs ai.djl.onnxruntime:onnxruntime-engine and com.microsoft.onnxruntime:onnxruntime"
                    + " on the class path; run 'mvn -U' if the jars are missing from ~/.m2.", e);
        }
        Model model = Model.newInstance(file.getFileName().toString(), Device.cpu(), ENGINE);
        try {
            model.load(file.toAbsolutePath(), null, sessionOptions(intraOpThreads));
        } catch (MalformedModelException | RuntimeException e) {
            model.close();
            throw new IOException("ONNX Runtime could not load " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        return new OnnxRuntimeModel(file, model, intraOpThreads);
    }

    /**
     * DJL's session options: the intra-op thread count; one inter-op thread, since the graph runs its nodes in
     * sequence; and every graph optimisation, which is what lets ONNX Runtime run the convolutions in its blocked
     * NCHWc layout (the channel blocks of the inference form are sized for it).
     */
    static Map<String, String> sessionOptions(int intraOpThreads) {
        return Map.of("intraOpNumThreads", Integer.toString(intraOpThreads), "interOpNumThreads", "1",
                "optLevel", "ALL_OPT");
    }

    /** The intra-op thread count this session was created with. */
    public int intraOpThreads() {
        return intraOpThreads;
    }

    public Path file() {
        return file;
    }

    /** The runtime's manager; inputs for {@link #forward(NDArray)} are created on it or a sub-manager of it. */
    public NDManager manager() {
        return model.getNDManager();
    }

    /**
     * Why the file's declared inputs and outputs are not one float input {@code inputName} of shape
     * {@code [N, input…]} and one float output {@code outputName} of shape {@code [N, output…]}, N left free; or
     * {@code null} when they are. Asked of ONNX Runtime itself, through a session of its own: DJL feeds inputs by
     * position and returns whatever the runtime computed, so a file with a renamed input, or an output of
     * {@code [N, 10, 1, 1]} where users are told {@code [N, 10]}, gives the same numbers and passes a comparison of
     * values alone.
     */
    public String interfaceMismatch(String inputName, Dims input, String outputName, Dims output) {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            try (OrtSession session = OrtEnvironment.getEnvironment().createSession(file.toString(), options)) {
                String in = mismatch("input", session.getInputInfo(), inputName, input);
                return in != null ? in : mismatch("output", session.getOutputInfo(), outputName, output);
            }
        } catch (OrtException e) {
            return "ONNX Runtime could not read its inputs and outputs: " + e.getMessage();
        }
    }

    private String mismatch(String kind, Map<String, NodeInfo> declared, String name, Dims dims) {
        String expected = "one float " + kind + " '" + name + "' of shape " + dims.withBatchToString();
        if (declared.size() != 1 || !declared.containsKey(name)
                || !(declared.get(name).getInfo() instanceof TensorInfo tensor)) {
            return file.getFileName() + " declares " + kind + "s " + declared.keySet() + ", not " + expected;
        }
        long[] shape = tensor.getShape();
        int[] perImage = dims.toArray();
        boolean same = tensor.type == OnnxJavaType.FLOAT && shape.length == perImage.length + 1 && shape[0] < 0;
        for (int i = 0; same && i < perImage.length; i++) {
            same = shape[i + 1] == perImage[i];
        }
        return same ? null : file.getFileName() + " declares " + kind + " '" + name + "' as " + tensor.type + " "
                + Arrays.toString(shape) + " (-1: free), not " + expected;
    }

    /** Runs the model on one input, returning its single output. */
    public NDArray forward(NDArray input) {
        return model.getBlock().forward(store, new NDList(input), false).singletonOrThrow();
    }

    /** Runs the model on {@code values} of the given shape and returns the output's values. */
    public float[] forward(float[] values, Shape shape) {
        try (NDManager m = manager().newSubManager()) {
            NDArray out = forward(m.create(values, shape));
            return out.toFloatArray();
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
