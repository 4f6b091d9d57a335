package io.cnnbench.arch.mobilenetv3;

import static io.cnnbench.arch.mobilenetv3.Nonlinearity.HARD_SWISH;
import static io.cnnbench.arch.mobilenetv3.Nonlinearity.RELU;

import io.cnnbench.api.graph.Dims;
import io.cnnbench.api.spi.ArchitectureProvider;
import io.cnnbench.api.spi.ArchitectureSpec;
import io.cnnbench.api.spi.Options;
import io.cnnbench.api.spi.StageTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The registered MobileNetV3 architectures: one skeleton (stem, the bneck rows of a stage table, the efficient
 * last stage) and the paper's two tables. The {@code -224} variants are the paper's layouts at 224×224 for
 * 1,000 classes, kept to prove the structure against torchvision's parameter counts; the plain names are the
 * CIFAR adaptations that keep 28×28 inputs from being reduced to nothing (see the module README).
 */
public final class MobileNetV3Architectures {
    static final String PAPER = "Howard et al., Searching for MobileNetV3, arXiv 1905.02244";
    /** The stem's width in both tables (the first row's "#out"). */
    static final int STEM_DIMS = 16;

    /**
     * One bneck row of Table 1 or 2, with the paper's columns.
     *
     * @param kernel     the depthwise kernel (the "Operator" column: bneck, 3×3 or 5×5)
     * @param expandDims "exp size"
     * @param outDims    "#out"
     * @param se         "SE"
     * @param nl         "NL"
     * @param stride     "s"
     */
    record Bneck(int kernel, int expandDims, int outDims, boolean se, Nonlinearity nl, int stride) {
        StageTable.Stage stage(int withStride) {
            return new StageTable.Stage(outDims, withStride == 2, Options.of("kernel", Integer.toString(kernel),
                    "expandDims", Integer.toString(expandDims), "se", Boolean.toString(se),
                    "activation", nl.optionValue));
        }
    }

    /** Table 1, MobileNetV3-Large: the rows between the stem and the last stage. */
    static final List<Bneck> LARGE = List.of(
            new Bneck(3, 16, 16, false, RELU, 1),
            new Bneck(3, 64, 24, false, RELU, 2),
            new Bneck(3, 72, 24, false, RELU, 1),
            new Bneck(5, 72, 40, true, RELU, 2),
            new Bneck(5, 120, 40, true, RELU, 1),
            new Bneck(5, 120, 40, true, RELU, 1),
            new Bneck(3, 240, 80, false, HARD_SWISH, 2),
            new Bneck(3, 200, 80, false, HARD_SWISH, 1),
            new Bneck(3, 184, 80, false, HARD_SWISH, 1),
            new Bneck(3, 184, 80, false, HARD_SWISH, 1),
            new Bneck(3, 480, 112, true, HARD_SWISH, 1),
            new Bneck(3, 672, 112, true, HARD_SWISH, 1),
            new Bneck(5, 672, 160, true, HARD_SWISH, 2),
            new Bneck(5, 960, 160, true, HARD_SWISH, 1),
            new Bneck(5, 960, 160, true, HARD_SWISH, 1));

    /** Table 2, MobileNetV3-Small: the rows between the stem and the last stage. */
    static final List<Bneck> SMALL = List.of(
            new Bneck(3, 16, 16, true, RELU, 2),
            new Bneck(3, 72, 24, false, RELU, 2),
            new Bneck(3, 88, 24, false, RELU, 1),
            new Bneck(5, 96, 40, true, HARD_SWISH, 2),
            new Bneck(5, 240, 40, true, HARD_SWISH, 1),
            new Bneck(5, 240, 40, true, HARD_SWISH, 1),
            new Bneck(5, 120, 48, true, HARD_SWISH, 1),
            new Bneck(5, 144, 48, true, HARD_SWISH, 1),
            new Bneck(5, 288, 96, true, HARD_SWISH, 2),
            new Bneck(5, 576, 96, true, HARD_SWISH, 1),
            new Bneck(5, 576, 96, true, HARD_SWISH, 1));

    /** The width of the pooled "conv2d 1×1, NBN" layer: 1280 in Table 1, 1024 in Table 2. */
    static final int LARGE_HEAD_DIMS = 1280;
    static final int SMALL_HEAD_DIMS = 1024;

    /**
     * The CIFAR adaptation: the stem and the first stride-2 row of each table run at stride 1, so the network
     * downsamples 8× instead of 32× and a 28×28 input ends at 4×4 instead of 1×1.
     */
    static final Set<Integer> SMALL_CIFAR_STRIDE1_ROWS = Set.of(0);
    static final Set<Integer> LARGE_CIFAR_STRIDE1_ROWS = Set.of(1);

    private MobileNetV3Architectures() {
    }

