package io.cnnbench.core;

/** Straightforward Java versions of operations, to check the engines against. */
final class ReferenceOps {
    private ReferenceOps() {
    }

    /** NCHW convolution, square kernel, zero padding given as (top, left) with the rest implied by stride. */
    static float[] conv2d(float[] x, int n, int c, int h, int w, float[] weight, float[] bias, int filters, int k,
                          int stride, int groups, int padTop, int padLeft) {
        int outH = (h + stride - 1) / stride;
        int outW = (w + stride - 1) / stride;
        if (stride == 1) {
            outH = h;
            outW = w;
        }
        int inPerGroup = c / groups;
        int outPerGroup = filters / groups;
        float[] out = new float[n * filters * outH * outW];
        for (int b = 0; b < n; b++) {
            for (int f = 0; f < filters; f++) {
                int group = f / outPerGroup;
                for (int oy = 0; oy < outH; oy++) {
                    for (int ox = 0; ox < outW; ox++) {
                        double s = bias == null ? 0 : bias[f];
                        for (int ic = 0; ic < inPerGroup; ic++) {
                            int ch = group * inPerGroup + ic;
                            for (int ky = 0; ky < k; ky++) {
                                for (int kx = 0; kx < k; kx++) {
                                    int iy = oy * stride + ky - padTop;
                                    int ix = ox * stride + kx - padLeft;
                                    if (iy < 0 || ix < 0 || iy >= h || ix >= w) {
                                        continue;
                                    }
                                    s += x[((b * c + ch) * h + iy) * w + ix]
                                            * weight[((f * inPerGroup + ic) * k + ky) * k + kx];
                                }
                            }
                        }
                        out[((b * filters + f) * outH + oy) * outW + ox] = (float) s;
                    }
                }
            }
        }
        return out;
    }
}
