package io.cnnbench.reports;

/** One row of per_class.csv: how many test images of a class were recognised. */
public record ClassAccuracy(String className, long correct, long total, double accuracy) {
}
