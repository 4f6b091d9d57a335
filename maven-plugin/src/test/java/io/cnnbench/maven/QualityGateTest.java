package io.cnnbench.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cnnbench.reports.GateScope;
import io.cnnbench.reports.ResultColumn;
import io.cnnbench.reports.ResultRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QualityGateTest {
    private static final String BASELINE = "architecture,seed,status,test_accuracy\nresnext-seed,42,ok,0.5289\n"
            + "resnext-seed,43,ok,0.5272\n";

    @TempDir
    Path dir;

    private static ResultRow row(long seed, String accuracy) {
        return new ResultRow().set(ResultColumn.ARCHITECTURE, "resnext-seed").set(ResultColumn.SEED, seed)
                .set(ResultColumn.STATUS, ResultRow.OK).set(ResultColumn.TEST_ACCURACY, accuracy);
    }

    @Test
    void anUpdateFromRowsTheGateWouldRefuseFailsEvenWithoutHaltOnFailureAndKeepsTheBaseline() throws Exception {
        Path baseline = dir.resolve("cnn-baseline.csv");
        Files.writeString(baseline, BASELINE);
        for (String accuracy : List.of("NaN", "1.7")) {
            MojoExecutionException e = assertThrows(MojoExecutionException.class, () -> QualityGate.run("cnn:check",
                    new SystemStreamLog(), List.of(row(44, "0.53"), row(45, accuracy)), baseline.toFile(), List.of(),
                    GateScope.ALL, true, false));
            assertTrue(e.getMessage().contains("resnext-seed seed 45") && e.getMessage().contains("'" + accuracy
                    + "'") && e.getMessage().endsWith("is left as it was"), e.getMessage());
            assertEquals(BASELINE, Files.readString(baseline));
        }
        // Rows the gate compares with are recorded, and the run then passes against them.
        QualityGate.run("cnn:check", new SystemStreamLog(), List.of(row(44, "0.53"), row(45, "0.52")),
                baseline.toFile(), List.of(), GateScope.ALL, true, true);
        assertTrue(Files.readString(baseline).contains("resnext-seed,45,ok,,"), Files.readString(baseline));
    }
}
