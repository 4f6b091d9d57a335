package io.cnnbench.core.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What an exported model says about itself beyond its graph, so a consumer can use it without this project:
 * which architecture, which build, how well it did, and how to prepare an image for it. The exporter adds
 * what it reads from the graph (trainable parameters, input layout).
 *
 * @param architecture     the architecture's name (e.g. {@code resnext-seed})
 * @param frameworkVersion the cnnbench version that trained and exported it
 * @param testAccuracy     top-1 accuracy of the trained model on the test split, 0..1; NaN when not evaluated
 *                         (the key is then left out of the file)
 * @param mean             per-channel mean subtracted from the pixel values, in input-channel order
 * @param std              per-channel standard deviation the centred values are divided by
 * @param pixelScale       the scale the pixel values are on before normalisation (e.g. {@code 0..255})
 * @param classNames       the output classes, in logit order
 * @param extra            further {@code cnnbench.*} properties (a key without the prefix gets it)
 */
public record ModelMetadata(String architecture, String frameworkVersion, double testAccuracy, double[] mean,
                            double[] std, String pixelScale, List<String> classNames, Map<String, String> extra) {

    /** CIFAR-10's classes in label order. */
    public static final List<String> CIFAR10_CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer",
            "dog", "frog", "horse", "ship", "truck");

    public ModelMetadata {
        if (architecture == null || architecture.isBlank()) {
            throw new IllegalArgumentException("the exported model needs an architecture name");
        }
        if (mean == null || std == null || mean.length != std.length) {
            throw new IllegalArgumentException("normalisation mean and std must be given per channel, got "
                    + Arrays.toString(mean) + " and " + Arrays.toString(std));
        }
        for (String c : classNames) {
            if (c.isBlank() || c.contains(",")) {
                throw new IllegalArgumentException("class names are written comma-separated, so none may be blank"
                        + " or contain a comma: '" + c + "'");
            }
        }
        mean = mean.clone();
        std = std.clone();
        classNames = List.copyOf(classNames);
        extra = Map.copyOf(extra);
        frameworkVersion = frameworkVersion == null ? currentFrameworkVersion() : frameworkVersion;
    }

    /** Metadata for a model not yet evaluated, with this build's version and inputs on the 0..255 scale. */
    public static ModelMetadata of(String architecture, double[] mean, double[] std, List<String> classNames) {
        return new ModelMetadata(architecture, null, Double.NaN, mean, std, "0..255", classNames, Map.of());
    }

    public ModelMetadata withTestAccuracy(double accuracy) {
        return new ModelMetadata(architecture, frameworkVersion, accuracy, mean, std, pixelScale, classNames, extra);
    }

    public ModelMetadata withProperty(String key, String value) {
        Map<String, String> more = new LinkedHashMap<>(extra);
        more.put(key, value);
        return new ModelMetadata(architecture, frameworkVersion, testAccuracy, mean, std, pixelScale, classNames,
                more);
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] std() {
        return std.clone();
    }

    /**
     * The version Maven recorded in framework-core's jar; {@code development} when running from a build
     * directory (tests), which carries no such record.
     */
    public static String currentFrameworkVersion() {
        try (InputStream in = ModelMetadata.class.getResourceAsStream(
                "/META-INF/maven/io.cnnbench/cnn-framework-core/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null && !v.isBlank()) {
                    return v;
                }
            }
        } catch (IOException e) {
            // An unreadable record is no reason to fail an export; the fallback below says what is known.
        }
        return "development";
    }
}
