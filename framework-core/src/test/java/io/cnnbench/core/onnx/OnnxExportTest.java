package io.cnnbench.core.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import ai.onnx.proto.OnnxMl;
import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.graph.ParamSpec;
import io.cnnbench.core.djl.Engines;
import io.cnnbench.core.djl.Network;
import io.cnnbench.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exported file's contract (names, signature, metadata, validity), its writing, the check and the timing. */
class OnnxExportTest {
    @TempDir
    Path dir;

    @Test
    void fileHasTheDocumentedSignatureNamesAndMetadata() throws IOException {
        Graph g = OnnxTestSupport.tinyAllOpsNetwork();
        try (Network net = Network.create(g, 5, Device.cpu())) {
            Path file = OnnxExporter.export(net, OnnxTestSupport.metadata("tiny-all-ops").withTestAccuracy(0.8125)
                    .withProperty("dataset", "CIFAR-10"), OnnxForm.TRAINING, dir.resolve("tiny.onnx"));
            OnnxMl.ModelProto m = OnnxExporter.read(file);

            assertEquals(8, m.getIrVersion());
            assertEquals(1, m.getOpsetImportCount());
            assertEquals("", m.getOpsetImport(0).getDomain());
            assertEquals(17, m.getOpsetImport(0).getVersion());
            assertEquals("cnnbench", m.getProducerName());

            OnnxMl.ValueInfoProto in = m.getGraph().getInput(0);
            assertEquals(1, m.getGraph().getInputCount(), "weights are initializers, not graph inputs");
            assertEquals("images", in.getName());
            assertEquals(OnnxMl.TensorProto.DataType.FLOAT.getNumber(), in.getType().getTensorType().getElemType());
            assertEquals("[N, 3, 8, 8]", dims(in));
            assertEquals("logits", m.getGraph().getOutput(0).getName());
            assertEquals("[N, 10]", dims(m.getGraph().getOutput(0)));

            // Every trained weight and running statistic is an initializer under its DJL name, with its shape.
            Map<String, OnnxMl.TensorProto> inits = m.getGraph().getInitializerList().stream()
                    .collect(Collectors.toMap(OnnxMl.TensorProto::getName, t -> t));
            for (ParamSpec p : g.parameters()) {
                OnnxMl.TensorProto t = inits.get(p.name());
                assertTrue(t != null, "no initializer for " + p.name());
                assertEquals(toList(p.shape().toArray()), t.getDimsList(), p.name());
                assertEquals(p.size() * 4, t.getRawData().size(), p.name());
            }
            // The rest are the operators' own constants (shapes, axes, clip bounds), named under their node.
            Set<String> paramNames = g.parameters().stream().map(ParamSpec::name).collect(Collectors.toSet());
            for (String name : inits.keySet()) {
                if (!paramNames.contains(name)) {
                    assertTrue(name.matches(".*/(paths_shape|paths_axis|shape|min|max)"), name);
                }
            }
            float[] kernel = net.parameterValues("tail/conv/kernel");
            java.nio.FloatBuffer raw = inits.get("tail/conv/kernel").getRawData().asReadOnlyByteBuffer()
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            for (int i = 0; i < kernel.length; i++) {
                assertEquals(kernel[i], raw.get(i), "tail/conv/kernel[" + i + "]");
            }

            Map<String, String> meta = OnnxExporter.metadata(m);
            assertEquals("tiny-all-ops", meta.get("cnnbench.architecture"));
            assertEquals("development", meta.get("cnnbench.version"));
            assertEquals(Long.toString(g.trainableParameters()), meta.get("cnnbench.trainable_parameters"));
            assertEquals("0.812500", meta.get("cnnbench.test_accuracy"));
            assertTrue(meta.get("cnnbench.input_layout").startsWith("NCHW float32 [N,3,8,8]"),
                    meta.get("cnnbench.input_layout"));
            assertEquals("125.30691805,122.95039414,113.86538318", meta.get("cnnbench.mean"));
            assertEquals("62.99321928,62.08870764,66.70489964", meta.get("cnnbench.std"));
            assertEquals("0..255", meta.get("cnnbench.pixel_scale"));
            assertEquals("airplane,automobile,bird,cat,deer,dog,frog,horse,ship,truck",
                    meta.get("cnnbench.class_names"));
            assertEquals("CIFAR-10", meta.get("cnnbench.dataset"));
            assertEquals("training", meta.get("cnnbench.onnx_form"));
            assertTrue(meta.containsKey("cnnbench.normalisation"));
            assertTrue(meta.containsKey("cnnbench.output"));
        }
    }

