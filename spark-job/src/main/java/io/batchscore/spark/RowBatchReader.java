package io.batchscore.spark;

import io.batchscore.core.column.ElementType;
import java.util.Iterator;
import org.apache.spark.sql.catalyst.InternalRow;

/** Reads Spark's internal rows (the scan's rows, or any plan's), a batch at a time. */
final class RowBatchReader extends BatchReader {
  private final Iterator<InternalRow> in;

  RowBatchReader(TaskPlan plan, int capacity, Iterator<InternalRow> in) {
    super(plan, capacity);
    this.in = in;
  }

  @Override
  int read() {
    reset();
    while (rows < capacity && in.hasNext()) {
      InternalRow row = in.next();
      if (rows == 0) {
        firstFile = SparkInternals.currentInputFile();
      }
      for (int f = 0; f < values.length; f++) {
        int ord = plan.featureOrdinals[f];
        boolean isNull = row.isNullAt(ord);
        nulls[f][rows] = isNull;
        sawNull[f] |= isNull;
        if (plan.featureIsArray[f]) {
          int[] off = offsets[f];
          if (!isNull) {
            children[f].append(row.getArray(ord));
          }
          off[rows + 1] = children[f].size;
        } else if (!isNull) {
          readScalar(row, ord, plan.featureTypes[f], values[f], rows);
        }
      }
      for (int p = 0; p < passthrough.length; p++) {
        int ord = plan.passthroughOrdinals[p];
        passthrough[p][rows] =
            row.isNullAt(ord) ? null : copy(row.get(ord, plan.passthroughTypes[p]));
      }
      rows++;
    }
    return rows;
  }

  private static void readScalar(InternalRow row, int ord, ElementType t, Object dst, int i) {
    switch (t) {
      case FLOAT:
        ((float[]) dst)[i] = row.getFloat(ord);
        break;
      case DOUBLE:
        ((double[]) dst)[i] = row.getDouble(ord);
        break;
      case INT64:
        ((long[]) dst)[i] = row.getLong(ord);
        break;
      case INT32:
        ((int[]) dst)[i] = row.getInt(ord);
        break;
      case BOOL:
        ((boolean[]) dst)[i] = row.getBoolean(ord);
        break;
      default:
        ((String[]) dst)[i] = row.getUTF8String(ord).toString();
    }
  }
}
