package io.batchscore.core;

import io.batchscore.core.column.ArrayColumn;
import io.batchscore.core.column.BoolColumn;
import io.batchscore.core.column.Column;
import io.batchscore.core.column.ColumnBatch;
import io.batchscore.core.column.DoubleColumn;
import io.batchscore.core.column.FloatColumn;
import io.batchscore.core.column.IntColumn;
import io.batchscore.core.column.LongColumn;
import io.batchscore.core.column.StringColumn;
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
      return new FloatColumn(f);
    }
    if (v instanceof Double d) {
      return new DoubleColumn(d);
    }
    if (v instanceof Long l) {
      return new LongColumn(l);
    }
    if (v instanceof Integer i) {
      return new IntColumn(i);
    }
    if (v instanceof Boolean z) {
      return new BoolColumn(z);
    }
    if (v instanceof String s) {
      return new StringColumn(s);
    }
    if (v instanceof float[] fa) {
      return ArrayColumn.fixedWidth(new FloatColumn(fa), fa.length, 1);
    }
    if (v instanceof double[] da) {
      return ArrayColumn.fixedWidth(new DoubleColumn(da), da.length, 1);
    }
    if (v == null) {
      return new DoubleColumn(new double[1], new boolean[] {true}, 1);
    }
    throw new IllegalArgumentException(
        "column '" + name + "': cannot score a value of type " + v.getClass().getSimpleName());
  }
}
