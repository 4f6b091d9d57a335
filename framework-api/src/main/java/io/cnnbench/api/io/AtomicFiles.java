package io.cnnbench.api.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a file so that readers see either the old content or the complete new one: into a temporary file
 * beside it, flushed to disk, then renamed over the target. An interrupted run never leaves a half-written
 * report, baseline or checkpoint.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Something that writes bytes and may fail with an I/O error. */
    @FunctionalInterface
    public interface StreamBody {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Something that writes text and may fail with an I/O error. */
    @FunctionalInterface
    public interface TextBody {
        void writeTo(Writer out) throws IOException;
    }

    public static void write(Path target, StreamBody body) {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
            makeReadableLikeANewFile(tmp);
            try (OutputStream out = Files.newOutputStream(tmp)) {
                body.writeTo(out);
                out.flush();
            }
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(tmp,
                    java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                // Only on file systems without atomic rename (some network mounts): the rename is then as close
                // to atomic as the file system allows, and the temporary file was complete and synced first.
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
            syncDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + target + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the temporary file is hidden and harmless; the original error matters more
                }
            }
        }
    }

    /**
     * Makes a rename in {@code dir} durable: a rename lives in the directory, so until the directory itself is
     * synced a power loss can bring back the old file (or none) although the new file's bytes were synced.
     * File systems that cannot open a directory for syncing (not Linux or macOS) are left as they are.
     */
    public static void syncDirectory(Path dir) throws IOException {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(dir,
                java.nio.file.StandardOpenOption.READ)) {
            ch.force(true);
        } catch (java.nio.file.AccessDeniedException | UnsupportedOperationException e) {
            // e.g. Windows cannot open a directory as a channel; there, the rename is as durable as it gets
        }
    }

    /**
     * createTempFile makes owner-only files; results, reports and models are meant to be shared like any file
     * the build writes (rw-r--r--).
     */
    private static void makeReadableLikeANewFile(Path tmp) throws IOException {
        if (tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    public static void writeText(Path target, TextBody body) {
        write(target, out -> {
            // Writers such as CSVPrinter close what they are given; closing here must only flush, because the
            // file still has to be synced and renamed.
            Writer w = new java.io.FilterWriter(new java.io.BufferedWriter(
                    new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8))) {
                @Override
                public void close() throws IOException {
                    flush();
                }
            };
            body.writeTo(w);
            w.flush();
        });
    }

    public static void writeString(Path target, String content) {
        writeText(target, w -> w.write(content));
    }
}
