package io.batchscore.core.column;

/**
 * A column of a {@link ColumnBatch}: values held in primitive arrays, an optional null mask, and a
 * logical size that may be smaller than the arrays' capacity (so callers can reuse arrays from
 * batch to batch).
 *
 * <p>Columns do not copy the arrays they are given; the caller must not change them while a batch
 * is being scored.
 */
public abstract sealed class Column
    permits FloatColumn,
        DoubleColumn,
        LongColumn,
        IntColumn,
        BoolColumn,
        StringColumn,
        ArrayColumn,
        MapColumn {
  private final int size;
  private final boolean[] nulls;

  Column(int size, boolean[] nulls, int capacity) {
    if (size < 0 || size > capacity) {
      throw new IllegalArgumentException(
          "column size " + size + " does not fit its values (capacity " + capacity + ")");
    }
    if (nulls != null && nulls.length < size) {
      throw new IllegalArgumentException(
          "null mask has " + nulls.length + " entries for " + size + " rows");
    }
    this.size = size;
    this.nulls = nulls;
  }

  /** Number of rows. */
  public final int size() {
    return size;
  }

  /** True where the row's value is null. */
  public boolean isNull(int row) {
    return nulls != null && nulls[row];
  }

  /**
   * True when some row may be null: the column has a null mask (which may still be all false), or
   * its values can hold null references. False means no row is null.
   */
  public boolean mayHaveNulls() {
    return nulls != null;
  }

  /** The null mask, or null when the column has none. Not copied. */
  public final boolean[] nullMask() {
    return nulls;
  }

  public abstract ColumnType type();

  /** A new column holding the given rows, in that order. */
  public abstract Column select(int[] rows, int count);

  /** The row's value boxed (Float, Long, String, List, Map...), or null. For tests and tools. */
  public abstract Object get(int row);

  static boolean[] selectNulls(boolean[] nulls, int[] rows, int count) {
    if (nulls == null) {
      return null;
    }
    boolean[] out = new boolean[count];
    for (int i = 0; i < count; i++) {
      out[i] = nulls[rows[i]];
    }
    return out;
  }
}
