package io.cnnbench.core.djl;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A parameterless TorchScript module whose code is a string in a Java class, for libtorch operations DJL 0.36 has
 * no method for (its own hard-swish kernel, its fused Adam, bfloat16 tensors). The archive is written as
 * {@code torch.jit.save} lays one out, loaded in the PyTorch engine and deleted; no Python is involved. Called with autograd on, the
 * module's backward pass is libtorch's and its gradients reach DJL's arrays like any other operation's.
 */
public final class TorchScriptModule implements AutoCloseable {
    private final Model model;
    private final PtSymbolBlock block;

    private TorchScriptModule(Model model) {
        this.model = model;
        this.block = (PtSymbolBlock) model.getBlock();
    }

    /**
     * Loads a module of class {@code __torch__.<className>} whose {@code forward} takes {@code parameters}
     * (TorchScript's annotated form, e.g. {@code "x: Tensor, w: Tensor"}), returns {@code returnType} and runs
     * {@code body} (its lines, indented relative to each other as TorchScript needs; {@code torch.<op>} names
     * libtorch's {@code aten::<op>}). The class header, which the archive's pickled object must match, is written
     * here. Fails with libtorch's message when the code does not compile.
     */
    public static TorchScriptModule load(String className, String parameters, String returnType, String body)
            throws IOException, MalformedModelException {
        String code = "class " + className + "(Module):\n"
                + "  __parameters__ = []\n"
                + "  __buffers__ = []\n"
                + "  training : bool\n"
                + "  def forward(self: __torch__." + className + ", " + parameters + ") -> " + returnType + ":\n"
                + body.stripIndent().lines().map(line -> "    " + line + "\n").collect(Collectors.joining());
        Path dir = Files.createTempDirectory("cnnbench-torchscript");
        String name = "module";
        Path file = dir.resolve(name + ".pt");
        Model model = Model.newInstance(className, Engines.PYTORCH);
        try {
            write(file, className, code);
            model.load(dir, name);
            return new TorchScriptModule(model);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw e;
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    /**
     * Runs {@code forward}; the results belong to the first input's manager. Gradients are recorded where the
     * thread records them for any other DJL operation (inside a gradient collector): DJL's module call in its
     * inference mode would turn them off, so it is always made in its training mode, which a parameterless
     * module without dropout or batch-norm computes the same in.
     */
    public NDList forward(NDList inputs) {
        return IValueUtils.forward(block, inputs, true);
    }

    /**
     * Runs {@code forward} on arguments of any TorchScript type (lists, numbers) with autograd off, as in-place
     * updates of parameters need; the caller closes the arguments and the result.
     */
    public IValue run(IValue... arguments) {
        return IValueUtils.forward(block, arguments);
    }

    @Override
    public void close() {
        model.close();
    }

    /**
     * The archive: the module's code, its pickled object (a {@code __torch__.<className>} with
     * {@code training = True} and nothing else), an empty constants table and the format version.
     */
    private static void write(Path file, String className, String code) throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.write(new byte[] {(byte) 0x80, 2}); // PROTO 2
        data.write(("c__torch__\n" + className + "\n").getBytes(StandardCharsets.US_ASCII)); // GLOBAL
        data.write(new byte[] {')', (byte) 0x81, '}', '('}); // EMPTY_TUPLE, NEWOBJ, EMPTY_DICT, MARK
        byte[] key = "training".getBytes(StandardCharsets.US_ASCII);
        data.write('X'); // BINUNICODE, little-endian length
        data.write(new byte[] {(byte) key.length, 0, 0, 0});
        data.write(key);
        data.write(new byte[] {(byte) 0x88, 'u', 'b', '.'}); // NEWTRUE, SETITEMS, BUILD, STOP
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            entry(zip, "module/data.pkl", data.toByteArray());
            entry(zip, "module/code/__torch__.py", code.getBytes(StandardCharsets.UTF_8));
            entry(zip, "module/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
            entry(zip, "module/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static void entry(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }
}
