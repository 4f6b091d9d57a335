package io.cnnbench.api.graph;

/**
 * One parameter of an operation: its name (stable, derived from the graph's structure, shared by every
 * back end and by exported files), its role, shape and initialisation.
 *
 * @param fanIn  inputs feeding one output unit, for the initialiser
 * @param fanOut outputs fed by one input unit, for the initialiser
 */
public record ParamSpec(String name, Kind kind, Dims shape, Init init, int fanIn, int fanOut) {

    public enum Kind {
        WEIGHT("kernel"), BIAS("bias"), GAMMA("gamma"), BETA("beta"),
        RUNNING_MEAN("moving_mean"), RUNNING_VAR("moving_variance");

        private final String suffix;

        Kind(String suffix) {
            this.suffix = suffix;
        }

        /** The Keras-style last component of a parameter name. */
        public String suffix() {
            return suffix;
        }

        /** Running statistics are state, not trained: Keras does not count them as trainable parameters. */
        public boolean trainable() {
            return this != RUNNING_MEAN && this != RUNNING_VAR;
        }
    }

    public long size() {
        return shape.size();
    }

    public boolean trainable() {
        return kind.trainable();
    }
}
