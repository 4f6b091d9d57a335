package io.cnnbench.reports;

import io.cnnbench.api.spi.Names;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The results of one or more output directories as one set, e.g. the directories of a CI matrix where each job
 * benchmarked one architecture. Rows keep the directory they came from, so that each run's history, confusion
 * matrix and per-class accuracy are found next to it. When two directories hold the same architecture and seed,
 * the directory given later wins for the charts and tables, a note says so, and {@link #duplicates()} lists the pair
 * for the gate, which refuses to judge it.
 */
public final class MergedResults {
    /** One row of results.csv and the output directory it was read from. */
    public record Run(ResultRow row, Path directory) {
        /**
         * Where this run's history.csv and confusion.csv are: the folder results.csv records in
         * {@code run_directory}. A row without one (written before the column existed, or by hand) falls back to
         * {@code <dir>/<arch>/seed-<seed>/} where that folder exists, otherwise {@code <dir>/<arch>/}.
         *
         * @throws IllegalArgumentException when the architecture name breaks the {@link Names} rule (a name such
         *                                  as {@code ../../x} would read outside the result directory) or the
         *                                  recorded folder is not inside the result directory; see
         *                                  {@link #pathProblem()}
         */
        public Path runDirectory() {
            String problem = pathProblem();
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            String recorded = row.get(ResultColumn.RUN_DIRECTORY);
            if (!recorded.isEmpty()) {
                return directory.resolve(recorded);
            }
            Path single = directory.resolve(row.architecture());
            Path perSeed = single.resolve("seed-" + row.get(ResultColumn.SEED));
            return Files.isDirectory(perSeed) ? perSeed : single;
        }

        /**
         * Why this run's files cannot be looked for under its directory, or {@code null} when they can: the
         * architecture name read from results.csv must follow the {@link Names} rule, the paths built from it and
         * the seed must stay inside the result directory, and so must a recorded {@code run_directory}: relative,
         * {@code /}-separated, without empty, {@code .} or {@code ..} parts.
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
            String recorded = row.get(ResultColumn.RUN_DIRECTORY);
            if (!recorded.isEmpty() && !insideAsRecorded(base, recorded)) {
                return "run_directory " + Names.quote(recorded) + " of " + Names.quote(row.architecture()) + " seed "
                        + Names.quote(row.get(ResultColumn.SEED)) + " in " + directory.resolve(RunFiles.RESULTS)
                        + " is not a folder inside " + base + "; its files are not read";
            }
            return null;
        }

        /** Whether {@code recorded} names a folder strictly inside {@code base}, in the form results.csv uses. */
        private static boolean insideAsRecorded(Path base, String recorded) {
            for (String part : recorded.split("/", -1)) {
                if (part.isEmpty() || part.equals(".") || part.equals("..") || part.indexOf('\\') >= 0
                        || part.indexOf('\u0000') >= 0 || part.indexOf(':') >= 0) {
                    return false;
                }
            }
            try {
                Path resolved = base.resolve(recorded).normalize();
                return resolved.startsWith(base) && !resolved.equals(base);
            } catch (InvalidPathException e) {
                return false;
            }
        }
    }

    /**
     * An (architecture, seed) with a row in two result directories, or two rows in one. Each pair is one training
     * run: judged twice, a stale copy would be averaged into the mean the gate compares.
     */
    public record Duplicate(String architecture, String seed, Path first, Path second) {
        /** Where the two rows are, as a sentence for a log or a report. */
        public String where() {
            return architecture + " seed " + seed + (first.equals(second) ? " has two rows in " + first
                    : " has a row in both " + first + " and " + second);
        }

        /** Why a gate refuses the pair, and what to do: the same words from cnn:check and the report's gate. */
        public String refusal() {
            return where() + ": each (architecture, seed) is judged once; remove the stale directory from"
                    + " cnn.resultDirectories, or rerun cnn:benchmark";
        }
    }

    private final List<Path> directories;
    private final List<Run> runs;
    private final Map<Path, Environment> environments;
    private final List<Duplicate> duplicates;
    private final Map<Path, List<ResultRow>> rowsByDirectory;
    private final List<String> environmentsLeftOut;

    private MergedResults(List<Path> directories, List<Run> runs, Map<Path, Environment> environments,
                          Map<Path, List<ResultRow>> rowsByDirectory, List<String> environmentsLeftOut) {
        this.directories = List.copyOf(directories);
        this.runs = List.copyOf(runs);
        this.environments = environments;
        this.duplicates = List.copyOf(duplicates(rowsByDirectory));
        this.rowsByDirectory = Collections.unmodifiableMap(rowsByDirectory);
        this.environmentsLeftOut = List.copyOf(environmentsLeftOut);
    }

    /**
     * Every (architecture, seed) with more than one row among {@code rowsByDirectory} (in the order read): what
     * both cnn:check and the report's gate refuse to judge.
     */
    public static List<Duplicate> duplicates(Map<Path, List<ResultRow>> rowsByDirectory) {
        Map<String, Path> first = new HashMap<>();
        List<Duplicate> found = new ArrayList<>();
        rowsByDirectory.forEach((dir, rows) -> {
            for (ResultRow r : rows) {
                Path earlier = first.putIfAbsent(pair(r), dir);
                if (earlier != null) {
                    found.add(new Duplicate(r.architecture(), r.get(ResultColumn.SEED), earlier, dir));
                }
            }
        });
        return found;
    }

    /** The row's (architecture, seed): one training run. */
    private static String pair(ResultRow row) {
        return row.architecture() + "\u0000" + row.get(ResultColumn.SEED);
    }

    /**
     * Reads {@code results.csv} (and {@code environment.properties} where present) of every directory. An
     * environment.properties whose run.id is not a run of that directory's results.csv is left out, with a note: a
     * run that stopped before writing its own leaves an earlier run's, whose machine and commit are not this one's.
     *
     * @throws CsvFormatException if a directory has no results.csv or it is malformed
     */
    public static MergedResults load(List<Path> directories) {
        if (directories.isEmpty()) {
            throw new IllegalArgumentException("no result directories given");
        }
        Map<Path, List<ResultRow>> read = new LinkedHashMap<>();
        Map<Path, Environment> environments = new LinkedHashMap<>();
        List<String> environmentsLeftOut = new ArrayList<>();
        for (Path dir : directories) {
            Path results = dir.resolve(RunFiles.RESULTS);
            if (!Files.isRegularFile(results)) {
                throw new CsvFormatException(results, "does not exist: " + dir + " is not an output directory of"
                        + " cnn:benchmark (it has no " + RunFiles.RESULTS + ")");
            }
            List<ResultRow> rows = RunFiles.readResults(results);
            read.put(dir, rows);
            Environment env = Environment.read(dir);
            if (env == null) {
                continue;
            }
            Set<String> runIds = new TreeSet<>();
            rows.forEach(r -> runIds.add(r.get(ResultColumn.RUN_ID)));
            runIds.remove("");
            String recorded = env.get(Environment.RUN_ID);
            if (recorded != null && runIds.contains(recorded)) {
                environments.put(dir, env);
            } else {
                environmentsLeftOut.add(dir.resolve(Environment.FILE) + " is left out: it records "
                        + (recorded == null ? "no " + Environment.RUN_ID : "run " + recorded) + ", but " + results
                        + (runIds.isEmpty() ? " records no run" : " holds " + String.join(", ", runIds))
                        + "; it is not the environment these results were produced in (an earlier run's, left"
                        + " when this one stopped before writing its own)");
            }
        }
        // The row read later wins (and moves to where it was read), as the note on each duplicate says.
        Map<String, Run> byKey = new LinkedHashMap<>();
        read.forEach((dir, rows) -> {
            for (ResultRow row : rows) {
                byKey.remove(pair(row));
                byKey.put(pair(row), new Run(row, dir));
            }
        });
        return new MergedResults(directories, new ArrayList<>(byKey.values()), environments, read,
                environmentsLeftOut);
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

    /** The environment.properties of each directory that has one of the run that wrote its results. */
    public Map<Path, Environment> environments() {
        return environments;
    }

    /** Why each environment.properties not in {@link #environments()} was left out. */
    public List<String> environmentsLeftOut() {
        return environmentsLeftOut;
    }

    /**
     * Every row of each directory as read, before the merge drops a pair's earlier row; a directory listed twice is
     * one key (so there are fewer keys than {@link #directories()}).
     */
    public Map<Path, List<ResultRow>> rowsByDirectory() {
        return rowsByDirectory;
    }

    /** The pairs (architecture, seed) read more than once; see {@link #duplicates(Map)}. */
    public List<Duplicate> duplicates() {
        return duplicates;
    }

    /**
     * Things the reader of the report should know: which row of each duplicate pair the report shows, and which
     * environments it left out.
     */
    public List<String> notes() {
        List<String> notes = new ArrayList<>();
        duplicates.forEach(d -> notes.add(d.where() + "; the report shows the row from " + d.second()));
        notes.addAll(environmentsLeftOut);
        return notes;
    }
}
