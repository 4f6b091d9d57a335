package io.cnnbench.core.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * The order in which {@link InferenceTiming} times the two engines, on a simulated clock: what is timed, how often,
 * and that a machine slowing down during the measurement slows both engines alike.
 */
class InferenceTimingScheduleTest {

    /** A clock that only moves when an engine runs, each run taking longer than the one before. */
    private static final class DriftingMachine implements LongSupplier {
        final List<String> log = new ArrayList<>();
        private final double slowdownPerRun;
        private long now;
        private int runs;

        DriftingMachine(double slowdownPerRun) {
            this.slowdownPerRun = slowdownPerRun;
        }

        Runnable engine(String name, long nanosPerRun) {
            return () -> {
                log.add(name);
                now += Math.round(nanosPerRun * (1 + slowdownPerRun * runs++));
            };
        }

        @Override
        public long getAsLong() {
            return now;
        }
    }

    @Test
    void eachEngineIsWarmedUpThenTimedInRoundsWhoseOrderAlternates() {
        DriftingMachine m = new DriftingMachine(0);
        InferenceTiming.interleavedMedianNanos(List.of(m.engine("A", 10), m.engine("B", 10)), 2, 7, m);
        // Warm-up 2 each; then 4 rounds of 2, 2, 2 and 1 timed runs, each block after one untimed run.
        assertEquals(List.of("A", "A", "B", "B",
                "A", "A", "A", "B", "B", "B",
                "B", "B", "B", "A", "A", "A",
                "A", "A", "A", "B", "B", "B",
                "B", "B", "A", "A"), m.log);
    }

    @Test
    void withoutWarmUpEveryRunIsTimedAndFewRunsMakeFewerRounds() {
        DriftingMachine m = new DriftingMachine(0);
        double[] medians = InferenceTiming.interleavedMedianNanos(
                List.of(m.engine("A", 100), m.engine("B", 300)), 0, 2, m);
        assertEquals(List.of("A", "B", "B", "A"), m.log);
        assertEquals(100, medians[0]);
        assertEquals(300, medians[1]);
    }

    @Test
    void aMachineSlowingDownDuringTheMeasurementSlowsBothEnginesAlike() {
        // 2 % slower with every run: timed one after the other (10 warm-up and 10 timed runs each), engine B would
        // measure (1 + 0.02 * 34.5) / (1 + 0.02 * 14.5) = 1.31 times engine A although both do the same work. In
        // rounds, each engine's median comes from the same stretch of the measurement, within one round's length.
        DriftingMachine m = new DriftingMachine(0.02);
        double[] medians = InferenceTiming.interleavedMedianNanos(
                List.of(m.engine("A", 1_000_000), m.engine("B", 1_000_000)), 10, 10, m);
        double ratio = medians[1] / medians[0];
        assertTrue(Math.abs(ratio - 1) < 0.05, "equal engines measured " + ratio + " apart");
    }

    @Test
    void aTimingThatIsNotAPositiveFiniteDurationIsRefused() {
        // What it lets through: any real measurement.
        new InferenceTiming.EngineTiming("PyTorch", 0.75, 1700.0);
        for (double[] bad : new double[][] {{0, 1700}, {0.75, Double.POSITIVE_INFINITY}, {-1, 1700}, {0.75, Double.NaN}}) {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> new InferenceTiming.EngineTiming("PyTorch", bad[0], bad[1]));
        }
    }
}
