package io.cnnbench.tck;

import io.cnnbench.api.graph.Dims;
import io.cnnbench.api.spi.ArchitectureSpec;
import io.cnnbench.api.spi.Options;
import io.cnnbench.api.spi.StageTable;
import io.cnnbench.api.spi.VggBody;
import java.util.List;

/** The kit run the way a plugin runs it, on the miniature plugin in this module's tests. */
class TinyConformanceTest extends ArchitectureConformanceTest {
    @Override
    protected List<String> architectureNames() {
        return List.of("tck-tiny");
    }

    @Override
    protected List<ArchitectureSpec> compositions() {
        // The same parts on a stage table with 5 classes: no declared count, so that check is left out.
        return List.of(ArchitectureSpec.builder("tck-tiny-stages")
                .description("tiny parts on a stage table")
                .tail("tck-tiny-tail").block("tck-tiny-block").head("tck-tiny-head")
                .inputShape(Dims.of(3, 8, 8)).numClasses(5).startDims(4)
                .body(new StageTable(List.of(new StageTable.Stage(8, true, Options.empty()),
                        new StageTable.Stage(8, false, Options.empty()))))
                .build(),
                // A third-party block between the generic tail and head, which come with cnn-framework-api alone:
                // this module depends on no architecture jar, so the kit passing here is what a plugin author gets.
                ArchitectureSpec.builder("tck-tiny-generic")
                .description("tiny block between the generic tail and head")
                .tail("generic-tail").block("tck-tiny-block").head("generic-head")
                .inputShape(Dims.of(3, 8, 8)).startDims(4)
                .body(new VggBody(2, new int[] {1, 1}, 1))
                .build());
    }
}
