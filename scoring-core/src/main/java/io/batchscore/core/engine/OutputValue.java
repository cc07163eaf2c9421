package io.batchscore.core.engine;

import io.batchscore.core.column.ElementType;
import java.nio.Buffer;
import java.util.List;
import java.util.Map;

/** A model output after a run; valid until the runner's next run or close. */
public sealed interface OutputValue permits OutputValue.Dense, OutputValue.MapSequence {

  /**
   * A dense tensor: {@code data} is a typed buffer at position 0 ({@code FloatBuffer}, {@code
   * DoubleBuffer}, {@code LongBuffer}, {@code IntBuffer}, or a {@code ByteBuffer} of 0/1 for bool);
   * {@code strings} for string tensors.
   */
  record Dense(ElementType type, long[] shape, Buffer data, String[] strings)
      implements OutputValue {}

  /** A sequence of maps, one per row (the ZipMap output of scikit-learn classifiers). */
  record MapSequence(List<Map<Object, Object>> rows) implements OutputValue {}
}
