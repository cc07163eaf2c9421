package io.batchscore.spark;

import io.batchscore.core.column.Column;
import io.batchscore.core.column.ColumnBatch;
import io.batchscore.core.column.ElementType;
import java.util.Arrays;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.catalyst.util.MapData;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Reads a partition's input, batch by batch, straight into primitive arrays that are reused from
 * batch to batch (no Row objects, no boxing of features). Passthrough values are kept as Spark
 * internal values, copied where Spark reuses their memory. {@link RowBatchReader} reads internal
 * rows; {@link ColumnarBatchReader} reads the scan's column vectors.
 */
abstract class BatchReader {
  final TaskPlan plan;
  final int capacity;
  final Object[] values;
  final boolean[][] nulls;
  final int[][] offsets;
  final Flat[] children;
  final Object[][] passthrough;
  final boolean[] sawNull;
  String firstFile;
  int rows;

  BatchReader(TaskPlan plan, int capacity) {
    this.plan = plan;
    this.capacity = capacity;
    int f = plan.featureNames.length;
    values = new Object[f];
    nulls = new boolean[f][];
    offsets = new int[f][];
    children = new Flat[f];
    for (int i = 0; i < f; i++) {
      nulls[i] = new boolean[capacity];
      if (plan.featureIsArray[i]) {
        offsets[i] = new int[capacity + 1];
        children[i] = new Flat(plan.featureTypes[i], capacity * 8);
      } else {
        values[i] = Flat.alloc(plan.featureTypes[i], capacity);
      }
    }
    passthrough = new Object[plan.passthroughOrdinals.length][capacity];
    sawNull = new boolean[f];
  }

  /** Reads up to {@code capacity} rows; returns how many were read (0 at the end). */
  abstract int read();

  /** Clears what the last batch left, before reading the next. */
  void reset() {
    rows = 0;
    Arrays.fill(sawNull, false);
    for (Flat c : children) {
      if (c != null) {
        c.clear();
      }
    }
    firstFile = null;
  }

  /** Spark reuses the memory behind strings, arrays, maps and structs of scanned rows. */
  static Object copy(Object v) {
    if (v instanceof UTF8String s) {
      return s.clone();
    }
    if (v instanceof InternalRow r) {
      return r.copy();
    }
    if (v instanceof ArrayData a) {
      return a.copy();
    }
    if (v instanceof MapData m) {
      return m.copy();
    }
    return v;
  }

  /** The input file the batch's first row came from, or null when not reading files. */
  String firstFile() {
    return firstFile;
  }

  /** The rows read, as a batch of the spec's feature columns. */
  ColumnBatch batch() {
    ColumnBatch.Builder b = ColumnBatch.builder(rows);
    for (int f = 0; f < values.length; f++) {
      boolean[] mask = sawNull[f] ? nulls[f] : null;
      Column c;
      if (plan.featureIsArray[f]) {
        c = Column.ofArrays(offsets[f], children[f].column(), mask, rows);
      } else {
        c = Flat.column(plan.featureTypes[f], values[f], mask, rows);
      }
      b.add(plan.featureNames[f], c);
    }
    return b.build();
  }

  /** Passthrough value {@code p} of input row {@code row} of the last batch. */
  Object passthrough(int p, int row) {
    return passthrough[p][row];
  }

  /** A growable flat child for array features, with element nulls. */
  static final class Flat {
    final ElementType type;
    Object data;
    boolean[] nulls;
    int size;

    Flat(ElementType type, int capacity) {
      this.type = type;
      this.data = alloc(type, Math.max(16, capacity));
      this.nulls = new boolean[Math.max(16, capacity)];
    }

    void clear() {
      size = 0;
    }

    void append(ArrayData a) {
      int n = a.numElements();
      int len = nulls.length;
      if (size + n > len) {
        int cap = Math.max(size + n, len * 2);
        Object bigger = alloc(type, cap);
        System.arraycopy(data, 0, bigger, 0, size);
        data = bigger;
        nulls = Arrays.copyOf(nulls, cap);
      }
      for (int j = 0; j < n; j++) {
        boolean isNull = a.isNullAt(j);
        nulls[size + j] = isNull;
        if (isNull) {
          continue;
        }
        switch (type) {
          case FLOAT:
            ((float[]) data)[size + j] = a.getFloat(j);
            break;
          case DOUBLE:
            ((double[]) data)[size + j] = a.getDouble(j);
            break;
          case INT64:
            ((long[]) data)[size + j] = a.getLong(j);
            break;
          case INT32:
            ((int[]) data)[size + j] = a.getInt(j);
            break;
          case BOOL:
            ((boolean[]) data)[size + j] = a.getBoolean(j);
            break;
          default:
            ((String[]) data)[size + j] = a.getUTF8String(j).toString();
        }
      }
      size += n;
    }

    Column column() {
      return column(type, data, nulls, size);
    }

    static Object alloc(ElementType t, int n) {
      return io.batchscore.core.column.Column.allocate(t, n);
    }

    static Column column(ElementType t, Object data, boolean[] nulls, int size) {
      return io.batchscore.core.column.Column.wrap(t, data, nulls, size);
    }
  }
}
