package io.batchscore.spark;

import io.batchscore.core.column.ElementType;
import java.util.Iterator;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/**
 * Reads the column vectors of a vectorized scan straight into the scorer's arrays: one loop per
 * column and range, the type decided once per range, null checks only for vectors that have nulls.
 * Features arrive uncast (the driver leaves casting to this reader, see {@link #canRead}); the
 * widening done here is the one Spark's cast would do. Spark reuses a batch's memory when the scan
 * advances, so a batch is copied out before the next is asked for.
 */
final class ColumnarBatchReader extends BatchReader {
  private final Iterator<ColumnarBatch> in;
  private ColumnarBatch current;
  private int pos;

  ColumnarBatchReader(TaskPlan plan, int capacity, Iterator<ColumnarBatch> in) {
    super(plan, capacity);
    this.in = in;
  }

  /**
   * Whether a column of Spark type {@code source} can feed an input of {@code target} here without
   * Spark's cast: the same type, or a lossless widening (and long or double to float, as Spark's
   * cast does it). Anything else, decimals and ML vectors included, takes the row path with Spark's
   * own cast.
   */
  static boolean canRead(DataType source, ElementType target, boolean array) {
    if (array) {
      if (!(source instanceof org.apache.spark.sql.types.ArrayType a)) {
        return false;
      }
      DataType e = a.elementType();
      return switch (target) {
        case FLOAT -> e instanceof FloatType;
        case DOUBLE -> e instanceof DoubleType;
        case INT64 -> e instanceof LongType;
        case INT32 -> e instanceof IntegerType;
        default -> false;
      };
    }
    boolean integral =
        source instanceof IntegerType || source instanceof ShortType || source instanceof ByteType;
    return switch (target) {
      case FLOAT, DOUBLE ->
          integral
              || source instanceof LongType
              || source instanceof FloatType
              || source instanceof DoubleType;
      case INT64 -> integral || source instanceof LongType;
      case INT32 -> integral;
      case BOOL -> source instanceof BooleanType;
      case STRING -> source instanceof StringType;
      default -> false;
    };
  }

  @Override
  int read() {
    reset();
    while (rows < capacity) {
      if (current == null || pos >= current.numRows()) {
        current = null;
        if (!in.hasNext()) {
          break;
        }
        current = in.next();
        pos = 0;
        continue;
      }
      if (rows == 0) {
        firstFile = SparkInternals.currentInputFile();
      }
      int n = Math.min(capacity - rows, current.numRows() - pos);
      for (int f = 0; f < values.length; f++) {
        ColumnVector v = current.column(plan.featureOrdinals[f]);
        if (plan.featureIsArray[f]) {
          readArrays(f, v, n);
        } else {
          readScalars(f, v, n);
        }
      }
      for (int p = 0; p < passthrough.length; p++) {
        ColumnVector v = current.column(plan.passthroughOrdinals[p]);
        DataType t = plan.passthroughTypes[p];
        Object[] dst = passthrough[p];
        for (int i = 0; i < n; i++) {
          int r = pos + i;
          dst[rows + i] =
              v.isNullAt(r) ? null : copy(current.getRow(r).get(plan.passthroughOrdinals[p], t));
        }
      }
      rows += n;
      pos += n;
    }
    return rows;
  }

  private void readArrays(int f, ColumnVector v, int n) {
    boolean[] mask = nulls[f];
    int[] off = offsets[f];
    Flat child = children[f];
    for (int i = 0; i < n; i++) {
      int r = pos + i;
      boolean isNull = v.isNullAt(r);
      mask[rows + i] = isNull;
      sawNull[f] |= isNull;
      if (!isNull) {
        child.append(v.getArray(r));
      }
      off[rows + i + 1] = child.size;
    }
  }

  private void readScalars(int f, ColumnVector v, int n) {
    boolean[] mask = nulls[f];
    int at = rows;
    if (v.hasNull()) {
      for (int i = 0; i < n; i++) {
        boolean isNull = v.isNullAt(pos + i);
        mask[at + i] = isNull;
        sawNull[f] |= isNull;
      }
    } else {
      java.util.Arrays.fill(mask, at, at + n, false);
    }
    DataType s = plan.featureSourceTypes[f];
    Object dst = values[f];
    int from = pos;
    switch (plan.featureTypes[f]) {
      case FLOAT -> {
        float[] d = (float[]) dst;
        if (s instanceof FloatType) {
          for (int i = 0; i < n; i++) {
            d[at + i] = v.getFloat(from + i);
          }
        } else if (s instanceof DoubleType) {
          for (int i = 0; i < n; i++) {
            d[at + i] = (float) v.getDouble(from + i);
          }
        } else if (s instanceof LongType) {
          for (int i = 0; i < n; i++) {
            d[at + i] = (float) v.getLong(from + i);
          }
        } else {
          for (int i = 0; i < n; i++) {
            d[at + i] = integral(v, s, from + i);
          }
        }
      }
      case DOUBLE -> {
        double[] d = (double[]) dst;
        if (s instanceof DoubleType) {
          for (int i = 0; i < n; i++) {
            d[at + i] = v.getDouble(from + i);
          }
        } else if (s instanceof FloatType) {
          for (int i = 0; i < n; i++) {
            d[at + i] = v.getFloat(from + i);
          }
        } else if (s instanceof LongType) {
          for (int i = 0; i < n; i++) {
            d[at + i] = v.getLong(from + i);
          }
        } else {
          for (int i = 0; i < n; i++) {
            d[at + i] = integral(v, s, from + i);
          }
        }
      }
      case INT64 -> {
        long[] d = (long[]) dst;
        if (s instanceof LongType) {
          for (int i = 0; i < n; i++) {
            d[at + i] = v.getLong(from + i);
          }
        } else {
          for (int i = 0; i < n; i++) {
            d[at + i] = integral(v, s, from + i);
          }
        }
      }
      case INT32 -> {
        int[] d = (int[]) dst;
        for (int i = 0; i < n; i++) {
          d[at + i] = integral(v, s, from + i);
        }
      }
      case BOOL -> {
        boolean[] d = (boolean[]) dst;
        for (int i = 0; i < n; i++) {
          d[at + i] = v.getBoolean(from + i);
        }
      }
      default -> {
        String[] d = (String[]) dst;
        for (int i = 0; i < n; i++) {
          d[at + i] = mask[at + i] ? null : v.getUTF8String(from + i).toString();
        }
      }
    }
  }

  /** A byte, short or int value; nulls read as whatever the vector holds (masked later). */
  private static int integral(ColumnVector v, DataType s, int r) {
    if (s instanceof IntegerType) {
      return v.getInt(r);
    }
    return s instanceof ShortType ? v.getShort(r) : v.getByte(r);
  }
}
