package io.cnnbench.reports;

import io.cnnbench.api.spi.Names;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The results of one or more output directories as one set, e.g. the directories of a CI matrix where each job
 * benchmarked one architecture. Rows keep the directory they came from, so that each run's history, confusion
 * matrix and per-class accuracy are found next to it. When two directories hold the same architecture and seed,
 * the directory given later wins and a note says so.
 */
public final class MergedResults {
    /** One row of results.csv and the output directory it was read from. */
    public record Run(ResultRow row, Path directory) {
        /**
         * Where this run's history.csv and confusion.csv are: {@code <dir>/<arch>/seed-<seed>/} when the run was
         * one of several seeds, otherwise {@code <dir>/<arch>/}.
         *
         * @throws IllegalArgumentException when the architecture name breaks the {@link Names} rule (a name such
         *                                  as {@code ../../x} would read outside the result directory); see
         *                                  {@link #pathProblem()}
         */
        public Path runDirectory() {
            String problem = pathProblem();
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            Path single = directory.resolve(row.architecture());
            Path perSeed = single.resolve("seed-" + row.get(ResultColumn.SEED));
            return Files.isDirectory(perSeed) ? perSeed : single;
        }

        /**
         * Why this run's files cannot be looked for under its directory, or {@code null} when they can: the
         * architecture name read from results.csv must follow the {@link Names} rule, and the paths built from
         * it and the seed must stay inside the result directory.
         */
        public String pathProblem() {
            String where = "architecture in " + directory.resolve(RunFiles.RESULTS);
            String problem = Names.problem(row.architecture());
            if (problem != null) {
                return Names.message(row.architecture(), where, problem) + "; its files under " + directory
                        + " are not read";
            }
            Path base = directory.toAbsolutePath().normalize();
            Path perSeed;
            try {
                perSeed = base.resolve(row.architecture()).resolve("seed-" + row.get(ResultColumn.SEED)).normalize();
            } catch (InvalidPathException e) {
                perSeed = null;
            }
            if (perSeed == null || !perSeed.startsWith(base) || perSeed.getNameCount() != base.getNameCount() + 2) {
                return "the run directory of " + Names.quote(row.architecture()) + " seed "
                        + Names.quote(row.get(ResultColumn.SEED)) + " (" + where + ") would be outside " + base
                        + "; its files are not read";
            }
            return null;
        }
    }

    private final List<Path> directories;
    private final List<Run> runs;
    private final Map<Path, Environment> environments;
    private final List<String> notes;

    private MergedResults(List<Path> directories, List<Run> runs, Map<Path, Environment> environments,
                          List<String> notes) {
        this.directories = List.copyOf(directories);
        this.runs = List.copyOf(runs);
        this.environments = environments;
        this.notes = List.copyOf(notes);
    }

    /**
     * Reads {@code results.csv} (and {@code environment.properties} where present) of every directory.
     *
     * @throws CsvFormatException if a directory has no results.csv or it is malformed
     */
    public static MergedResults load(List<Path> directories) {
        if (directories.isEmpty()) {
            throw new IllegalArgumentException("no result directories given");
        }
        Map<String, Run> byKey = new LinkedHashMap<>();
        Map<Path, Environment> environments = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        for (Path dir : directories) {
            Path results = dir.resolve(RunFiles.RESULTS);
            if (!Files.isRegularFile(results)) {
                throw new CsvFormatException(results, "does not exist: " + dir + " is not an output directory of"
                        + " cnn:benchmark (it has no " + RunFiles.RESULTS + ")");
            }
            for (ResultRow row : RunFiles.readResults(results)) {
                String key = row.architecture() + "\u0000" + row.get(ResultColumn.SEED);
                Run earlier = byKey.remove(key);
                if (earlier != null) {
                    notes.add(row.architecture() + " seed " + row.get(ResultColumn.SEED) + " is in both "
                            + earlier.directory() + " and " + dir + "; the report uses " + dir);
                }
                byKey.put(key, new Run(row, dir));
            }
            Environment env = Environment.read(dir);
            if (env != null) {
                environments.put(dir, env);
            }
        }
        return new MergedResults(directories, new ArrayList<>(byKey.values()), environments, notes);
    }

    public List<Path> directories() {
        return directories;
    }

    public List<Run> runs() {
        return runs;
    }

    public List<ResultRow> rows() {
        return runs.stream().map(Run::row).toList();
    }

    /** The runs of one architecture, in the order read. */
    public List<Run> runsOf(String architecture) {
        return runs.stream().filter(r -> r.row().architecture().equals(architecture)).toList();
    }

    /** The environment.properties of each directory that has one. */
    public Map<Path, Environment> environments() {
        return environments;
    }

    /** Things the reader of the report should know, such as duplicate runs. */
    public List<String> notes() {
        return notes;
    }
}
