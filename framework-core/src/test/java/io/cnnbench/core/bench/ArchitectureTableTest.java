package io.cnnbench.core.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cnnbench.api.common.GenericHead;
import io.cnnbench.api.common.GenericTail;
import io.cnnbench.api.registry.ProviderRegistry;
import io.cnnbench.api.spi.Options;
import java.io.StringReader;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/** The machine-readable listing of {@code cnn:list -Dcnn.listFormat=csv|json}. */
class ArchitectureTableTest {
    private static final ProviderRegistry REGISTRY = ProviderRegistry.of(new GenericTail(), new GenericHead(),
            new OptionValidationTest.GroupedBlock(), new OptionValidationTest.Cifar(),
            new OptionValidationTest.ImageNet());

    private static List<ArchitectureTable.Row> rows(BenchmarkConfig cfg, boolean namedOnly) {
        return ArchitectureTable.rows(REGISTRY, new BenchmarkRunner(REGISTRY, cfg), namedOnly);
    }

    @Test
    void everyRegisteredArchitectureAndCompositionIsListedWithWhetherItFitsCifar() {
        List<ArchitectureTable.Row> rows = rows(new BenchmarkConfig().compose(new Composition("test-composed",
                GenericTail.NAME, "test-grouped-block", GenericHead.NAME, "1", 0, 8, 28, Options.empty())), false);
        assertEquals(List.of("test-cifar", "test-imagenet", "test-composed"),
                rows.stream().map(ArchitectureTable.Row::name).toList());
        assertEquals(List.of(true, false, true), rows.stream().map(ArchitectureTable.Row::fitsCifar).toList());
        ArchitectureTable.Row imagenet = rows.get(1);
        assertEquals(List.of(3, 224, 224, 1000), List.of(imagenet.inputChannels(), imagenet.inputHeight(),
                imagenet.inputWidth(), imagenet.numClasses()));
        assertTrue(rows.get(0).trainableParams() > 0 && rows.get(0).macs() > 0);
    }

    @Test
    void namedArchitecturesOnlyWithTheirOptionsApplied() {
        BenchmarkConfig cfg = new BenchmarkConfig().architectures(List.of("test-cifar"));
        long plain = rows(cfg, true).get(0).trainableParams();
        List<ArchitectureTable.Row> narrow = rows(new BenchmarkConfig().architectures(List.of("test-cifar"))
                .architectureOptions("test-cifar", Options.of("cardinality", "4")), true);
        assertEquals(1, narrow.size());
        assertTrue(narrow.get(0).trainableParams() > plain, "fewer groups, more weights");
    }

    @Test
    void csvHasTheColumnsAndGuardsTextCells() throws Exception {
        ArchitectureTable.Row row = new ArchitectureTable.Row("net", 10, 20, 3, 28, 28, 10, true, "t", "b", "h",
                "=HYPERLINK(\"x\"), with a comma", "");
        String csv = ArchitectureTable.csv(List.of(row));
        CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(csv));
        List<CSVRecord> records = parser.getRecords();
        assertEquals(ArchitectureTable.COLUMNS, parser.getHeaderNames());
        assertEquals("net", records.get(0).get("name"));
        assertEquals("10", records.get(0).get("trainable_params"));
        assertEquals("true", records.get(0).get("fits_cifar"));
        assertEquals("'=HYPERLINK(\"x\"), with a comma", records.get(0).get("description"));
    }

    @Test
    void jsonIsAnArrayOfObjectsWithEscapedStrings() {
        ArchitectureTable.Row row = new ArchitectureTable.Row("net", 10, 20, 3, 28, 28, 10, false, "t", "b", "h",
                "say \"hi\"\\\n\u0001", "p");
        String json = ArchitectureTable.json(List.of(row));
        assertTrue(json.startsWith("[\n  {\"name\": \"net\", \"trainable_params\": 10, \"macs\": 20,"), json);
        assertTrue(json.contains("\"fits_cifar\": false"), json);
        assertTrue(json.contains("\"description\": \"say \\\"hi\\\"\\\\\\n\\u0001\""), json);
        assertTrue(json.endsWith("}\n]\n"), json);
        assertEquals("[]\n", ArchitectureTable.json(List.of()));
    }
}
