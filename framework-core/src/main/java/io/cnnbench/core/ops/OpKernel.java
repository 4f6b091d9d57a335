package io.cnnbench.core.ops;

import ai.djl.ndarray.NDArray;
import io.cnnbench.api.graph.Op;
import io.cnnbench.core.onnx.OnnxNodeWriter;
import java.util.List;

/**
 * One framework operation's back-end forms, side by side: how it runs on DJL (here) and how it is written
 * to ONNX (next to it), so the two cannot drift apart unnoticed; the parity tests run both.
 *
 * @param <O> the operation this kernel implements
 */
public interface OpKernel<O extends Op> {

    /**
     * Runs the operation on DJL.
     *
     * @param inputs   the outputs of the node's input nodes, batch axis first
     * @param params   the node's parameters in the order the graph declared them
     * @param training whether batch statistics and dropout are live
     */
    NDArray forward(O op, List<NDArray> inputs, List<NDArray> params, boolean training);

    /**
     * Writes the operation's inference form as ONNX (opset {@value io.cnnbench.core.onnx.OnnxExporter#OPSET}) nodes
     * that read {@link OnnxNodeWriter#input} and {@link OnnxNodeWriter#param} and write
     * {@link OnnxNodeWriter#output}; the batch axis must stay dynamic.
     */
    void toOnnx(O op, OnnxNodeWriter w);
}
