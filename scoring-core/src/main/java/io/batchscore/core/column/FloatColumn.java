package io.batchscore.core.column;


/** A column of float values. */
public final class FloatColumn extends Column {
  private final float[] values;

  /** Wraps {@code values} (not copied); every entry is a row. */
  public FloatColumn(float... values) {
    this(values, null, values.length);
  }

  /**
   * Wraps the first {@code size} entries of {@code values} (not copied).
   *
   * @param nulls null mask, true where the row is null; null when no row is null
   */
  public FloatColumn(float[] values, boolean[] nulls, int size) {
    super(size, nulls, values.length);
    this.values = values;
  }

  /** The backing array (not copied); entries past {@link #size()} are not part of the column. */
  public float[] values() {
    return values;
  }

  public float value(int row) {
    return values[row];
  }

  @Override
  public ColumnType type() {
    return ColumnType.scalar(ElementType.FLOAT);
  }

  @Override
  public FloatColumn select(int[] rows, int count) {
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
