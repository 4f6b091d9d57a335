package io.cnnbench.arch.mobilenetv3;

import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.graph.Tensor;
import java.util.Locale;

/** The paper's NL column: ReLU ("RE") in the early layers, hard-swish ("HS") in the later ones. */
enum Nonlinearity {
    RELU("relu"), HARD_SWISH("hswish");

    final String optionValue;

    Nonlinearity(String optionValue) {
        this.optionValue = optionValue;
    }

    Tensor apply(Graph g, Tensor x) {
        return this == RELU ? g.relu(x) : g.hardSwish(x);
    }

    /** Reads option {@code activation}: {@code relu} or {@code hswish} (the paper's RE and HS are accepted too). */
    static Nonlinearity parse(String value) {
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "relu":
            case "re":
                return RELU;
            case "hswish":
            case "hard-swish":
            case "hs":
                return HARD_SWISH;
            default:
                throw new IllegalArgumentException("option 'activation' must be relu or hswish (the paper's RE or HS),"
                        + " got '" + value + "'");
        }
    }
}
