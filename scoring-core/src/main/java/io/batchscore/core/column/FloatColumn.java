package io.batchscore.core.column;

/** A column of float values. */
final class FloatColumn extends Column {
  private final float[] values;

  /**
   * Wraps the first {@code size} entries of {@code values} (not copied).
   *
   * @param nulls null mask, true where the row is null; null when no row is null
   */
  FloatColumn(float[] values, boolean[] nulls, int size) {
    super(size, nulls, values.length);
    this.values = values;
  }

  @Override
  public float[] floats() {
    return values;
  }

  @Override
  public float getFloat(int row) {
    return values[row];
  }

  @Override
  public double getNumber(int row) {
    return values[row];
  }

  @Override
  public ColumnType type() {
    return ColumnType.scalar(ElementType.FLOAT);
  }

  @Override
  public Column select(int[] rows, int count) {
    float[] out = new float[count];
    for (int i = 0; i < count; i++) {
      out[i] = values[rows[i]];
    }
    return new FloatColumn(out, selectNulls(nullMask(), rows, count), count);
  }

  @Override
  public Object get(int row) {
    return isNull(row) ? null : (Float) values[row];
  }
}
