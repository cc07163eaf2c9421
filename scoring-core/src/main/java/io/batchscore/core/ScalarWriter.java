package io.batchscore.core;

import io.batchscore.core.column.Column;
import io.batchscore.core.column.ElementType;
import io.batchscore.core.engine.OutputValue;
import io.batchscore.core.spec.OutputBinding;
import java.util.List;

/** A tensor output with one value per row. */
final class ScalarWriter extends OutputWriter {
  private final Flat flat;

  ScalarWriter(OutputBinding b, int rows, String model, ElementType type) {
    super(b, rows, model);
    this.flat = new Flat(type, rows);
  }

  @Override
  public void write(OutputValue v, int offset, int n, int[] tokens) {
    OutputValue.Dense d = dense(v, "a tensor with one value per row");
    if (d.type() != flat.type || perRow(d) != 1 || d.shape()[0] != n) {
      throw unexpected(v, flat.type + "[" + n + "]");
    }
    flat.put(d, 0, n, offset); // allocated for all rows: each chunk goes to its own place
  }

  @Override
  public boolean positional() {
    return true;
  }

  @Override
  public List<Column> finish() {
    flat.size = rows;
    return List.of(flat.column());
  }
}
