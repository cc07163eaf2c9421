package io.batchscore.core;

import io.batchscore.core.column.Column;
import io.batchscore.core.column.ColumnBatch;
import java.util.Map;

/** Turns one row of boxed values into a one-row batch. */
final class SingleRow {
  private SingleRow() {}

  static ColumnBatch toBatch(Map<String, Object> row) {
    ColumnBatch.Builder b = ColumnBatch.builder(1);
    row.forEach((name, v) -> b.add(name, column(name, v)));
    return b.build();
  }

  private static Column column(String name, Object v) {
    if (v instanceof Float f) {
      return Column.ofFloats(f);
    }
    if (v instanceof Double d) {
      return Column.ofDoubles(d);
    }
    if (v instanceof Long l) {
      return Column.ofLongs(l);
    }
    if (v instanceof Integer i) {
      return Column.ofInts(i);
    }
    if (v instanceof Boolean z) {
      return Column.ofBooleans(z);
    }
    if (v instanceof String s) {
      return Column.ofStrings(s);
    }
    if (v instanceof float[] fa) {
      return Column.ofArrays(Column.ofFloats(fa), fa.length, 1);
    }
    if (v instanceof double[] da) {
      return Column.ofArrays(Column.ofDoubles(da), da.length, 1);
    }
    if (v == null) {
      return Column.ofDoubles(new double[1], new boolean[] {true}, 1);
    }
    throw new IllegalArgumentException(
        "column '" + name + "': cannot score a value of type " + v.getClass().getSimpleName());
  }
}
