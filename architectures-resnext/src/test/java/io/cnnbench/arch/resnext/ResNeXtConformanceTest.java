package io.cnnbench.arch.resnext;

import io.cnnbench.tck.ArchitectureConformanceTest;
import java.util.List;

/** The architecture conformance kit on this module's architectures. */
class ResNeXtConformanceTest extends ArchitectureConformanceTest {
    @Override
    protected List<String> architectureNames() {
        return List.of("resnext-seed", "resnext");
    }
}
