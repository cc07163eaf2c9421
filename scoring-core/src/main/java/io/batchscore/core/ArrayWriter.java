package io.batchscore.core;

import io.batchscore.core.column.Column;
import io.batchscore.core.column.ElementType;
import io.batchscore.core.engine.OutputValue;
import io.batchscore.core.spec.OutputBinding;
import java.util.List;

/**
 * A tensor output with several values per row: an array column. When the model's signature fixes
 * the values per row, each chunk goes to its own place (positional); otherwise (a dimension that
 * varies from batch to batch) rows are appended in order.
 */
final class ArrayWriter extends OutputWriter {
  private final Flat flat;
  private final int[] offsets;
  private final int width;
  private int row;

  ArrayWriter(OutputBinding b, int rows, String model, ElementType type, int width) {
    super(b, rows, model);
    this.width = width > 0 ? width : -1;
    this.flat = new Flat(type, this.width > 0 ? rows * this.width : rows);
    this.offsets = new int[rows + 1];
  }

  @Override
  public boolean positional() {
    return width > 0;
  }

  @Override
  public void write(OutputValue v, int offset, int n, int[] tokens) {
    OutputValue.Dense d = dense(v, "a tensor");
    if (d.type() != flat.type || d.shape().length == 0 || d.shape()[0] != n) {
      throw unexpected(v, flat.type + "[" + n + ",...]");
    }
    int w = perRow(d);
    if (width > 0) {
      if (w != width) {
        throw unexpected(v, width + " values per row, as the model's signature says");
      }
      flat.put(d, 0, n * w, offset * w);
      return;
    }
    flat.append(d, 0, n * w);
    for (int i = 0; i < n; i++) {
      offsets[row + 1] = offsets[row] + w;
      row++;
    }
  }

  @Override
  public List<Column> finish() {
    if (width > 0) {
      for (int r = 0; r <= rows; r++) {
        offsets[r] = r * width;
      }
      flat.size = rows * width;
    }
    if (binding.normalize() && flat.type == ElementType.FLOAT) {
      float[] v = (float[]) flat.data;
      for (int r = 0; r < rows; r++) {
        l2Normalize(v, offsets[r], offsets[r + 1] - offsets[r]);
      }
    }
    return List.of(Column.ofArrays(offsets, flat.column(), null, rows));
  }
}
