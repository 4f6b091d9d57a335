package io.cnnbench.cifar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

/** Batches become engine arrays; PyTorch's CPU natives come from the test classpath, offline. */
class NDArrayConversionTest {

  @Test
  void batchBecomesAnNchwFloatArrayAndFloatLabels() {
    ImageSet images = TestData.patterned(5);
    try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager();
        BatchStream stream = BatchStream.evaluation(images, Augmentation.NOTEBOOK, 5)) {
      Batch batch = stream.next();

      NDList data = batch.toNDList(manager);
      NDArray labels = batch.labelsArray(manager);

      assertEquals(1, data.size());
      NDArray array = data.singletonOrThrow();
      assertEquals(new Shape(5, 3, 28, 28), array.getShape());
      assertEquals(DataType.FLOAT32, array.getDataType());
      FloatBuffer expected = batch.images();
      float[] expectedValues = new float[expected.remaining()];
      expected.get(expectedValues);
      assertArrayEquals(expectedValues, array.toFloatArray());
      assertEquals(new Shape(5), labels.getShape());
      assertEquals(DataType.FLOAT32, labels.getDataType());
      assertArrayEquals(new float[] {0, 1, 2, 3, 4}, labels.toFloatArray());
      assertEquals(new Shape(5), batch.labelsNDList(manager).singletonOrThrow().getShape());

      // The array owns its memory: overwriting the batch's buffer leaves it unchanged.
      FloatBuffer batchMemory = batch.images();
      batch.close();
      while (batchMemory.hasRemaining()) {
        batchMemory.put(-1f);
      }
      assertArrayEquals(expectedValues, array.toFloatArray());
    }
  }
}
