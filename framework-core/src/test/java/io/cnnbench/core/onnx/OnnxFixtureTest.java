package io.cnnbench.core.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.onnx.proto.OnnxMl;
import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.graph.ParamSpec;
import io.cnnbench.core.djl.Network;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model file written by an earlier build ({@code src/test/resources/onnx/tiny-all-ops.onnx}, from
 * {@link OnnxTestSupport#tinyAllOpsNetwork()}) must keep working: it loads in ONNX Runtime, its weights load by
 * name into today's network and compute the same logits, and today's exporter writes the same graph for the
 * same network. If the exporter's output changes on purpose, regenerate the fixture with
 * {@code mvn -pl framework-core test -Dtest=OnnxFixtureTest -Dcnn.onnx.writeFixture=$PWD/framework-core/src/test/resources/onnx/tiny-all-ops.onnx}
 * and say in the change why files from older builds are still usable (or that they are not).
 */
class OnnxFixtureTest {
    static final String FIXTURE = "/onnx/tiny-all-ops.onnx";
    static final String WRITE_PROPERTY = "cnn.onnx.writeFixture";

    @TempDir
    Path dir;

    @Test
    void fixtureFromAnEarlierBuildRunsInOnnxRuntimeAndMatchesTodaysNetworkWithItsWeights() throws IOException {
        Path file = copyFixture();
        OnnxMl.ModelProto fixture = OnnxExporter.read(file);
        Graph g = OnnxTestSupport.tinyAllOpsNetwork();
        try (Network net = Network.create(g, 999, Device.cpu())) {
            Map<String, float[]> weights = floatInitializers(fixture);
            for (ParamSpec p : g.parameters()) {
                float[] v = weights.get(p.name());
                assertTrue(v != null, "the fixture has no initializer named " + p.name()
                        + ": a parameter name changed, so files from older builds no longer map onto the network");
                net.setParameter(p.name(), v);
            }
            OnnxCheckResult r = new OnnxCheck(new OnnxCheck.Tolerances(1e-5, 1.0))
                    .run(file, net, OnnxExportTest.batches(g, 2, 32, 5).iterator());
            assertTrue(r.passed(), r.message());
        }
    }

    @Test
    void todaysExporterWritesTheFixturesGraphForTheSameNetwork() throws IOException {
        OnnxMl.ModelProto fixture = OnnxExporter.read(copyFixture());
        Map<String, float[]> weights = floatInitializers(fixture);
        // The fixture is the training form: every node written, every parameter under its own name.
        OnnxMl.ModelProto current = OnnxExporter.toModel(OnnxTestSupport.tinyAllOpsNetwork(), weights::get,
                OnnxTestSupport.metadata("tiny-all-ops"), OnnxForm.TRAINING);

        assertEquals(fixture.getIrVersion(), current.getIrVersion());
        assertEquals(fixture.getOpsetImportList(), current.getOpsetImportList());
        OnnxMl.GraphProto a = fixture.getGraph();
        OnnxMl.GraphProto b = current.getGraph();
        assertEquals(a.getInputList(), b.getInputList(), "graph inputs");
        assertEquals(a.getOutputList(), b.getOutputList(), "graph outputs");
        assertEquals(describeInitializers(a), describeInitializers(b), "initializer names, types and shapes");
        assertEquals(describeNodes(a), describeNodes(b), "nodes in order");
        // Everything else in the graph too (values, value_info), apart from the human-readable summary.
        assertEquals(a.toBuilder().clearDocString().build(), b.toBuilder().clearDocString().build());
        // A consumer's keys are still there (values such as the version legitimately differ).
        assertTrue(OnnxExporter.metadata(current).keySet().containsAll(OnnxExporter.metadata(fixture).keySet()),
                "metadata keys were dropped: " + OnnxExporter.metadata(fixture).keySet());
    }

    @Test
    void fixtureIsValidOnnxByBothCheckers() throws Exception {
        Path file = copyFixture();
        assertEquals(List.of(), OnnxModelRules.violations(OnnxExporter.read(file)));
        System.out.println(OnnxTestSupport.assertOfficialCheckerAccepts(List.of(file)));
    }

    /** Writes the fixture when {@value #WRITE_PROPERTY} names the destination; skipped otherwise. */
    @Test
    void writeFixtureWhenAsked() throws IOException {
        String target = System.getProperty(WRITE_PROPERTY);
        assumeTrue(target != null && !target.isBlank(), "set -D" + WRITE_PROPERTY + "=<path> to regenerate");
        try (Network net = Network.create(OnnxTestSupport.tinyAllOpsNetwork(), 5, Device.cpu())) {
            OnnxTestSupport.randomiseParameters(net, 23);
            // The fixed version keeps the file identical across rebuilds of the same exporter.
            ModelMetadata meta = new ModelMetadata("tiny-all-ops", "fixture", Double.NaN, OnnxTestSupport.MEAN,
                    OnnxTestSupport.STD, "0..255", ModelMetadata.CIFAR10_CLASSES, Map.of());
            System.out.println("wrote " + OnnxExporter.export(net, meta, OnnxForm.TRAINING, Path.of(target)));
        }
    }

    private Path copyFixture() throws IOException {
        Path file = dir.resolve("tiny-all-ops.onnx");
        try (InputStream in = OnnxFixtureTest.class.getResourceAsStream(FIXTURE)) {
            assertTrue(in != null, "the fixture " + FIXTURE + " is missing from src/test/resources");
            Files.copy(in, file);
        }
        return file;
    }

    static Map<String, float[]> floatInitializers(OnnxMl.ModelProto m) {
        Map<String, float[]> out = new HashMap<>();
        for (OnnxMl.TensorProto t : m.getGraph().getInitializerList()) {
            if (t.getDataType() == OnnxMl.TensorProto.DataType.FLOAT.getNumber() && !t.getRawData().isEmpty()) {
                java.nio.FloatBuffer fb = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN)
                        .asFloatBuffer();
                float[] v = new float[fb.remaining()];
                fb.get(v);
                out.put(t.getName(), v);
            }
        }
        return out;
    }

    private static List<String> describeInitializers(OnnxMl.GraphProto g) {
        return describe(g.getInitializerList(), t -> t.getName() + " type " + t.getDataType() + " " + t.getDimsList());
    }

    private static List<String> describeNodes(OnnxMl.GraphProto g) {
        return describe(g.getNodeList(), n -> n.getName() + ": " + n.getOpType() + n.getInputList() + " -> "
                + n.getOutputList() + " " + n.getAttributeList().stream().map(a -> a.getName() + "="
                + (a.getIntsCount() > 0 ? a.getIntsList().toString() : a.hasI() ? Long.toString(a.getI())
                : Float.toString(a.getF()))).toList());
    }

    private static <T> List<String> describe(List<T> items, Function<T, String> f) {
        List<String> out = new ArrayList<>();
        for (T t : items) {
            out.add(f.apply(t));
        }
        return out;
    }
}
