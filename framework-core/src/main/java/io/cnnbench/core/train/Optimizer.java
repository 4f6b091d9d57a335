package io.cnnbench.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Updates trainable parameters in place from their gradients, then clears the gradients. The state (moments,
 * step count) is ours, not DJL's, so a checkpoint can save it and a resumed run continues exactly.
 */
public abstract class Optimizer {
    protected final List<Parameter> params = new ArrayList<>();
    /** Per-parameter state arrays, created up front (outside any per-step scope), by state name. */
    protected final Map<String, NDArray> state = new LinkedHashMap<>();
    protected long step;

    protected Optimizer(List<Parameter> all) {
        for (Parameter p : all) {
            if (p.requiresGradient()) {
                params.add(p);
            }
        }
    }

    /** {@code adam} (Keras semantics) or {@code sgd} (momentum, optional Nesterov). */
    /** Fails unless {@code name} is an optimizer {@link #create} knows. */
    public static void checkName(String name) {
        String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
        if (!n.equals("adam") && !n.equals("sgd")) {
            throw new IllegalArgumentException("cnn.optimizer must be adam or sgd, got '" + name + "'");
        }
    }

    public static Optimizer create(String name, List<Parameter> params, double momentum, boolean nesterov,
                                   double weightDecay) {
        checkName(name);
        switch (name.toLowerCase(Locale.ROOT)) {
            case "adam":
                return new Adam(params, weightDecay);
            case "sgd":
                return new Sgd(params, momentum, nesterov, weightDecay);
            default:
                throw new IllegalArgumentException("cnn.optimizer must be adam or sgd, got '" + name + "'");
        }
    }

    /** One update with learning rate {@code lr}; call inside an NDScope so temporaries are freed. */
    public final void update(double lr) {
        step++;
        updateAll(lr);
    }

    /** Updates every parameter and clears its gradient; {@link #step} is already this update's number. */
    protected void updateAll(double lr) {
        for (Parameter p : params) {
            NDArray w = p.getArray();
            NDArray g = w.getGradient();
            apply(p.getName(), w, g, lr);
            g.muli(0); // torch accumulates gradients: clear for the next batch
        }
    }

    protected abstract void apply(String name, NDArray weight, NDArray grad, double lr);

    public long step() {
        return step;
    }

    public Map<String, NDArray> state() {
        return state;
    }

    /** Restores state saved by a checkpoint. */
    public void restore(long savedStep, Map<String, float[]> saved) {
        if (!saved.keySet().equals(state.keySet())) {
            throw new IllegalStateException("the checkpoint's optimizer state does not match this optimizer");
        }
        this.step = savedStep;
        for (Map.Entry<String, float[]> e : saved.entrySet()) {
            state.get(e.getKey()).set(e.getValue());
        }
    }

    protected NDArray newState(Parameter p, String kind) {
        NDArray a = p.getArray().zerosLike();
        state.put(p.getName() + "#" + kind, a);
        return a;
    }

    /** Keras' Adam: epsilon 1e-7 outside the square root, bias correction folded into the step size. */
    static final class Adam extends Optimizer {
        private static final double BETA1 = 0.9;
        private static final double BETA2 = 0.999;
        private static final double EPSILON = 1e-7;
        private final double weightDecay;
        private final Map<String, NDArray[]> moments = new LinkedHashMap<>();
        private final LibtorchAdam oneCall;

        Adam(List<Parameter> all, double weightDecay) {
            this(all, weightDecay, LibtorchAdam.shared());
        }

        /**
         * {@code oneCall}: libtorch's fused kernel for all parameters at once; null: each parameter updated by its own
         * DJL operations (the fallback, and the test's reference).
         */
        Adam(List<Parameter> all, double weightDecay, LibtorchAdam oneCall) {
            super(all);
            this.weightDecay = weightDecay;
            this.oneCall = oneCall;
            for (Parameter p : params) {
                moments.put(p.getName(), new NDArray[] {newState(p, "m"), newState(p, "v")});
            }
        }

        @Override
        protected void updateAll(double lr) {
            if (oneCall == null) {
                super.updateAll(lr);
                return;
            }
            List<NDArray> weights = new ArrayList<>(params.size());
            List<NDArray> grads = new ArrayList<>(params.size());
            List<NDArray> m = new ArrayList<>(params.size());
            List<NDArray> v = new ArrayList<>(params.size());
            for (Parameter p : params) {
                NDArray w = p.getArray();
                weights.add(w);
                grads.add(w.getGradient());
                NDArray[] mv = moments.get(p.getName());
                m.add(mv[0]);
                v.add(mv[1]);
            }
            oneCall.update(weights, grads, m, v, step, lr, BETA1, BETA2, EPSILON, weightDecay);
        }

        /** The learning rate with Keras' bias correction folded in. */
        private double stepSize(double lr) {
            return lr * Math.sqrt(1 - Math.pow(BETA2, step)) / (1 - Math.pow(BETA1, step));
        }

        @Override
        protected void apply(String name, NDArray w, NDArray g, double lr) {
            NDArray[] mv = moments.get(name);
            if (weightDecay > 0) {
                g = g.add(w.mul(weightDecay));
            }
            mv[0].muli(BETA1).addi(g.mul(1 - BETA1));
            mv[1].muli(BETA2).addi(g.square().muli(1 - BETA2));
            w.subi(mv[0].div(mv[1].sqrt().addi(EPSILON)).muli(stepSize(lr)));
        }
    }

    /** SGD with momentum as PyTorch defines it (velocity accumulates gradients; Nesterov looks ahead). */
    static final class Sgd extends Optimizer {
        private final double momentum;
        private final boolean nesterov;
        private final double weightDecay;
        private final Map<String, NDArray> velocity = new LinkedHashMap<>();

        Sgd(List<Parameter> all, double momentum, boolean nesterov, double weightDecay) {
            super(all);
            this.momentum = momentum;
            this.nesterov = nesterov;
            this.weightDecay = weightDecay;
            if (momentum > 0) {
                for (Parameter p : params) {
                    velocity.put(p.getName(), newState(p, "velocity"));
                }
            }
        }

        @Override
        protected void apply(String name, NDArray w, NDArray g, double lr) {
            if (weightDecay > 0) {
                g = g.add(w.mul(weightDecay));
            }
            NDArray direction = g;
            if (momentum > 0) {
                NDArray v = velocity.get(name);
                v.muli(momentum).addi(g);
                direction = nesterov ? g.add(v.mul(momentum)) : v;
            }
            w.subi(direction.mul(lr));
        }
    }
}
