package io.cnnbench.core.train;

import io.cnnbench.api.io.AtomicFiles;
import io.cnnbench.reports.EpochRecord;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to continue training exactly where it stopped: parameters (running statistics included),
 * optimizer state, history and the early-stopping bookkeeping. Written atomically; the format is versioned.
 */
public record Checkpoint(String architecture, String configFingerprint, int epochsDone, double bestValLoss,
                         int epochsWithoutImprovement, long optimizerStep, List<EpochRecord> history,
                         Map<String, float[]> parameters, Map<String, float[]> optimizerState) {
    private static final long MAGIC = 0x434e4e42434b5054L; // "CNNBCKPT"
    private static final int VERSION = 1;

    public void write(Path file) {
        AtomicFiles.write(file, raw -> {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16));
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
        });
    }

    public static Checkpoint read(Path file) {
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
            if (in.readLong() != MAGIC) {
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
            int n = in.readInt();
            List<EpochRecord> history = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int epoch = in.readInt();
                double[] v = new double[7];
                for (int j = 0; j < 7; j++) {
                    v[j] = in.readDouble();
                }
                history.add(new EpochRecord(epoch, v[0], v[1], v[2], v[3], v[4], v[5], v[6]));
            }
            return new Checkpoint(arch, fingerprint, done, best, patience, step, history, readArrays(in),
                    readArrays(in));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read checkpoint " + file + " (" + e.getMessage()
                    + "). Delete it or rerun without -Dcnn.resume=true.", e);
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

    private static Map<String, float[]> readArrays(DataInputStream in) throws IOException {
        int n = in.readInt();
        Map<String, float[]> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            float[] v = new float[in.readInt()];
            for (int j = 0; j < v.length; j++) {
                v[j] = in.readFloat();
            }
            m.put(name, v);
        }
        return m;
    }
}
