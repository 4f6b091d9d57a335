package io.cnnbench.core.bench;

import io.cnnbench.api.spi.Options;
import io.cnnbench.cifar.Augmentation;
import io.cnnbench.cifar.DataOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Everything a benchmark run needs. Scalar settings are the {@link Settings} table's: each is read, validated,
 * defaulted and written to the forked JVM generically, so a new setting is one line in that table plus its use.
 * The structured parts (selection, provider options, POM compositions) have their own fields. A setting left
 * unset takes the table's default; a {@code null} default means "the architecture's".
 */
public final class BenchmarkConfig {
    private static final String ARCHITECTURES = "cnn.architectures";
    private static final String OPTION = "cnn.option.";
    /** Between architecture and option in the fork's keys: a character no name may contain, unlike '.'. */
    private static final char OPTION_SEPARATOR = '/';
    private static final String COMPOSITION = "cnn.composition.";
    private static final String RUN_ID = "cnn.runId";

    private final Map<Setting<?>, Object> values = new LinkedHashMap<>();
    private List<String> architectures = new ArrayList<>();
    private final Map<String, Options> architectureOptions = new LinkedHashMap<>();
    private final List<Composition> compositions = new ArrayList<>();
    private String runId = RunLedger.newRunId();
    private DataOptions data;

    /** Sets {@code setting} from text, validated by the table; {@code null} or blank leaves it at its default. */
    public BenchmarkConfig set(Setting<?> setting, String text) {
        if (text == null || text.isBlank()) {
            values.remove(setting);
        } else {
            values.put(setting, setting.parse(text));
        }
        data = null;
        return this;
    }

    /** Sets a typed value ({@code null}: the default). */
    public <T> BenchmarkConfig with(Setting<T> setting, T value) {
        return set(setting, value == null ? null : setting.format(value));
    }

