package io.batchscore.core.column;

import java.util.ArrayList;
import java.util.List;

/**
 * A column whose rows are arrays, held Arrow-style: one flat child column with every row's elements
 * back to back, and {@code size + 1} offsets (row {@code i} is {@code values[offsets[i] ..
 * offsets[i+1])}).
 */
final class ArrayColumn extends Column {
  private final int[] offsets;
  private final Column values;
  private final int width;

  /**
   * @param offsets {@code size + 1} non-decreasing offsets into {@code values}
   * @param values the flat child column
   * @param nulls null mask, or null
   */
  ArrayColumn(int[] offsets, Column values, boolean[] nulls, int size) {
    super(size, nulls, offsets.length - 1);
    this.offsets = offsets;
    this.values = values;
    if (offsets[size] > values.size()) {
      throw new IllegalArgumentException(
          "array offsets reach " + offsets[size] + " but the child has " + values.size());
    }
    int w = size == 0 ? 0 : offsets[1] - offsets[0];
    for (int i = 1; i < size && w >= 0; i++) {
      if (offsets[i + 1] - offsets[i] != w) {
        w = ColumnType.VARIABLE_WIDTH;
      }
    }
    this.width = w;
  }

  @Override
  public int[] offsets() {
    return offsets;
  }

  @Override
  public Column elements() {
    return values;
  }

  @Override
  public int length(int row) {
    return offsets[row + 1] - offsets[row];
  }

  /** The common length of all rows, or {@link ColumnType#VARIABLE_WIDTH} if they differ. */
  int width() {
    return width;
  }

  @Override
  public ColumnType type() {
    return ColumnType.array(values.type().element(), width);
  }

  @Override
  public Column select(int[] rows, int count) {
    int[] childRows = new int[countElements(rows, count)];
    int[] outOffsets = new int[count + 1];
    int k = 0;
    for (int i = 0; i < count; i++) {
      outOffsets[i] = k;
      for (int j = offsets[rows[i]]; j < offsets[rows[i] + 1]; j++) {
        childRows[k++] = j;
      }
    }
    outOffsets[count] = k;
    return new ArrayColumn(
        outOffsets, values.select(childRows, k), selectNulls(nullMask(), rows, count), count);
  }

  private int countElements(int[] rows, int count) {
    int n = 0;
    for (int i = 0; i < count; i++) {
      n += length(rows[i]);
    }
    return n;
  }

  @Override
  public Object get(int row) {
    if (isNull(row)) {
      return null;
    }
    List<Object> out = new ArrayList<>(length(row));
    for (int j = offsets[row]; j < offsets[row + 1]; j++) {
      out.add(values.get(j));
    }
    return out;
  }
}
