package io.cnnbench.core.train;

import io.cnnbench.api.graph.ConvSpec;
import io.cnnbench.api.graph.Dims;
import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.graph.Tensor;
import io.cnnbench.cifar.ImageSet;
import java.util.Random;

/** Small learnable CIFAR-shaped data and a tiny network, for fast training tests. */
public final class SyntheticImages {
    private SyntheticImages() {
    }

    /** Class k sets red to level k % 5 and green to level k / 5, plus noise: learnable in a few epochs. */
    public static ImageSet make(int n, long seed) {
        Random r = new Random(seed);
        byte[] pixels = new byte[n * 3072];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int k = i % 10;
            labels[i] = (byte) k;
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        int level = c == 0 ? k % 5 : c == 1 ? (k / 5) * 3 : 2;
                        int v = 20 + 40 * level + r.nextInt(40);
                        pixels[i * 3072 + c * 1024 + y * 32 + x] = (byte) Math.min(255, v);
                    }
                }
            }
        }
        return new ImageSet(pixels, labels);
    }

    public static Graph tinyNetwork() {
        Graph g = new Graph("tiny", Dims.of(3, 28, 28));
        Tensor x = g.relu(g.batchNorm(g.conv2d(g.input(), ConvSpec.of(8, 3).stride(2))));
        x = g.relu(g.batchNorm(g.conv2d(x, ConvSpec.of(16, 3).stride(2))));
        x = g.dropout(g.globalAvgPool(x, false), 0.1);
        g.setOutput(g.dense(x, 10, true));
        return g;
    }
}
