package io.batchscore.core.column;


/** A column of long values. */
public final class LongColumn extends Column {
  private final long[] values;

  /** Wraps {@code values} (not copied); every entry is a row. */
  public LongColumn(long... values) {
    this(values, null, values.length);
  }

  /**
   * Wraps the first {@code size} entries of {@code values} (not copied).
   *
   * @param nulls null mask, true where the row is null; null when no row is null
   */
  public LongColumn(long[] values, boolean[] nulls, int size) {
    super(size, nulls, values.length);
    this.values = values;
  }

  /** The backing array (not copied); entries past {@link #size()} are not part of the column. */
  public long[] values() {
    return values;
  }

  public long value(int row) {
    return values[row];
  }

  @Override
  public ColumnType type() {
    return ColumnType.scalar(ElementType.INT64);
  }

  @Override
  public LongColumn select(int[] rows, int count) {
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
