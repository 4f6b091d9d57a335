package io.cnnbench.core.ops;

import io.cnnbench.api.graph.Op;

/** Maps each operation to its kernel; the operation set is sealed, so this is complete. */
public final class Kernels {
    private Kernels() {
    }

    @SuppressWarnings("unchecked")
    public static <O extends Op> OpKernel<O> of(O op) {
        OpKernel<?> k;
        if (op instanceof Op.Conv2d) {
            k = Conv2dKernel.INSTANCE;
        } else if (op instanceof Op.BatchNorm) {
            k = BatchNormKernel.INSTANCE;
        } else if (op instanceof Op.Activation) {
            k = ActivationKernel.INSTANCE;
        } else if (op instanceof Op.Add) {
            k = AddKernel.INSTANCE;
        } else if (op instanceof Op.SumPaths) {
            k = SumPathsKernel.INSTANCE;
        } else if (op instanceof Op.Multiply) {
            k = MultiplyKernel.INSTANCE;
        } else if (op instanceof Op.GlobalAvgPool) {
            k = GlobalAvgPoolKernel.INSTANCE;
        } else if (op instanceof Op.Dense) {
            k = DenseKernel.INSTANCE;
        } else if (op instanceof Op.Dropout) {
            k = DropoutKernel.INSTANCE;
        } else if (op instanceof Op.Reshape) {
            k = ReshapeKernel.INSTANCE;
        } else {
            throw new IllegalArgumentException("no kernel for " + op.displayName() + " (the input has none)");
        }
        return (OpKernel<O>) k;
    }
}
