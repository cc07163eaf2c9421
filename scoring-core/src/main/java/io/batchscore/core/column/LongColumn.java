package io.batchscore.core.column;

/** A column of long values. */
final class LongColumn extends Column {
  private final long[] values;

  /**
   * Wraps the first {@code size} entries of {@code values} (not copied).
   *
   * @param nulls null mask, true where the row is null; null when no row is null
   */
  LongColumn(long[] values, boolean[] nulls, int size) {
    super(size, nulls, values.length);
    this.values = values;
  }

  @Override
  public long[] longs() {
    return values;
  }

  @Override
  public long getLong(int row) {
    return values[row];
  }

  @Override
  public double getNumber(int row) {
    return values[row];
  }

  @Override
  public ColumnType type() {
    return ColumnType.scalar(ElementType.INT64);
  }

  @Override
  public Column select(int[] rows, int count) {
    long[] out = new long[count];
    for (int i = 0; i < count; i++) {
      out[i] = values[rows[i]];
    }
    return new LongColumn(out, selectNulls(nullMask(), rows, count), count);
  }

  @Override
  public Object get(int row) {
    return isNull(row) ? null : (Long) values[row];
  }
}
