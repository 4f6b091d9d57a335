package io.cnnbench.arch.mobilenetv3;

import io.cnnbench.api.spi.ArchitectureSpec;
import io.cnnbench.api.spi.Options;
import io.cnnbench.core.bench.Composition;
import io.cnnbench.tck.ArchitectureConformanceTest;
import java.util.List;

/**
 * The conformance kit on this module's four architectures, and on compositions that mix its parts with the
 * ResNeXt plugin's, written exactly as a POM {@code <composition>} is turned into a recipe.
 */
class MobileNetV3ConformanceTest extends ArchitectureConformanceTest {

    @Override
    protected List<String> architectureNames() {
        return List.of("mobilenetv3-small", "mobilenetv3-large", "mobilenetv3-small-224", "mobilenetv3-large-224");
    }

    @Override
    protected List<ArchitectureSpec> compositions() {
        return List.of(resnextBlockUnderMobileNetHead(), mobileNetBlockUnderGenericHead());
    }

    /** The ResNeXt plugin's paper-form block on the notebook's body, under this module's head. */
    static ArchitectureSpec resnextBlockUnderMobileNetHead() {
        return new Composition("resnext-under-mobilenetv3-head", "generic-tail", "resnext-block",
                MobileNetV3Head.NAME, "4,4,5", 2, 32, 28, Options.of("cardinality", "8")).toSpec();
    }

    /** This module's stem and bneck (with squeeze-excite) on the notebook's body, under ResNeXt's plain head. */
    static ArchitectureSpec mobileNetBlockUnderGenericHead() {
        return new Composition("mobilenetv3-block-under-generic-head", MobileNetV3Stem.NAME, MobileNetV3Block.NAME,
                "generic-head", "1,1,1", 2, 16, 28, Options.of("stemStride", "1", "se", "true", "kernel", "5"))
                .toSpec();
    }
}
