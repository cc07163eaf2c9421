package io.batchscore.core.column;

/** A column of int values. */
final class IntColumn extends Column {
  private final int[] values;

  /**
   * Wraps the first {@code size} entries of {@code values} (not copied).
   *
   * @param nulls null mask, true where the row is null; null when no row is null
   */
  IntColumn(int[] values, boolean[] nulls, int size) {
    super(size, nulls, values.length);
    this.values = values;
  }

  @Override
  public int[] ints() {
    return values;
  }

  @Override
  public int getInt(int row) {
    return values[row];
  }

  @Override
  public double getNumber(int row) {
    return values[row];
  }

  @Override
  public ColumnType type() {
    return ColumnType.scalar(ElementType.INT32);
  }

  @Override
  public Column select(int[] rows, int count) {
    int[] out = new int[count];
    for (int i = 0; i < count; i++) {
      out[i] = values[rows[i]];
    }
    return new IntColumn(out, selectNulls(nullMask(), rows, count), count);
  }

  @Override
  public Object get(int row) {
    return isNull(row) ? null : (Integer) values[row];
  }
}
