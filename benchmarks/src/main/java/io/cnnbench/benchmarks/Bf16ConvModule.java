package io.cnnbench.benchmarks;

import ai.djl.Model;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import io.cnnbench.core.djl.Engines;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A convolution in bfloat16 that DJL can call, train through and get float32 back from, although DJL 0.36 cannot
 * hold a bfloat16 tensor (its native data-type switch ends in a bare {@code throw}, which ends the JVM): a small
 * TorchScript module, written here from Java, that does the casts inside libtorch. Called with autograd on, its
 * backward pass runs libtorch's bfloat16 kernels too and hands float32 gradients back, as PyTorch's
 * {@code autocast} does.
 */
final class Bf16ConvModule implements AutoCloseable {
    /**
     * TorchScript's serialized code for the module; scalar type 15 is bfloat16, 6 is float32. The input and the
     * kernel are rounded to bfloat16; then the convolution runs in bfloat16 (its output cast back), or, where the
     * spec's last entry is 0, in float32 on the rounded values: what a correct bfloat16 kernel computes, up to the
     * rounding of its output. The casts' backward passes round the gradients the same way in both.
     */
    private static final String MODULE_CODE = """
            class Bf16Conv2d(Module):
              __parameters__ = []
              __buffers__ = []
              training : bool
              def forward(self: __torch__.Bf16Conv2d,
                x: Tensor,
                w: Tensor,
                spec: Tensor) -> Tensor:
                stride = [int(torch.select(spec, 0, 0)), int(torch.select(spec, 0, 1))]
                padding = [int(torch.select(spec, 0, 2)), int(torch.select(spec, 0, 3))]
                groups = int(torch.select(spec, 0, 4))
                xr = torch.to(x, 15)
                wr = torch.to(w, 15)
                if bool(torch.select(spec, 0, 5)):
                  y = torch.to(torch.conv2d(xr, wr, None, stride, padding, [1, 1], groups), 6)
                else:
                  y = torch.conv2d(torch.to(xr, 6), torch.to(wr, 6), None, stride, padding, [1, 1], groups)
                return y
            """;

    /** Which arithmetic the module's convolution runs in. */
    enum Arithmetic {
        /** libtorch's bfloat16 convolution: the thing measured. */
        BFLOAT16,
        /** The float32 convolution of the bfloat16-rounded input and kernel: the reference for it. */
        FLOAT32_ON_ROUNDED
    }

    private final Model model;
    private final PtSymbolBlock block;

    private Bf16ConvModule(Model model) {
        this.model = model;
        this.block = (PtSymbolBlock) model.getBlock();
    }

    /** Writes the module to a temporary file, loads it in the PyTorch engine and deletes the file. */
    static Bf16ConvModule load() throws IOException, MalformedModelException {
        Path dir = Files.createTempDirectory("cnnbench-bf16");
        Path file = dir.resolve("bf16conv.pt");
        Model model = Model.newInstance("bf16conv", Engines.PYTORCH);
        try {
            write(file);
            model.load(dir, "bf16conv");
            return new Bf16ConvModule(model);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw e;
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    /** The convolution's stride, padding, groups and arithmetic as the module takes them: one int64 array. */
    static NDArray spec(NDManager manager, Shape stride, Shape padding, int groups, Arithmetic arithmetic) {
        return manager.create(new long[] {stride.get(0), stride.get(1), padding.get(0), padding.get(1), groups,
                arithmetic == Arithmetic.BFLOAT16 ? 1 : 0});
    }

    /** {@code x} convolved with {@code w} as {@code spec} says, returned in float32; differentiable in both. */
    NDArray conv2d(NDArray x, NDArray w, NDArray spec) {
        return IValueUtils.forward(block, new NDList(x, w, spec), true).singletonOrThrow();
    }

    @Override
    public void close() {
        model.close();
    }

    /**
     * A TorchScript archive as {@code torch.jit.save} lays one out: the module's code, its pickled object (a
     * {@code __torch__.Bf16Conv2d} with {@code training = True} and nothing else), an empty constants table and
     * the format version.
     */
    private static void write(Path file) throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.write(new byte[] {(byte) 0x80, 2}); // PROTO 2
        data.write(("c__torch__\nBf16Conv2d\n").getBytes(StandardCharsets.US_ASCII)); // GLOBAL
        data.write(new byte[] {')', (byte) 0x81, '}', '('}); // EMPTY_TUPLE, NEWOBJ, EMPTY_DICT, MARK
        byte[] key = "training".getBytes(StandardCharsets.US_ASCII);
        data.write('X'); // BINUNICODE, little-endian length
        data.write(new byte[] {(byte) key.length, 0, 0, 0});
        data.write(key);
        data.write(new byte[] {(byte) 0x88, 'u', 'b', '.'}); // NEWTRUE, SETITEMS, BUILD, STOP
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            entry(zip, "bf16conv/data.pkl", data.toByteArray());
            entry(zip, "bf16conv/code/__torch__.py", MODULE_CODE.getBytes(StandardCharsets.UTF_8));
            entry(zip, "bf16conv/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
            entry(zip, "bf16conv/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static void entry(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }
}
