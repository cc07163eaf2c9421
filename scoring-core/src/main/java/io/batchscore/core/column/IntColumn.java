package io.batchscore.core.column;


/** A column of int values. */
public final class IntColumn extends Column {
  private final int[] values;

  /** Wraps {@code values} (not copied); every entry is a row. */
  public IntColumn(int... values) {
    this(values, null, values.length);
  }

  /**
   * Wraps the first {@code size} entries of {@code values} (not copied).
   *
   * @param nulls null mask, true where the row is null; null when no row is null
   */
  public IntColumn(int[] values, boolean[] nulls, int size) {
    super(size, nulls, values.length);
    this.values = values;
  }

  /** The backing array (not copied); entries past {@link #size()} are not part of the column. */
  public int[] values() {
    return values;
  }

  public int value(int row) {
    return values[row];
  }

  @Override
  public ColumnType type() {
    return ColumnType.scalar(ElementType.INT32);
  }

  @Override
  public IntColumn select(int[] rows, int count) {
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
