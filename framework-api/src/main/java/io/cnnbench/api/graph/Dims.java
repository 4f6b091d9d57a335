package io.cnnbench.api.graph;

import java.util.Arrays;

/**
 * The shape of one example, without the batch axis: {@code (C, H, W)} for feature maps,
 * {@code (F)} for vectors. Immutable.
 */
public final class Dims {
    private final int[] dims;

    private Dims(int[] dims) {
        for (int d : dims) {
            if (d <= 0) {
                throw new IllegalArgumentException("every dimension must be positive: " + Arrays.toString(dims));
            }
        }
        this.dims = dims.clone();
    }

    public static Dims of(int... dims) {
        return new Dims(dims);
    }

    public int rank() {
        return dims.length;
    }

    public int get(int axis) {
        return dims[axis];
    }

    /** Channels of a {@code (C, H, W)} map, or features of a vector. */
    public int channels() {
        return dims[0];
    }

    public int height() {
        requireRank(3);
        return dims[1];
    }

    public int width() {
        requireRank(3);
        return dims[2];
    }

    public long size() {
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    public int[] toArray() {
        return dims.clone();
    }

    /** The shape with a leading batch axis of the given size. */
    public long[] withBatch(long batch) {
        long[] out = new long[dims.length + 1];
        out[0] = batch;
        for (int i = 0; i < dims.length; i++) {
            out[i + 1] = dims[i];
        }
        return out;
    }

    private void requireRank(int rank) {
        if (dims.length != rank) {
            throw new IllegalStateException("expected a rank-" + rank + " shape, got " + this);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Dims other && Arrays.equals(dims, other.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** Keras style: {@code (None, 32, 28, 28)}. */
    public String withBatchToString() {
        StringBuilder sb = new StringBuilder("(None");
        for (int d : dims) {
            sb.append(", ").append(d);
        }
        return sb.append(')').toString();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(dims[i]);
        }
        return sb.append(dims.length == 1 ? ",)" : ")").toString();
    }
}