    @Test
    void testAccuracyIsLeftOutUntilKnown() {
        Graph g = OnnxTestSupport.tinyAllOpsNetwork();
        try (Network net = Network.create(g, 5, Device.cpu())) {
            OnnxMl.ModelProto m = OnnxExporter.toModel(net, OnnxTestSupport.metadata("tiny"));
            assertFalse(OnnxExporter.metadata(m).containsKey("cnnbench.test_accuracy"));
        }
    }

    @Test
    void exportedModelPassesTheStructuralRulesAndTheOfficialChecker() throws Exception {
        Graph g = OnnxTestSupport.tinyAllOpsNetwork();
        try (Network net = Network.create(g, 5, Device.cpu())) {
            Path file = OnnxExporter.export(net, OnnxTestSupport.metadata("tiny"), dir.resolve("tiny.onnx"));
            assertEquals(List.of(), OnnxModelRules.violations(OnnxExporter.read(file)));
            System.out.println(OnnxTestSupport.assertOfficialCheckerAccepts(List.of(file)));
        }
    }

    @Test
    void structuralRulesCatchWhatTheOfficialCheckerWouldReject() {
        OnnxMl.ModelProto good;
        try (Network net = Network.create(OnnxTestSupport.tinyAllOpsNetwork(), 5, Device.cpu())) {
            good = OnnxExporter.toModel(net, OnnxTestSupport.metadata("tiny"));
        }
        OnnxMl.GraphProto g = good.getGraph();

        OnnxMl.GraphProto.Builder swapped = g.toBuilder();
        swapped.setNode(0, g.getNode(1)).setNode(1, g.getNode(0));
        assertViolation(good.toBuilder().setGraph(swapped).build(), "is not defined before this node");

        OnnxMl.GraphProto.Builder dupInit = g.toBuilder().addInitializer(g.getInitializer(0));
        assertViolation(good.toBuilder().setGraph(dupInit).build(), "is defined twice");

        OnnxMl.GraphProto.Builder dupOut = g.toBuilder();
        dupOut.setNode(1, g.getNode(1).toBuilder().setOutput(0, g.getNode(0).getOutput(0)));
        assertViolation(good.toBuilder().setGraph(dupOut).build(), "is already defined");

        OnnxMl.GraphProto.Builder shortInit = g.toBuilder();
        shortInit.setInitializer(0, g.getInitializer(0).toBuilder().addDims(2));
        assertViolation(good.toBuilder().setGraph(shortInit).build(), "bytes of raw_data");

        OnnxMl.GraphProto.Builder badAttr = g.toBuilder();
        badAttr.setNode(0, g.getNode(0).toBuilder().addAttribute(OnnxMl.AttributeProto.newBuilder()
                .setName("stride").setType(OnnxMl.AttributeProto.AttributeType.INT).setI(2)));
        assertViolation(good.toBuilder().setGraph(badAttr).build(), "has no attribute 'stride'");

        OnnxMl.GraphProto.Builder noOutput = g.toBuilder();
        noOutput.setOutput(0, g.getOutput(0).toBuilder().setName("probabilities"));
        assertViolation(good.toBuilder().setGraph(noOutput).build(), "is never produced");

        assertViolation(good.toBuilder().setOpsetImport(0, OnnxMl.OperatorSetIdProto.newBuilder().setDomain("")
                .setVersion(13)).build(), "HardSwish in this form needs opset 14");
        assertViolation(good.toBuilder().setIrVersion(0).build(), "ir_version 0");
        assertViolation(good.toBuilder().clearOpsetImport().build(), "must import the default ONNX domain");
        assertViolation(good.toBuilder().setGraph(g.toBuilder().setName("")).build(), "name is empty");
    }

    private static void assertViolation(OnnxMl.ModelProto m, String expected) {
        List<String> v = OnnxModelRules.violations(m);
        assertTrue(v.stream().anyMatch(s -> s.contains(expected)), "expected '" + expected + "' among " + v);
    }

