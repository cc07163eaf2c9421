package io.batchscore.core;

import io.batchscore.core.column.Column;
import io.batchscore.core.engine.OutputValue;
import io.batchscore.core.spec.OutputBinding;
import java.util.List;

/** A writer of one float vector of a fixed width per row (softmax, pooling). */
abstract class FloatVectorWriter extends OutputWriter {
  protected float[] out;
  private int width = -1;

  FloatVectorWriter(OutputBinding b, int rows, String model) {
    super(b, rows, model);
  }

  @Override
  public boolean positional() {
    return true;
  }

  /** Allocates on the first chunk; later chunks must have the same width. */
  protected synchronized void width(int w, OutputValue v) {
    if (out == null) {
      width = w;
      out = new float[rows * w];
    } else if (w != width) {
      throw unexpected(v, width + " values per row, as in earlier chunks");
    }
  }

  @Override
  public List<Column> finish() {
    int w = Math.max(width, 0);
    return List.of(Column.ofArrays(Column.ofFloats(out == null ? new float[0] : out), w, rows));
  }
}
