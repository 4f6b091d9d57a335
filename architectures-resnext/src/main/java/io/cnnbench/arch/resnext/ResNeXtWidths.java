package io.cnnbench.arch.resnext;

import io.cnnbench.api.graph.Init;
import io.cnnbench.api.spi.OptionSpec;
import io.cnnbench.api.spi.Options;
import java.util.List;

/** The width rules shared by both ResNeXt blocks, read from the architecture's options. */
record ResNeXtWidths(int cardinality, int squeezeDims) {

    /** The options {@link #of} reads, declared by both ResNeXt blocks. */
    static final List<OptionSpec> OPTIONS = List.of(
            OptionSpec.ofInt("cardinality", 8, "number of parallel paths (groups of the 3x3 convolution)"),
            OptionSpec.ofDouble("squeezeRatio", 0.25, "bottleneck width per path as a fraction of the output width,"
                    + " in (0, 1]"),
            OptionSpec.ofBoolean("notebookSqueeze", true, "divide the squeeze width by 4 again once the output has"
                    + " 64 or more channels, as the notebook did"),
            OptionSpec.ofBoolean("zeroInitResidual", false, "start the residual branch's last batch-norm scale at 0,"
                    + " so each block starts as the identity (the notebook's init starts at a loss near 12;"
                    + " docs/regression-tracking.md)"));

    /** The initial scale of the residual branch's last batch-norm, from the {@code zeroInitResidual} option. */
    static Init lastBatchNormScale(Options options) {
        return options.getBoolean("zeroInitResidual", false) ? Init.ZEROS : Init.ONES;
    }

    /**
     * The notebook's squeeze rule: {@code d = expand // (1 / ratio)}, then {@code d //= 4} again once
     * {@code expand >= 64} (so 32→8, 64→4, 128→8 with ratio 0.25). {@code notebookSqueeze=false} drops the
     * second division.
     */
    static ResNeXtWidths of(int expandDims, Options options) {
        int cardinality = options.getInt("cardinality", 8);
        double ratio = options.getDouble("squeezeRatio", 0.25);
        if (cardinality < 1 || !(ratio > 0 && ratio <= 1)) {
            throw new IllegalArgumentException("cardinality must be >= 1 and squeezeRatio in (0, 1], got "
                    + cardinality + " and " + ratio);
        }
        int d = (int) pythonFloorDivide(expandDims, 1.0 / ratio);
        if (options.getBoolean("notebookSqueeze", true) && expandDims >= 64) {
            d = d / 4;
        }
        if (d < 1) {
            throw new IllegalArgumentException("squeeze width for " + expandDims + " output channels is " + d
                    + "; raise squeezeRatio or the width");
        }
        return new ResNeXtWidths(cardinality, d);
    }

    /**
     * Python's {@code a // b} for floats, as CPython computes it (from {@code fmod}, not {@code floor(a / b)}): the
     * two differ where the quotient rounds up to a whole number, e.g. {@code 40 // (1 / 0.3)} is 11 in Python while
     * {@code floor(40 / (1 / 0.3))} is 12, and the notebook's widths are Python's.
     */
    static double pythonFloorDivide(double a, double b) {
        double mod = a % b; // Java's remainder on doubles is C's fmod
        double div = (a - mod) / b;
        if (mod != 0 && (b < 0) != (mod < 0)) {
            div -= 1.0;
        }
        if (div == 0) {
            return Math.copySign(0.0, a / b);
        }
        double floor = Math.floor(div);
        return div - floor > 0.5 ? floor + 1.0 : floor;
    }

    int pathsWidth() {
        return cardinality * squeezeDims;
    }
}
