package io.cnnbench.core.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import io.cnnbench.api.graph.ParamSpec;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Initial values drawn in Java from (seed, parameter name), so the starting weights are the same on CPU and
 * GPU, across engine versions and whatever order parameters are created in.
 */
final class SeededInitializer implements Initializer {
    private final ParamSpec spec;
    private final long seed;

    SeededInitializer(ParamSpec spec, long seed) {
        this.spec = spec;
        this.seed = seed;
    }

    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        return manager.create(values(spec, seed), shape).toType(dataType, false);
    }

    static float[] values(ParamSpec spec, long seed) {
        float[] v = new float[Math.toIntExact(spec.size())];
        SplittableRandom rnd = new SplittableRandom(seed ^ fnv1a(spec.name()));
        switch (spec.init()) {
            case ZEROS:
                break;
            case ONES:
                java.util.Arrays.fill(v, 1f);
                break;
            case GLOROT_UNIFORM: {
                double limit = Math.sqrt(6.0 / (spec.fanIn() + spec.fanOut()));
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) ((rnd.nextDouble() * 2 - 1) * limit);
                }
                break;
            }
            case HE_NORMAL_FAN_OUT: {
                double std = Math.sqrt(2.0 / spec.fanOut());
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (rnd.nextGaussian() * std);
                }
                break;
            }
            case NORMAL_001:
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (rnd.nextGaussian() * 0.01);
                }
                break;
            default:
                throw new IllegalArgumentException("unknown initialiser " + spec.init());
        }
        return v;
    }

    /** A stable 64-bit string hash (String.hashCode is only 32 bits). */
    private static long fnv1a(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
