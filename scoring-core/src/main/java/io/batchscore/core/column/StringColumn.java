package io.batchscore.core.column;

/** A column of strings; a null entry, or a true entry in the mask, is a null row. */
final class StringColumn extends Column {
  private final String[] values;

  /**
   * Wraps the first {@code size} entries of {@code values} (not copied).
   *
   * @param nulls null mask, true where the row is null; null when no row is null
   */
  StringColumn(String[] values, boolean[] nulls, int size) {
    super(size, nulls, values.length);
    this.values = values;
  }

  @Override
  public String[] strings() {
    return values;
  }

  @Override
  public String getString(int row) {
    return values[row];
  }

  @Override
  public ColumnType type() {
    return ColumnType.scalar(ElementType.STRING);
  }

  @Override
  public Column select(int[] rows, int count) {
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
