package io.batchscore.core.column;


/** A column of double values. */
public final class DoubleColumn extends Column {
  private final double[] values;

  /** Wraps {@code values} (not copied); every entry is a row. */
  public DoubleColumn(double... values) {
    this(values, null, values.length);
  }

  /**
   * Wraps the first {@code size} entries of {@code values} (not copied).
   *
   * @param nulls null mask, true where the row is null; null when no row is null
   */
  public DoubleColumn(double[] values, boolean[] nulls, int size) {
    super(size, nulls, values.length);
    this.values = values;
  }

  /** The backing array (not copied); entries past {@link #size()} are not part of the column. */
  public double[] values() {
    return values;
  }

  public double value(int row) {
    return values[row];
  }

  @Override
  public ColumnType type() {
    return ColumnType.scalar(ElementType.DOUBLE);
  }

  @Override
  public DoubleColumn select(int[] rows, int count) {
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
