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

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