    /** The rows as a stage table, with the rows in {@code stride1Rows} run at stride 1. */
    static StageTable stageTable(List<Bneck> rows, Set<Integer> stride1Rows) {
        List<StageTable.Stage> stages = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            stages.add(rows.get(i).stage(stride1Rows.contains(i) ? 1 : rows.get(i).stride()));
        }
        return new StageTable(stages);
    }

    /** The paper's layout at 224×224 for 1,000 classes, with torchvision's batch-norm (eps 0.001, momentum 0.01). */
    static ArchitectureSpec.Builder paperLayout(String name, List<Bneck> rows, int headDims) {
        return ArchitectureSpec.builder(name)
                .paper(PAPER)
                .tail(MobileNetV3Stem.NAME).block(MobileNetV3Block.NAME).head(MobileNetV3Head.NAME)
                .inputShape(Dims.of(3, 224, 224))
                .numClasses(1000)
                .startDims(STEM_DIMS)
                .body(stageTable(rows, Set.of()))
                // PyTorch's momentum 0.01 is Keras' 0.99 (running = 0.99·running + 0.01·batch).
                .options(Options.of("alpha", "1.0", "stemStride", "2", "headDims", Integer.toString(headDims),
                        "dropout", "0.2", "bnMomentum", "0.99", "bnEpsilon", "0.001"));
    }

    /**
     * The CIFAR adaptation on the notebook's 28×28 crops and 10 classes, with the notebook's batch-norm
     * (momentum 0.9, eps 0.001), which settles its running statistics within the first epoch.
     */
    static ArchitectureSpec.Builder cifarLayout(String name, List<Bneck> rows, Set<Integer> stride1Rows,
                                                int headDims) {
        return ArchitectureSpec.builder(name)
                .paper(PAPER)
                .tail(MobileNetV3Stem.NAME).block(MobileNetV3Block.NAME).head(MobileNetV3Head.NAME)
                .inputShape(Dims.of(3, 28, 28))
                .numClasses(10)
                .startDims(STEM_DIMS)
                .body(stageTable(rows, stride1Rows))
                .options(Options.of("alpha", "1.0", "stemStride", "1", "headDims", Integer.toString(headDims),
                        "dropout", "0.2", "bnMomentum", "0.9", "bnEpsilon", "0.001"));
    }

    /** MobileNetV3-Small for CIFAR-10: 1,528,106 parameters, 14.9 M multiply-accumulates per 28×28 image. */
    public static final class Small implements ArchitectureProvider {
        @Override
        public ArchitectureSpec spec() {
            return cifarLayout("mobilenetv3-small", SMALL, SMALL_CIFAR_STRIDE1_ROWS, SMALL_HEAD_DIMS)
                    .description("MobileNetV3-Small (Table 2) for 28x28 CIFAR-10: stem and first bneck at stride 1"
                            + " (8x downsampling, 4x4 last map)")
                    .expectedTrainableParameters(1_528_106)
                    .build();
        }
    }

    /** MobileNetV3-Large for CIFAR-10: 4,214,842 parameters, 55.1 M multiply-accumulates per 28×28 image. */
    public static final class Large implements ArchitectureProvider {
        @Override
        public ArchitectureSpec spec() {
            return cifarLayout("mobilenetv3-large", LARGE, LARGE_CIFAR_STRIDE1_ROWS, LARGE_HEAD_DIMS)
                    .description("MobileNetV3-Large (Table 1) for 28x28 CIFAR-10: stem and first stride-2 bneck at"
                            + " stride 1 (8x downsampling, 4x4 last map)")
                    .expectedTrainableParameters(4_214_842)
                    .build();
        }
    }

    /** The paper's MobileNetV3-Small: torchvision's {@code mobilenet_v3_small} count, 2,542,856. */
    public static final class Small224 implements ArchitectureProvider {
        @Override
        public ArchitectureSpec spec() {
            return paperLayout("mobilenetv3-small-224", SMALL, SMALL_HEAD_DIMS)
                    .description("MobileNetV3-Small as in Table 2: 224x224, 1000 classes (structure check against"
                            + " torchvision's count)")
                    .expectedTrainableParameters(2_542_856)
                    .build();
        }
    }

    /** The paper's MobileNetV3-Large: torchvision's {@code mobilenet_v3_large} count, 5,483,032. */
    public static final class Large224 implements ArchitectureProvider {
        @Override
        public ArchitectureSpec spec() {
            return paperLayout("mobilenetv3-large-224", LARGE, LARGE_HEAD_DIMS)
                    .description("MobileNetV3-Large as in Table 1: 224x224, 1000 classes (structure check against"
                            + " torchvision's count)")
                    .expectedTrainableParameters(5_483_032)
                    .build();
        }
    }
}
