package io.cnnbench.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cnnbench.api.graph.Graph;
import io.cnnbench.core.djl.GraphBlock;
import io.cnnbench.core.djl.PathsExpansion;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The breakdown runs end to end on the embedded sample and writes one row per evaluation of the forward pass, in the
 * forms training computes: for {@code resnext-seed}, every path expansion fused, every node evaluated once.
 */
class StepBreakdownTest {
    @Test
    void writesOneTimedRowPerEvaluation(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("breakdown.csv");
        StepBreakdown.main(new String[] {"architecture=resnext-seed", "batch=4", "warmup=0", "runs=1", "steps=1",
                "csv=" + csv});
        List<CSVRecord> rows;
        try (Reader r = Files.newBufferedReader(csv)) {
            rows = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r).getRecords();
        }
        Graph graph = BenchmarkArgs.architecture("resnext-seed");
        int fused = PathsExpansion.find(graph).size();
        assertTrue(fused > 0);
        // Every node but the input, each fused run (three nodes) counted once.
        assertEquals(graph.nodes().size() - 1 - 2 * fused, rows.size());
        assertEquals(fused, rows.stream().filter(r -> r.get("form").equals(GraphBlock.FUSED_EXPANSION)).count());
        assertEquals(rows.size(), rows.stream().map(r -> r.get("node")).collect(Collectors.toSet()).size());
        for (CSVRecord r : rows) {
            assertTrue(Double.parseDouble(r.get("forward_ms")) > 0, r.toString());
            assertTrue(Double.parseDouble(r.get("backward_ms")) >= 0, r.toString());
            assertTrue(r.get("output_shape").startsWith("(4, "), r.toString());
        }
    }
}
