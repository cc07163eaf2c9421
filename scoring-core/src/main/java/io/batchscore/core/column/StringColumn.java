package io.batchscore.core.column;


/** A column of strings; a null entry, or a true entry in the mask, is a null row. */
public final class StringColumn extends Column {
  private final String[] values;

  /** Wraps {@code values} (not copied); every entry is a row. */
  public StringColumn(String... values) {
    this(values, null, values.length);
  }

  /**
   * Wraps the first {@code size} entries of {@code values} (not copied).
   *
   * @param nulls null mask, true where the row is null; null when no row is null
   */
  public StringColumn(String[] values, boolean[] nulls, int size) {
    super(size, nulls, values.length);
    this.values = values;
  }

  /** The backing array (not copied); entries past {@link #size()} are not part of the column. */
  public String[] values() {
    return values;
  }

  public String value(int row) {
    return values[row];
  }

  @Override
  public ColumnType type() {
    return ColumnType.scalar(ElementType.STRING);
  }

  @Override
  public StringColumn select(int[] rows, int count) {
    String[] out = new String[count];
    for (int i = 0; i < count; i++) {
      out[i] = values[rows[i]];
    }
    return new StringColumn(out, selectNulls(nullMask(), rows, count), count);
  }

  @Override
  public boolean isNull(int row) {
    return values[row] == null || super.isNull(row);
  }

  @Override
  public boolean mayHaveNulls() {
    return true;
  }

  @Override
  public Object get(int row) {
    return isNull(row) ? null : values[row];
  }
}
