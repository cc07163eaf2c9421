package io.batchscore.core.column;


/** A column of boolean values. */
public final class BoolColumn extends Column {
  private final boolean[] values;

  /** Wraps {@code values} (not copied); every entry is a row. */
  public BoolColumn(boolean... values) {
    this(values, null, values.length);
  }

  /**
   * Wraps the first {@code size} entries of {@code values} (not copied).
   *
   * @param nulls null mask, true where the row is null; null when no row is null
   */
  public BoolColumn(boolean[] values, boolean[] nulls, int size) {
    super(size, nulls, values.length);
    this.values = values;
  }

  /** The backing array (not copied); entries past {@link #size()} are not part of the column. */
  public boolean[] values() {
    return values;
  }

  public boolean value(int row) {
    return values[row];
  }

  @Override
  public ColumnType type() {
    return ColumnType.scalar(ElementType.BOOL);
  }

  @Override
  public BoolColumn select(int[] rows, int count) {
    boolean[] out = new boolean[count];
    for (int i = 0; i < count; i++) {
      out[i] = values[rows[i]];
    }
    return new BoolColumn(out, selectNulls(nullMask(), rows, count), count);
  }

  @Override
  public Object get(int row) {
    return isNull(row) ? null : (Boolean) values[row];
  }
}