    @Test
    void writingReplacesTheFileAtomicallyAndLeavesNoTemporaryFiles() throws IOException {
        try (Network net = Network.create(OnnxTestSupport.tinyAllOpsNetwork(), 5, Device.cpu())) {
            Path target = dir.resolve("models/tiny.onnx");
            OnnxExporter.export(net, OnnxTestSupport.metadata("first"), target);
            OnnxExporter.export(net, OnnxTestSupport.metadata("second"), target);
            assertEquals("second", OnnxExporter.metadata(OnnxExporter.read(target)).get("cnnbench.architecture"));
            try (Stream<Path> files = Files.list(target.getParent())) {
                assertEquals(List.of(target), files.toList());
            }

            // A target that cannot be replaced (a non-empty directory) fails with its path and leaves no debris.
            Path blocked = dir.resolve("blocked.onnx");
            Files.createDirectories(blocked.resolve("inside"));
            IOException e = assertThrows(IOException.class,
                    () -> OnnxExporter.export(net, OnnxTestSupport.metadata("x"), blocked));
            assertTrue(e.getMessage().contains(blocked.toString()), e.getMessage());
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(Set.of(dir.resolve("models"), blocked), files.collect(Collectors.toSet()));
            }
        }
    }

    @Test
    void checkPassesOnAFaithfulExportAndReportsEveryColumn() throws IOException {
        Graph g = OnnxTestSupport.tinyAllOpsNetwork();
        try (Network net = Network.create(g, 5, Device.cpu())) {
            OnnxTestSupport.randomiseParameters(net, 8);
            Path file = OnnxExporter.export(net, OnnxTestSupport.metadata("tiny"), dir.resolve("tiny.onnx"));
            List<OnnxCheck.Batch> batches = batches(g, 3, 50, 11);
            OnnxCheckResult r = new OnnxCheck().run(file, net, batches.iterator());
            assertTrue(r.passed(), r.message());
            assertEquals(file, r.file());
            assertEquals(1.0, r.top1Agreement());
            assertTrue(r.maxAbsDiff() <= 1e-4 * Math.max(1, r.maxAbsLogit()), r.message());
            assertTrue(r.maxAbsLogit() > 0);
            assertEquals(expectedAccuracy(net, batches), r.testAccuracy(), 1e-12);
            assertEquals(List.of("onnx_file", "onnx_max_abs_diff", "onnx_max_abs_logit", "onnx_top1_agreement",
                    "onnx_test_accuracy"), new ArrayList<>(r.columns().keySet()));
            assertTrue(r.message().contains("150 images") && r.message().endsWith("passed"), r.message());
            r.requirePassed();
        }
    }

    @Test
    void checkFailsWithAClearMessageWhenTheFileDoesNotMatchTheTrainedModel() throws IOException {
        Graph g = OnnxTestSupport.tinyAllOpsNetwork();
        try (Network net = Network.create(g, 5, Device.cpu())) {
            OnnxTestSupport.randomiseParameters(net, 8);
            Path file = OnnxExporter.export(net, OnnxTestSupport.metadata("tiny"), dir.resolve("tiny.onnx"));
            // Training moves on after the export: the file no longer computes what the network does.
            float[] w = net.parameterValues("head/dense/kernel");
            for (int i = 0; i < w.length; i++) {
                w[i] = -w[i];
            }
            net.setParameter("head/dense/kernel", w);
            OnnxCheckResult r = new OnnxCheck().run(file, net, batches(g, 2, 40, 12).iterator());
            assertFalse(r.passed());
            assertTrue(r.message().contains("FAILED") && r.message().contains("logits differ by up to")
                    && r.message().contains("top-1 agreement"), r.message());
            IllegalStateException e = assertThrows(IllegalStateException.class, r::requirePassed);
            assertEquals(r.message(), e.getMessage());

            // The tolerances are configurable; with limits that accept anything the same comparison passes.
            OnnxCheckResult lenient = new OnnxCheck(new OnnxCheck.Tolerances(1e9, 0))
                    .run(file, net, batches(g, 2, 40, 12).iterator());
            assertTrue(lenient.passed(), lenient.message());
        }
    }

    @Test
    void aCheckGivenFewerImagesThanRequiredFailsSayingSo() throws IOException {
        Graph g = OnnxTestSupport.tinyAllOpsNetwork();
        try (Network net = Network.create(g, 5, Device.cpu())) {
            OnnxTestSupport.randomiseParameters(net, 8);
            Path file = OnnxExporter.export(net, OnnxTestSupport.metadata("tiny"), dir.resolve("tiny.onnx"));
            // What it lets through: every required image compared, on a file that computes what was trained.
            OnnxCheckResult all = new OnnxCheck().run(file, net, batches(g, 2, 40, 12).iterator(), 80);
            assertTrue(all.passed(), all.message());
            // A stream that ended a batch early (40 of 80): the numbers agree, and still the check fails.
            OnnxCheckResult part = new OnnxCheck().run(file, net, batches(g, 1, 40, 12).iterator(), 80);
            assertFalse(part.passed());
            assertEquals(1.0, part.top1Agreement());
            assertTrue(part.message().contains("FAILED: it compared 40 images where 80 were to be compared; it passes"
                    + " only on all of them"), part.message());
            // More than required is as wrong: the batches are not the split the run was to check.
            assertFalse(new OnnxCheck().run(file, net, batches(g, 3, 40, 12).iterator(), 80).passed());
        }
    }

    @Test
    void aFileComputingTheSameNumbersUnderAnotherInputNameOrOutputShapeFailsTheCheck() throws IOException {
        Graph g = OnnxTestSupport.tinyAllOpsNetwork();
        try (Network net = Network.create(g, 5, Device.cpu())) {
            OnnxTestSupport.randomiseParameters(net, 8);
            Path file = OnnxExporter.export(net, OnnxTestSupport.metadata("tiny"), dir.resolve("tiny.onnx"));
            // What it lets through: the file as exported.
            assertTrue(new OnnxCheck().run(file, net, batches(g, 2, 40, 12).iterator()).passed());
            OnnxMl.ModelProto exported = OnnxExporter.read(file);

            // The input renamed: ONNX Runtime is fed by position, so the values were the same and the check passed.
            OnnxMl.GraphProto.Builder renamed = exported.getGraph().toBuilder();
            renamed.setInput(0, renamed.getInput(0).toBuilder().setName("pixels"));
            for (int i = 0; i < renamed.getNodeCount(); i++) {
                OnnxMl.NodeProto.Builder node = renamed.getNode(i).toBuilder();
                for (int j = 0; j < node.getInputCount(); j++) {
                    if (node.getInput(j).equals(OnnxExporter.INPUT_NAME)) {
                        node.setInput(j, "pixels");
                    }
                }
                renamed.setNode(i, node);
            }
            Path renamedFile = dir.resolve("renamed.onnx");
            Files.write(renamedFile, exported.toBuilder().setGraph(renamed).build().toByteArray());
            IllegalStateException byName = assertThrows(IllegalStateException.class,
                    () -> new OnnxCheck().run(renamedFile, net, batches(g, 2, 40, 12).iterator()));
            assertTrue(byName.getMessage().contains("declares inputs [pixels], not one float input 'images'"),
                    byName.getMessage());

            // The logits as (N, 10, 1, 1): the same values in the same order, another shape for users.
            OnnxMl.GraphProto.Builder reshaped = exported.getGraph().toBuilder();
            for (int i = 0; i < reshaped.getNodeCount(); i++) {
                OnnxMl.NodeProto.Builder node = reshaped.getNode(i).toBuilder();
                for (int j = 0; j < node.getOutputCount(); j++) {
                    if (node.getOutput(j).equals(OnnxExporter.OUTPUT_NAME)) {
                        node.setOutput(j, "flat_logits");
                    }
                }
                reshaped.setNode(i, node);
            }
            reshaped.addInitializer(OnnxMl.TensorProto.newBuilder().setName("four_d").addDims(4)
                    .setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber()).addInt64Data(0).addInt64Data(10)
                    .addInt64Data(1).addInt64Data(1));
            reshaped.addNode(OnnxMl.NodeProto.newBuilder().setOpType("Reshape").addInput("flat_logits")
                    .addInput("four_d").addOutput(OnnxExporter.OUTPUT_NAME));
            OnnxMl.TensorShapeProto.Builder fourD = reshaped.getOutput(0).getType().getTensorType().getShape()
                    .toBuilder().addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(1))
                    .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(1));
            OnnxMl.ValueInfoProto.Builder out = reshaped.getOutput(0).toBuilder();
            out.getTypeBuilder().getTensorTypeBuilder().setShape(fourD);
            reshaped.setOutput(0, out);
            Path reshapedFile = dir.resolve("reshaped.onnx");
            Files.write(reshapedFile, exported.toBuilder().setGraph(reshaped).build().toByteArray());
            IllegalStateException byShape = assertThrows(IllegalStateException.class,
                    () -> new OnnxCheck().run(reshapedFile, net, batches(g, 2, 40, 12).iterator()));
            assertTrue(byShape.getMessage().contains("declares output 'logits' as FLOAT [-1, 10, 1, 1]"),
                    byShape.getMessage());
        }
    }

    @Test
    void checkComparesWithTrainedLogitsGivenToIt() throws IOException {
        // cnn:benchmark hands the check the test evaluation's logits instead of running the split again: the
        // check must then judge the file against those, passing the true ones and failing altered ones.
        Graph g = OnnxTestSupport.tinyAllOpsNetwork();
        try (Network net = Network.create(g, 5, Device.cpu())) {
            Path file = OnnxExporter.export(net, OnnxTestSupport.metadata("tiny"), dir.resolve("tiny.onnx"));
            List<OnnxCheck.Batch> given = new ArrayList<>();
            List<OnnxCheck.Batch> altered = new ArrayList<>();
            for (OnnxCheck.Batch b : batches(g, 2, 40, 12)) {
                float[] logits;
                try (ai.djl.ndarray.NDManager m = net.manager().newSubManager()) {
                    logits = net.forward(m.create(b.images(), new Shape(g.inputShape().withBatch(b.size()))), false)
                            .toFloatArray();
                }
                given.add(new OnnxCheck.Batch(b.images(), b.labels(), b.size(), logits));
                float[] off = logits.clone();
                off[3] += 1f;
                altered.add(new OnnxCheck.Batch(b.images(), b.labels(), b.size(), off));
            }
            OnnxCheckResult computed = new OnnxCheck().run(file, net, batches(g, 2, 40, 12).iterator());
            OnnxCheckResult reused = new OnnxCheck().run(file, net, given.iterator());
            assertTrue(reused.passed(), reused.message());
            assertEquals(computed.maxAbsDiff(), reused.maxAbsDiff());
            assertEquals(computed.top1Agreement(), reused.top1Agreement());
            OnnxCheckResult wrong = new OnnxCheck().run(file, net, altered.iterator());
            assertFalse(wrong.passed(), wrong.message());
            IllegalArgumentException tooFew = assertThrows(IllegalArgumentException.class, () -> new OnnxCheck()
                    .run(file, net, List.of(new OnnxCheck.Batch(given.get(0).images(), given.get(0).labels(), 40,
                            new float[10])).iterator()));
            assertTrue(tooFew.getMessage().contains("needs 400 trained logits"), tooFew.getMessage());
        }
    }

    @Test
    void checkRefusesBadInputWithWhatToDo() throws IOException {
        Graph g = OnnxTestSupport.tinyAllOpsNetwork();
        try (Network net = Network.create(g, 5, Device.cpu())) {
            Path file = OnnxExporter.export(net, OnnxTestSupport.metadata("tiny"), dir.resolve("tiny.onnx"));
            OnnxCheck check = new OnnxCheck();
            IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                    () -> check.run(file, net, List.<OnnxCheck.Batch>of().iterator()));
            assertTrue(empty.getMessage().contains("no images"), empty.getMessage());
            IllegalArgumentException shortBatch = assertThrows(IllegalArgumentException.class,
                    () -> check.run(file, net, List.of(new OnnxCheck.Batch(new float[10], new int[2], 2)).iterator()));
            assertTrue(shortBatch.getMessage().contains("needs 384 floats"), shortBatch.getMessage());
            IOException missing = assertThrows(IOException.class,
                    () -> check.run(dir.resolve("absent.onnx"), net, batches(g, 1, 1, 1).iterator()));
            assertTrue(missing.getMessage().contains("export it first"), missing.getMessage());
            Path garbage = Files.writeString(dir.resolve("garbage.onnx"), "not a model");
            IOException unreadable = assertThrows(IOException.class,
                    () -> check.run(garbage, net, batches(g, 1, 1, 1).iterator()));
            assertTrue(unreadable.getMessage().contains("could not load"), unreadable.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new OnnxCheck.Tolerances(0, 0.999));
            assertThrows(IllegalArgumentException.class, () -> new OnnxCheck.Tolerances(1e-4, 1.5));
        }
    }

    @Test
    void timingMeasuresBothEnginesWithConfigurableRuns() throws IOException {
        Graph g = OnnxTestSupport.tinyAllOpsNetwork();
        try (Network net = Network.create(g, 5, Device.cpu())) {
            Path file = OnnxExporter.export(net, OnnxTestSupport.metadata("tiny"), dir.resolve("tiny.onnx"));
            InferenceTiming.Result r = InferenceTiming.measure(net, file, new InferenceTiming.Settings(1, 3, 2, 16));
            for (InferenceTiming.EngineTiming t : List.of(r.pytorch(), r.onnxRuntime())) {
                assertTrue(t.latencyMs() > 0 && Double.isFinite(t.latencyMs()), t.toString());
                assertTrue(t.throughputImagesPerSecond() > 0 && Double.isFinite(t.throughputImagesPerSecond()),
                        t.toString());
            }
            assertEquals("PyTorch", r.pytorch().engine());
            assertEquals("OnnxRuntime", r.onnxRuntime().engine());
            assertEquals(Set.of("pytorch_latency_ms_batch1", "pytorch_images_per_second_batch256", "onnx_latency_ms_batch1",
                    "onnx_images_per_second_batch256"),
                    r.columns().keySet());
            assertThrows(IllegalArgumentException.class, () -> new InferenceTiming.Settings(0, 0, 1, 256));
            assertEquals(Engines.cpuThreads(), r.onnxRuntimeThreads(), "ONNX Runtime is timed with the engine's threads");
        }
    }

    @Test
    void runtimeSessionsUseTheThreadCountTheyAreGivenAndComputeTheSameWithAny() throws IOException {
        Graph g = OnnxTestSupport.tinyAllOpsNetwork();
        try (Network net = Network.create(g, 5, Device.cpu())) {
            Path file = OnnxExporter.export(net, OnnxTestSupport.metadata("tiny"), dir.resolve("tiny.onnx"));
            float[] images = batches(g, 1, 32, 9).get(0).images();
            Shape shape = new Shape(g.inputShape().withBatch(32));
            try (OnnxRuntimeModel one = OnnxRuntimeModel.load(file, 1);
                 OnnxRuntimeModel two = OnnxRuntimeModel.load(file, 2);
                 OnnxRuntimeModel usual = OnnxRuntimeModel.load(file)) {
                assertEquals(1, one.intraOpThreads());
                assertEquals(2, two.intraOpThreads());
                assertEquals(Runtime.getRuntime().availableProcessors(), usual.intraOpThreads());
                float[] a = one.forward(images, shape);
                float[] b = two.forward(images, shape);
                for (int i = 0; i < a.length; i++) {
                    assertEquals(a[i], b[i], 1e-5f * Math.max(1f, Math.abs(a[i])), "logit " + i);
                }
            }
            assertEquals(Map.of("intraOpNumThreads", "3", "interOpNumThreads", "1", "optLevel", "ALL_OPT"),
                    OnnxRuntimeModel.sessionOptions(3));
            IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                    () -> OnnxRuntimeModel.load(file, 0));
            assertTrue(none.getMessage().contains("at least one intra-op thread"), none.getMessage());
        }
    }

    /** {@code count} batches of {@code size} random normalised images with random labels. */
    static List<OnnxCheck.Batch> batches(Graph g, int count, int size, long seed) {
        int perImage = Math.toIntExact(g.inputShape().size());
        Random r = new Random(seed);
        List<OnnxCheck.Batch> list = new ArrayList<>();
        for (int b = 0; b < count; b++) {
            int[] labels = new int[size];
            for (int i = 0; i < size; i++) {
                labels[i] = r.nextInt(10);
            }
            list.add(new OnnxCheck.Batch(Fixtures.gaussian(size * perImage, seed * 100 + b, 1.0), labels, size));
        }
        return list;
    }

    /** Accuracy of the network itself on the batches; the ONNX model agrees on every image here. */
    private static double expectedAccuracy(Network net, List<OnnxCheck.Batch> batches) {
        long correct = 0;
        long total = 0;
        for (Iterator<OnnxCheck.Batch> it = batches.iterator(); it.hasNext(); ) {
            OnnxCheck.Batch b = it.next();
            try (ai.djl.ndarray.NDManager m = net.manager().newSubManager()) {
                ai.djl.ndarray.NDArray logits = net.forward(m.create(b.images(),
                        new ai.djl.ndarray.types.Shape(net.graph().inputShape().withBatch(b.size()))), false);
                long[] best = logits.argMax(1).toLongArray();
                for (int i = 0; i < b.size(); i++) {
                    correct += best[i] == b.labels()[i] ? 1 : 0;
                }
            }
            total += b.size();
        }
        return (double) correct / total;
    }

    private static String dims(OnnxMl.ValueInfoProto v) {
        List<String> d = new ArrayList<>();
        for (OnnxMl.TensorShapeProto.Dimension x : v.getType().getTensorType().getShape().getDimList()) {
            d.add(x.hasDimParam() ? x.getDimParam() : Long.toString(x.getDimValue()));
        }
        return d.toString();
    }

    private static List<Long> toList(int[] a) {
        List<Long> l = new ArrayList<>();
        for (int x : a) {
            l.add((long) x);
        }
        return l;
    }
}
