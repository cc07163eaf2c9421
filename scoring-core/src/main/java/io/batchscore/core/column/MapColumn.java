package io.batchscore.core.column;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A column whose rows are maps, held Arrow-style: flat key and value children and {@code size + 1}
 * offsets. This is how the ZipMap output of scikit-learn classifiers arrives.
 */
final class MapColumn extends Column {
  private final int[] offsets;
  private final Column keys;
  private final Column values;

  MapColumn(int[] offsets, Column keys, Column values, boolean[] nulls, int size) {
    super(size, nulls, offsets.length - 1);
    if (keys.size() != values.size() || offsets[size] > keys.size()) {
      throw new IllegalArgumentException("map keys, values and offsets disagree");
    }
    this.offsets = offsets;
    this.keys = keys;
    this.values = values;
  }

  @Override
  public int[] offsets() {
    return offsets;
  }

  @Override
  public Column keys() {
    return keys;
  }

  @Override
  public Column values() {
    return values;
  }

  @Override
  public ColumnType type() {
    ElementType k = keys.type().element();
    return ColumnType.map(k, values.type().element());
  }

  @Override
  public Column select(int[] rows, int count) {
    int total = 0;
    for (int i = 0; i < count; i++) {
      total += offsets[rows[i] + 1] - offsets[rows[i]];
    }
    int[] child = new int[total];
    int[] outOffsets = new int[count + 1];
    int k = 0;
    for (int i = 0; i < count; i++) {
      outOffsets[i] = k;
      for (int j = offsets[rows[i]]; j < offsets[rows[i] + 1]; j++) {
        child[k++] = j;
      }
    }
    outOffsets[count] = k;
    return new MapColumn(
        outOffsets,
        keys.select(child, k),
        values.select(child, k),
        selectNulls(nullMask(), rows, count),
        count);
  }

  @Override
  public Object get(int row) {
    if (isNull(row)) {
      return null;
    }
    Map<Object, Object> out = new LinkedHashMap<>();
    for (int j = offsets[row]; j < offsets[row + 1]; j++) {
      out.put(keys.get(j), values.get(j));
    }
    return out;
  }
}
