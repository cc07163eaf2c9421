package io.batchscore.core.column;

/** A column of double values. */
final class DoubleColumn extends Column {
  private final double[] values;

  /**
   * Wraps the first {@code size} entries of {@code values} (not copied).
   *
   * @param nulls null mask, true where the row is null; null when no row is null
   */
  DoubleColumn(double[] values, boolean[] nulls, int size) {
    super(size, nulls, values.length);
    this.values = values;
  }

  @Override
  public double[] doubles() {
    return values;
  }

  @Override
  public double getDouble(int row) {
    return values[row];
  }

  @Override
  public double getNumber(int row) {
    return values[row];
  }

  @Override
  public ColumnType type() {
    return ColumnType.scalar(ElementType.DOUBLE);
  }

  @Override
  public Column select(int[] rows, int count) {
    double[] out = new double[count];
    for (int i = 0; i < count; i++) {
      out[i] = values[rows[i]];
    }
    return new DoubleColumn(out, selectNulls(nullMask(), rows, count), count);
  }

  @Override
  public Object get(int row) {
    return isNull(row) ? null : (Double) values[row];
  }
}
