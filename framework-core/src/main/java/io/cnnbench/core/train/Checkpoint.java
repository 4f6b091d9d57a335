package io.cnnbench.core.train;

import io.cnnbench.api.io.AtomicFiles;
import io.cnnbench.reports.EpochRecord;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to continue training exactly where it stopped: parameters (running statistics included),
 * optimizer state, history and the early-stopping bookkeeping. Written atomically; the format is versioned and
 * ends with a CRC-32 of everything before it, and every length read is checked against the file's size first,
 * so a damaged file is refused with a message instead of allocating whatever a flipped bit asks for.
 */
public record Checkpoint(String architecture, String configFingerprint, int epochsDone, double bestValLoss,
                         int epochsWithoutImprovement, long optimizerStep, List<EpochRecord> history,
                         Map<String, float[]> parameters, Map<String, float[]> optimizerState) {
    private static final long MAGIC = 0x434e4e42434b5054L; // "CNNBCKPT"
    private static final int VERSION = 2;
    /** No architecture here has more parameter or optimizer arrays than this; a larger count is corruption. */
    private static final int MAX_ARRAYS = 100_000;

    public void write(Path file) {
        AtomicFiles.write(file, raw -> {
            CheckedOutputStream checked = new CheckedOutputStream(new BufferedOutputStream(raw, 1 << 16), new CRC32());
            DataOutputStream out = new DataOutputStream(checked);
            out.writeLong(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(architecture);
            out.writeUTF(configFingerprint);
            out.writeInt(epochsDone);
            out.writeDouble(bestValLoss);
            out.writeInt(epochsWithoutImprovement);
            out.writeLong(optimizerStep);
            out.writeInt(history.size());
            for (EpochRecord e : history) {
                out.writeInt(e.epoch());
                for (double v : new double[] {e.learningRate(), e.trainLoss(), e.trainAccuracy(), e.valLoss(),
                    e.valAccuracy(), e.seconds(), e.imagesPerSecond()}) {
                    out.writeDouble(v);
                }
            }
            writeArrays(out, parameters);
            writeArrays(out, optimizerState);
            out.flush();
            // The checksum itself goes to the underlying stream, after everything it covers.
            new DataOutputStream(raw).writeLong(checked.getChecksum().getValue());
            raw.flush();
        });
    }

    public static Checkpoint read(Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read checkpoint " + file + " (" + e.getMessage()
                    + "). Delete it or rerun without -Dcnn.resume=true.", e);
        }
        try (InputStream raw = Files.newInputStream(file);
             CheckedInputStream checked = new CheckedInputStream(new BoundedStream(raw, size - Long.BYTES),
                     new CRC32());
             DataInputStream in = new DataInputStream(new BufferedInputStream(checked, 1 << 16))) {
            if (size < Long.BYTES * 2 || in.readLong() != MAGIC) {
                throw new IllegalStateException(file + " is not a cnnbench checkpoint");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IllegalStateException(file + " has checkpoint format " + version + "; this build reads "
                        + VERSION + ". Rerun without -Dcnn.resume=true.");
            }
            String arch = in.readUTF();
            String fingerprint = in.readUTF();
            int done = in.readInt();
            double best = in.readDouble();
            int patience = in.readInt();
            long step = in.readLong();
            int n = bounded(in.readInt(), (long) Integer.BYTES + 7L * Double.BYTES, size, "history entries", file);
            List<EpochRecord> history = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int epoch = in.readInt();
                double[] v = new double[7];
                for (int j = 0; j < 7; j++) {
                    v[j] = in.readDouble();
                }
                history.add(new EpochRecord(epoch, v[0], v[1], v[2], v[3], v[4], v[5], v[6]));
            }
            Map<String, float[]> parameters = readArrays(in, size, file);
            Map<String, float[]> optimizerState = readArrays(in, size, file);
            if (in.read() != -1) {
                throw new IllegalStateException("checkpoint " + file + " is damaged: bytes after its last array");
            }
            long expected = checked.getChecksum().getValue();
            long stored = new DataInputStream(raw).readLong();
            if (stored != expected) {
                throw new IllegalStateException("checkpoint " + file + " is damaged (CRC-32 mismatch). Delete it or"
                        + " rerun without -Dcnn.resume=true.");
            }
            return new Checkpoint(arch, fingerprint, done, best, patience, step, history, parameters, optimizerState);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read checkpoint " + file + " (" + e.getMessage()
                    + "). Delete it or rerun without -Dcnn.resume=true.", e);
        }
    }

    /** {@code count} items of {@code itemBytes} each must fit in the file; anything else is corruption. */
    private static int bounded(int count, long itemBytes, long fileSize, String what, Path file) {
        if (count < 0 || count * itemBytes > fileSize) {
            throw new IllegalStateException("checkpoint " + file + " is damaged: it claims " + count + " " + what
                    + ", more than its " + fileSize + " bytes can hold. Delete it or rerun without"
                    + " -Dcnn.resume=true.");
        }
        return count;
    }

    /** Reads at most {@code limit} bytes: the checksum trailer is read separately, after the checked content. */
    private static final class BoundedStream extends java.io.FilterInputStream {
        private long left;

        BoundedStream(InputStream in, long limit) {
            super(in);
            left = Math.max(0, limit);
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public void close() {
            // the caller closes the underlying stream, after reading the trailer from it
        }
    }

    private static void writeArrays(DataOutputStream out, Map<String, float[]> arrays) throws IOException {
        out.writeInt(arrays.size());
        for (Map.Entry<String, float[]> e : arrays.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeInt(e.getValue().length);
            for (float f : e.getValue()) {
                out.writeFloat(f);
            }
        }
    }

    private static Map<String, float[]> readArrays(DataInputStream in, long fileSize, Path file) throws IOException {
        int n = bounded(in.readInt(), 1, Math.min(fileSize, MAX_ARRAYS), "arrays", file);
        Map<String, float[]> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            float[] v = new float[bounded(in.readInt(), Float.BYTES, fileSize, "floats in " + name, file)];
            for (int j = 0; j < v.length; j++) {
                v[j] = in.readFloat();
            }
            m.put(name, v);
        }
        return m;
    }
}
