package io.batchscore.core.column;

/** A column of boolean values. */
final class BoolColumn extends Column {
  private final boolean[] values;

  /**
   * Wraps the first {@code size} entries of {@code values} (not copied).
   *
   * @param nulls null mask, true where the row is null; null when no row is null
   */
  BoolColumn(boolean[] values, boolean[] nulls, int size) {
    super(size, nulls, values.length);
    this.values = values;
  }

  @Override
  public boolean[] booleans() {
    return values;
  }

  @Override
  public boolean getBoolean(int row) {
    return values[row];
  }

  @Override
  public ColumnType type() {
    return ColumnType.scalar(ElementType.BOOL);
  }

  @Override
  public Column select(int[] rows, int count) {
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
