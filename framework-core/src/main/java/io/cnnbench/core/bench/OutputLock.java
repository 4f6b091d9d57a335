package io.cnnbench.core.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An exclusive lock on an output directory for the length of a run, so that two runs never interleave their
 * rows in one results.csv (the last writer would win) or their checkpoints. The lock file says who holds it;
 * the operating system releases the lock when the holder dies, so a crashed run never leaves it stuck.
 */
public final class OutputLock implements AutoCloseable {
    public static final String FILE = ".cnnbench.lock";

    /**
     * The directories this JVM holds, with who holds each. The operating system's lock cannot tell two runs of one
     * process apart (a parallel Maven build), and asking it costs the lock: on Linux, closing any channel of the
     * lock file drops every lock this process holds on it, so the refused second run's channel released the first
     * run's lock, and a third process could then share the directory. A run of this JVM is refused here, before
     * any channel is opened.
     */
    private static final Map<Path, String> HELD_HERE = new ConcurrentHashMap<>();

    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;

    private OutputLock(Path key, FileChannel channel, FileLock lock) {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code directory} (creating it) for run {@code runId}.
     *
     * @throws IllegalStateException when another run holds it, naming that run's process, host and start
     */
    public static OutputLock acquire(Path directory, String runId) {
        Path file = directory.resolve(FILE);
        Path key;
        try {
            Files.createDirectories(directory);
            key = directory.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + file + ": " + e.getMessage(), e);
        }
        String me = "run " + runId + ", pid " + ProcessHandle.current().pid() + " on " + host() + ", since "
                + Instant.now();
        String holderHere = HELD_HERE.putIfAbsent(key, me);
        if (holderHere != null) {
            throw refused(directory, holderHere);
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException heldByThisProcess) {
                // Another class loader's copy of this class holds it (two plugin realms of one parallel build). Its
                // holder cannot be read, and this channel is left open on purpose: closing it would drop that lock.
                HELD_HERE.remove(key, me);
                throw refused(directory, "another run of this Maven process");
            }
            if (lock == null) {
                String holder = holder(channel);
                channel.close();
                throw refused(directory, holder);
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(me.getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(true);
            return new OutputLock(key, channel, lock);
        } catch (IOException | RuntimeException e) {
            HELD_HERE.remove(key, me);
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // reporting the first error matters more
                }
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot lock " + file + ": " + io.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
    }

    private static IllegalStateException refused(Path directory, String holder) {
        return new IllegalStateException("another run is using " + directory + " (" + holder + "); wait for it to"
                + " finish, or give this run its own -Dcnn.outputDirectory");
    }

    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(512);
        int n = channel.read(b, 0);
        String text = n <= 0 ? "" : new String(b.array(), 0, n, StandardCharsets.UTF_8).trim();
        return text.isEmpty() ? "holder unknown" : text;
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown host";
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            HELD_HERE.remove(key);
        }
    }
}
