package io.cnnbench.reports;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One architecture's runs (one per seed) and, over the runs that succeeded, the mean and sample standard
 * deviation of every numeric column of {@code results.csv}.
 */
public final class ArchitectureStats {
    private final String architecture;
    private final List<ResultRow> runs;
    private final List<ResultRow> okRuns;
    private final Map<ResultColumn, Statistic> statistics = new EnumMap<>(ResultColumn.class);

    ArchitectureStats(String architecture, List<ResultRow> runs) {
        this.architecture = architecture;
        this.runs = List.copyOf(runs);
        this.okRuns = runs.stream().filter(ResultRow::ok).toList();
        for (ResultColumn c : ResultColumn.values()) {
            if (c.numeric()) {
                List<Double> values = new ArrayList<>();
                for (ResultRow r : okRuns) {
                    values.add(r.getDouble(c));
                }
                statistics.put(c, Statistic.of(values));
            }
        }
    }

    public String architecture() {
        return architecture;
    }

    /** Every run of this architecture, failed ones included, in file order. */
    public List<ResultRow> runs() {
        return runs;
    }

    /** The runs whose status is {@code ok}: the statistics are computed over these. */
    public List<ResultRow> okRuns() {
        return okRuns;
    }

    /** Seeds of the successful runs, as written in results.csv. */
    public List<String> seeds() {
        List<String> seeds = new ArrayList<>();
        for (ResultRow r : okRuns) {
            seeds.add(r.get(ResultColumn.SEED));
        }
        return Collections.unmodifiableList(seeds);
    }

    public Statistic statistic(ResultColumn column) {
        if (!column.numeric()) {
            throw new IllegalArgumentException(column.header() + " is not a numeric column");
        }
        return statistics.get(column);
    }

    public double mean(ResultColumn column) {
        return statistic(column).mean();
    }

    public double std(ResultColumn column) {
        return statistic(column).std();
    }

    public Statistic testAccuracy() {
        return statistic(ResultColumn.TEST_ACCURACY);
    }

    @Override
    public String toString() {
        return architecture + " " + statistics.get(ResultColumn.TEST_ACCURACY);
    }
}
