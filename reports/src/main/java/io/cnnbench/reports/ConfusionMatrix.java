package io.cnnbench.reports;

import java.util.List;

/** Test images counted by true class (rows) and predicted class (columns), with the class names. */
public record ConfusionMatrix(List<String> classNames, long[][] counts) {
    public ConfusionMatrix {
        classNames = List.copyOf(classNames);
    }
}
