package io.batchscore.spark;

import io.batchscore.core.ScoreResult;
import io.batchscore.core.column.ArrayColumn;
import io.batchscore.core.column.BoolColumn;
import io.batchscore.core.column.Column;
import io.batchscore.core.column.DoubleColumn;
import io.batchscore.core.column.FloatColumn;
import io.batchscore.core.column.IntColumn;
import io.batchscore.core.column.LongColumn;
import io.batchscore.core.column.MapColumn;
import io.batchscore.core.column.StringColumn;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.SpecificInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.util.ArrayBasedMapData;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Writes scored rows as Spark internal rows: passthrough values, prediction columns (primitive
 * setters, arrays copied once into {@link UnsafeArrayData}), then the model columns. One mutable
 * row is reused; Spark's scan projects it to an UnsafeRow before the next is written.
 */
final class RowWriter {
  private final ScoringPlan plan;
  private final SpecificInternalRow row;
  private final UTF8String modelName;
  private final UTF8String modelVersion;
  private final UTF8String modelSha;
  private final int predictionsStart;
  private final int modelStart;
  private final io.batchscore.core.column.EncodedStrings<UTF8String> labels =
      new io.batchscore.core.column.EncodedStrings<>(UTF8String::fromString);

  RowWriter(ScoringPlan plan) {
    this.plan = plan;
    this.row = new SpecificInternalRow(plan.outputSchema);
    this.modelName = UTF8String.fromString(plan.modelName);
    this.modelVersion = UTF8String.fromString(plan.modelVersion);
    this.modelSha = UTF8String.fromString(plan.modelSha256);
    this.predictionsStart = plan.passthroughOrdinals.length;
    this.modelStart = predictionsStart + plan.predictionColumns.length;
  }

  InternalRow write(ScoreResult r, Column[] predictions, BatchReader in, int i, long scoredAtMicros) {
    int inputRow = r.inputRow(i);
    for (int p = 0; p < predictionsStart; p++) {
      Object v = in.passthrough(p, inputRow);
      if (v == null) {
        row.setNullAt(p);
      } else {
        row.update(p, v);
      }
    }
    for (int c = 0; c < predictions.length; c++) {
      set(predictionsStart + c, predictions[c], i);
    }
    if (plan.modelColumns) {
      row.update(modelStart, modelName);
      row.update(modelStart + 1, modelVersion);
      row.update(modelStart + 2, modelSha);
      row.setLong(modelStart + 3, scoredAtMicros);
    }
    return row;
  }

  private void set(int ord, Column c, int i) {
    if (c instanceof FloatColumn f) {
      row.setFloat(ord, f.value(i));
    } else if (c instanceof DoubleColumn d) {
      row.setDouble(ord, d.value(i));
    } else if (c instanceof LongColumn l) {
      row.setLong(ord, l.value(i));
    } else if (c instanceof IntColumn n) {
      row.setInt(ord, n.value(i));
    } else if (c instanceof BoolColumn b) {
      row.setBoolean(ord, b.value(i));
    } else if (c instanceof StringColumn s) {
      row.update(ord, labels.get(s.value(i)));
    } else if (c instanceof ArrayColumn a) {
      int off = a.offsets()[i];
      row.update(ord, slice(a.values(), off, a.length(i)));
    } else if (c instanceof MapColumn m) {
      int off = m.offsets()[i];
      int len = m.offsets()[i + 1] - off;
      row.update(ord, new ArrayBasedMapData(slice(m.keys(), off, len), slice(m.values(), off, len)));
    } else {
      throw new IllegalStateException("cannot write " + c.type());
    }
  }

  /** Elements {@code [off, off + len)} of a flat column as Spark array data, copied once. */
  static ArrayData slice(Column flat, int off, int len) {
    if (flat instanceof FloatColumn f) {
      return UnsafeArrayData.fromPrimitiveArray(
          f.values(), (int) (Platform.FLOAT_ARRAY_OFFSET + off * 4L), len, 4);
    }
    if (flat instanceof DoubleColumn d) {
      return UnsafeArrayData.fromPrimitiveArray(
          d.values(), (int) (Platform.DOUBLE_ARRAY_OFFSET + off * 8L), len, 8);
    }
    if (flat instanceof LongColumn l) {
      return UnsafeArrayData.fromPrimitiveArray(
          l.values(), (int) (Platform.LONG_ARRAY_OFFSET + off * 8L), len, 8);
    }
    if (flat instanceof IntColumn n) {
      return UnsafeArrayData.fromPrimitiveArray(
          n.values(), (int) (Platform.INT_ARRAY_OFFSET + off * 4L), len, 4);
    }
    Object[] out = new Object[len];
    for (int j = 0; j < len; j++) {
      Object v = flat.get(off + j);
      out[j] = v instanceof String s ? UTF8String.fromString(s) : v;
    }
    return new GenericArrayData(out);
  }
}
