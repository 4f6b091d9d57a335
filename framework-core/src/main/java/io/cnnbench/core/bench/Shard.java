package io.cnnbench.core.bench;

/**
 * One job's part of a run split across a CI system's matrix ({@code cnn.shard=i/n}, 1-based): of the run's
 * (architecture, seed) pairs in their fixed order, job {@code i} takes every {@code n}-th, starting at the
 * {@code i}-th. The split depends only on the selection, so every job computes the same one without talking to
 * the others, and the jobs' result directories merge back into the whole run.
 */
public record Shard(int index, int count) {
    public static final Shard ALL = new Shard(1, 1);

    public Shard {
        if (count < 1 || index < 1 || index > count) {
            throw new IllegalArgumentException("must be i/n with 1 <= i <= n, e.g. 2/4");
        }
    }

    /** Reads {@code i/n}. */
    public static Shard parse(String text) {
        String[] parts = text.trim().split("/");
        if (parts.length != 2) {
            throw new IllegalArgumentException("must be i/n with 1 <= i <= n, e.g. 2/4");
        }
        try {
            return new Shard(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be i/n with 1 <= i <= n, e.g. 2/4", e);
        }
    }

    /** Whether the pair at {@code position} (0-based, in the run's order) belongs to this shard. */
    public boolean owns(int position) {
        return position % count == index - 1;
    }

    /**
     * Part {@code part} (1-based) of {@code parts} of this shard, itself a shard of the whole run: of this shard's
     * pairs in order, every {@code parts}-th, starting at the {@code part}-th. Pair k is in this shard when
     * {@code k mod count = index - 1}; the {@code j}-th of them is {@code k = index - 1 + count x j}, so taking every
     * {@code parts}-th of those is {@code k mod (count x parts) = index - 1 + count x (part - 1)}. The parts cover
     * this shard exactly once (one training JVM per GPU inside one CI job, {@code cnn.devices}).
     */
    public Shard part(int part, int parts) {
        if (parts < 1 || part < 1 || part > parts) {
            throw new IllegalArgumentException("part " + part + " of " + parts + ": must be 1 <= part <= parts");
        }
        return new Shard(index + count * (part - 1), count * parts);
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