    /**
     * The value: the one given, else the protocol's preset ({@code cnn.protocol}), else the table's default, which
     * may be {@code null} ("the architecture's").
     */
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        if (values.containsKey(setting)) {
            return (T) values.get(setting);
        }
        if (setting != Settings.PROTOCOL) {
            String preset = Protocols.preset(get(Settings.PROTOCOL), setting);
            if (preset != null) {
                return setting.parse(preset);
            }
        }
        return setting.defaultValue();
    }

    /** Whether the user set it. */
    public boolean isSet(Setting<?> setting) {
        return values.containsKey(setting);
    }

    /** Only these architectures (by name); empty means every registered one. */
    public BenchmarkConfig architectures(List<String> names) {
        this.architectures = new ArrayList<>(names);
        return this;
    }

    /** Provider options for one architecture (e.g. cardinality), merged over its own. */
    public BenchmarkConfig architectureOptions(String architecture, Options options) {
        this.architectureOptions.put(architecture, options);
        return this;
    }

    /** Architectures composed from provider names in the POM, benchmarked beside the registered ones. */
    public BenchmarkConfig compose(Composition composition) {
        this.compositions.add(composition);
        return this;
    }

    /** The id every row of this run carries in results.csv. */
    public BenchmarkConfig runId(String v) {
        runId = v;
        return this;
    }

    public String runId() {
        return runId;
    }

    public List<String> architectures() {
        return List.copyOf(architectures);
    }

    public Map<String, Options> architectureOptions() {
        return Map.copyOf(architectureOptions);
    }

    public List<Composition> compositions() {
        return List.copyOf(compositions);
    }

    /** The data settings, validated by {@link DataOptions#fromProperties}. */
    public DataOptions data() {
        if (data == null) {
            Properties p = new Properties();
            for (Setting<?> s : Settings.all()) {
                if (s.property().equals(DataOptions.PROPERTY_SEED) || s.isData()) {
                    Object v = get(s);
                    if (v != null) {
                        p.setProperty(s.property(), s.format(v));
                    }
                }
            }
            data = DataOptions.fromProperties(p);
        }
        return data;
    }

    /**
     * Checks every setting together, including the data settings and every composition (selected or not: an
     * incomplete one could not even be written for the forked JVM); throws naming the first bad one.
     */
    public BenchmarkConfig validate() {
        data();
        compositions.forEach(Composition::toSpec);
        if (get(Settings.NESTEROV) && get(Settings.MOMENTUM) == 0) {
            // PyTorch refuses it too: Nesterov's look-ahead is along the momentum, and there is none.
            throw new IllegalArgumentException("cnn.nesterov=true needs cnn.momentum above 0 (it is 0): set"
                    + " cnn.momentum, or drop cnn.nesterov");
        }
        return this;
    }

    public Path outputDirectory() {
        return Path.of(get(Settings.OUTPUT_DIRECTORY) != null ? get(Settings.OUTPUT_DIRECTORY) : "target/cnn");
    }

    public Augmentation augmentation() {
        return get(Settings.AUGMENTATION);
    }

    public List<Long> seedList() {
        List<Long> list = new ArrayList<>();
        for (int i = 0; i < get(Settings.SEEDS); i++) {
            list.add(get(Settings.SEED) + i);
        }
        return list;
    }

    /**
     * The configuration as {@code cnn.*} properties, for a forked training JVM; {@link #fromProperties} reads
     * it back. Only settings the user set are written, so the fork applies the same defaults from the same table.
     */
    public Properties toProperties() {
        Properties p = new Properties();
        values.forEach((s, v) -> p.setProperty(s.property(), s.format(v)));
        p.setProperty(ARCHITECTURES, String.join(",", architectures));
        p.setProperty(RUN_ID, runId);
        architectureOptions.forEach((arch, opts) -> opts.asMap().forEach((k, v) ->
                p.setProperty(OPTION + arch + OPTION_SEPARATOR + k, v)));
        for (int i = 0; i < compositions.size(); i++) {
            Composition c = compositions.get(i);
            String k = COMPOSITION + i + ".";
            p.setProperty(k + "name", c.name());
            p.setProperty(k + "tail", c.tail());
            p.setProperty(k + "block", c.block());
            p.setProperty(k + "head", c.head());
            p.setProperty(k + "blockRepeats", c.blockRepeats());
            p.setProperty(k + "downsamples", Integer.toString(c.downsamples()));
            p.setProperty(k + "startDims", Integer.toString(c.startDims()));
            p.setProperty(k + "imageSize", Integer.toString(c.imageSize()));
            c.options().asMap().forEach((ok, ov) -> p.setProperty(k + "option." + ok, ov));
        }
        return p;
    }

    /**
     * Reads {@link #toProperties()}. Every {@code cnn.*} key must be a known setting: a key this build does not
     * know (a typo, or a newer plugin's setting) fails instead of being ignored.
     */
    public static BenchmarkConfig fromProperties(Properties p) {
        BenchmarkConfig c = new BenchmarkConfig();
        Map<String, Map<String, String>> options = new LinkedHashMap<>();
        Map<Integer, Map<String, String>> comps = new TreeMap<>();
        for (String key : p.stringPropertyNames()) {
            String value = p.getProperty(key);
            Setting<?> setting = Settings.byProperty(key);
            if (setting != null) {
                c.set(setting, value);
            } else if (key.equals(ARCHITECTURES)) {
                if (!value.isBlank()) {
                    c.architectures(List.of(value.split(",")));
                }
            } else if (key.equals(RUN_ID)) {
                c.runId(value);
            } else if (key.startsWith(OPTION)) {
                String rest = key.substring(OPTION.length());
                int separator = rest.indexOf(OPTION_SEPARATOR);
                if (separator <= 0) {
                    throw new IllegalArgumentException("malformed option key " + key
                            + " in the training JVM's configuration");
                }
                options.computeIfAbsent(rest.substring(0, separator), k -> new LinkedHashMap<>())
                        .put(rest.substring(separator + 1), value);
            } else if (key.startsWith(COMPOSITION)) {
                String rest = key.substring(COMPOSITION.length());
                int dot = rest.indexOf('.');
                comps.computeIfAbsent(Integer.parseInt(rest.substring(0, dot)), k -> new LinkedHashMap<>())
                        .put(rest.substring(dot + 1), value);
            } else if (key.startsWith("cnn.")) {
                throw new IllegalArgumentException("unknown setting " + key + " in the training JVM's configuration");
            }
        }
        options.forEach((arch, m) -> c.architectureOptions(arch, Options.of(m)));
        for (Map<String, String> m : comps.values()) {
            Map<String, String> opts = new LinkedHashMap<>();
            m.forEach((k, v) -> {
                if (k.startsWith("option.")) {
                    opts.put(k.substring("option.".length()), v);
                }
            });
            c.compose(new Composition(m.get("name"), m.get("tail"), m.get("block"), m.get("head"),
                    m.get("blockRepeats"), Integer.parseInt(m.get("downsamples")), Integer.parseInt(m.get("startDims")),
                    Integer.parseInt(m.get("imageSize")), Options.of(opts)));
        }
        return c.validate();
    }
}
