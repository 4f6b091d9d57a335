package io.cnnbench.core.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.cnnbench.api.graph.ConvSpec;
import io.cnnbench.api.graph.Dims;
import io.cnnbench.api.graph.Graph;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The layout check's verdict matches the truth on whatever CPU runs the test: a 1×1 convolution with 40 output
 * channels, the shape libtorch 2.7.1 computes wrongly in channels-last on an AMD Zen 5 and rightly on the Intel
 * Xeons measured, is checked against a plain loop ({@link LayoutCheck#knownDefectPresent}); run on oneDNN's kernel,
 * where channels-last is wrong here the check must say so, and where it is right the check must let it through.
 * The route around the kernel (a matrix product) must agree with NCHW on every CPU, and the network as built for
 * training (routed where the defect shows) must pass. A graph of shapes right on every CPU measured must pass.
 */
class LayoutCheckTest {
    private static final int IN = 96;
    private static final int OUT = 40;
    private static final int SIZE = 7;

    private static Graph graph(String name, int out) {
        Graph g = new Graph(name, Dims.of(IN, SIZE, SIZE));
        g.setOutput(g.conv2d(g.input(), ConvSpec.of(out, 1)));
        return g;
    }

    @Test
    void theVerdictOnA40ChannelPointwiseConvolutionMatchesAPlainLoop() {
        Engines.pytorch();
        boolean channelsLastIsWrong = LayoutCheck.knownDefectPresent();
        Graph g = graph("pointwise-40", OUT);
        Optional<String> verdict = LayoutCheck.compare(g, Device.cpu(), true, false);
        assertEquals(channelsLastIsWrong, verdict.isPresent(), "libtorch's channels-last 1x1 convolution is "
                + (channelsLastIsWrong ? "wrong" : "right") + " on this CPU, the check said " + verdict);
        verdict.ifPresent(v -> assertTrue(v.startsWith("logits off by"), v));
    }

    @Test
    void theMatrixProductRouteAgreesWithNchwEverywhereAndTheTrainingNetworkPasses() {
        for (int out : new int[] {40, 72, 64}) {
            Graph g = graph("pointwise-" + out, out);
            assertEquals(Optional.empty(), LayoutCheck.compare(g, Device.cpu(), true, true), out + " channels");
            assertEquals(Optional.empty(), LayoutCheck.disagreement(g, Device.cpu(), true), out + " channels");
        }
        Graph withBias = new Graph("pointwise-bias", Dims.of(16, 5, 5));
        withBias.setOutput(withBias.conv2d(withBias.input(), ConvSpec.of(24, 1).bias(true)));
        assertEquals(Optional.empty(), LayoutCheck.compare(withBias, Device.cpu(), true, true));
    }

    @Test
    void aGraphOfShapesRightEverywherePasses() {
        Graph g = graph("pointwise-64", 64);
        assertEquals(Optional.empty(), LayoutCheck.disagreement(g, Device.cpu(), true));
    }
}
