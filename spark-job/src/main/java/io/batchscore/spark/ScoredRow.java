package io.batchscore.spark;

import io.batchscore.core.ScoreResult;
import io.batchscore.core.ScoringPlan;
import io.batchscore.core.column.Column;
import io.batchscore.core.column.EncodedStrings;
import io.batchscore.core.spec.Challenger;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.SpecializedGettersReader;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.util.ArrayBasedMapData;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.catalyst.util.MapData;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.types.CalendarInterval;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * A scored row read in place: the passthrough values, the predictions and the model columns of row
 * {@link #at} of the current batch, read straight from the reader's and the scorer's arrays when
 * Spark asks for them. Nothing is copied into a row first: Spark projects every row a DataFrame's
 * RDD gives it into an {@code UnsafeRow} anyway, and its generated projection calls these getters
 * with constant ordinals, so each read is an array load. (Filling a {@code SpecificInternalRow} per
 * row and projecting it copies every value twice.)
 *
 * <p>One instance per task, moved from row to row; Spark projects it before asking for the next, as
 * it did the mutable row before. {@link #copy} makes an independent row.
 *
 * <p>Abstract only for what differs between Spark lines: {@link LineScoredRow}, in each line's own
 * sources, adds the getters of types one line has (Spark 4's variant).
 */
abstract class ScoredRow extends InternalRow {
  private static final long serialVersionUID = 1L;
  private final TaskPlan plan;
  private final int predictionsStart;
  private final int modelStart;
  private final int fields;
  private final UTF8String[] model;

  /**
   * With canaries: the model columns of each model by its name, and the ordinal of {@code
   * served_by}, which picks them per row; else null and -1.
   */
  private final java.util.Map<String, UTF8String[]> modelByName;

  private final int servedBy;
  private final EncodedStrings<UTF8String> labels = new EncodedStrings<>(UTF8String::fromString);

  /** Per ordinal of a prediction: its values array (float[], double[], ..., String[]) or column. */
  private final Object[] values;

  private final Column[] columns;
  private BatchReader in;
  private ScoreResult result;
  private long scoredAt;
  private int i;
  private int inputRow;

  ScoredRow(TaskPlan plan) {
    this.plan = plan;
    this.predictionsStart = plan.passthroughOrdinals.length;
    this.modelStart = predictionsStart + plan.predictionColumns.length;
    this.fields = plan.outputSchema.size();
    this.model =
        new UTF8String[] {
          UTF8String.fromString(plan.scoring.modelName()),
          UTF8String.fromString(plan.scoring.modelVersion()),
          UTF8String.fromString(plan.scoring.model().sha256())
        };
    this.values = new Object[fields];
    this.columns = new Column[fields];
    int served = java.util.List.of(plan.predictionColumns).indexOf(Challenger.SERVED_BY);
    if (served >= 0 && plan.modelColumns) {
      this.servedBy = predictionsStart + served;
      this.modelByName = new java.util.HashMap<>();
      modelByName.put(plan.scoring.modelName(), model);
      java.util.List<Challenger> cs = plan.scoring.spec().challengers();
      for (int c = 0; c < cs.size(); c++) {
        ScoringPlan p = plan.scoring.challengers().get(c);
        modelByName.put(
            cs.get(c).name(),
            new UTF8String[] {
              UTF8String.fromString(p.modelName()),
              UTF8String.fromString(p.modelVersion()),
              UTF8String.fromString(p.model().sha256())
            });
      }
    } else {
      this.servedBy = -1;
      this.modelByName = null;
    }
  }

  /** Points the row at a newly scored batch; {@code scoredAtMicros} fills {@code scored_at}. */
  void batch(ScoreResult r, Column[] predictions, BatchReader reader, long scoredAtMicros) {
    this.result = r;
    this.in = reader;
    this.scoredAt = scoredAtMicros;
    for (int c = 0; c < predictions.length; c++) {
      Column col = predictions[c];
      int ord = predictionsStart + c;
      columns[ord] = col;
      values[ord] = arrayOf(col);
    }
  }

  /** The primitive or string array behind a flat column, else the column itself. */
  private static Object arrayOf(Column c) {
    if (!c.type().isScalar()) {
      return c;
    }
    switch (c.type().element()) {
      case FLOAT:
        return c.floats();
      case DOUBLE:
        return c.doubles();
      case INT64:
        return c.longs();
      case INT32:
        return c.ints();
      case BOOL:
        return c.booleans();
      case STRING:
        return c.strings();
      default:
        return c;
    }
  }

  /** Moves to scored row {@code row} of the batch. */
  ScoredRow at(int row) {
    this.i = row;
    this.inputRow = result.inputRow(row);
    return this;
  }

  /** A passthrough column's value at this row, as the reader holds it. */
  final Object passthrough(int ordinal) {
    return in.passthrough(ordinal, inputRow);
  }

  @Override
  public int numFields() {
    return fields;
  }

  @Override
  public boolean isNullAt(int ordinal) {
    if (ordinal < predictionsStart) {
      return passthrough(ordinal) == null;
    }
    return ordinal < modelStart && columns[ordinal].isNull(i);
  }

  @Override
  public boolean getBoolean(int ordinal) {
    return ordinal < predictionsStart
        ? (Boolean) passthrough(ordinal)
        : ((boolean[]) values[ordinal])[i];
  }

  @Override
  public byte getByte(int ordinal) {
    return (Byte) passthrough(ordinal);
  }

  @Override
  public short getShort(int ordinal) {
    return (Short) passthrough(ordinal);
  }

  @Override
  public int getInt(int ordinal) {
    return ordinal < predictionsStart
        ? (Integer) passthrough(ordinal)
        : ((int[]) values[ordinal])[i];
  }

  @Override
  public long getLong(int ordinal) {
    if (ordinal < predictionsStart) {
      return (Long) passthrough(ordinal);
    }
    return ordinal < modelStart ? ((long[]) values[ordinal])[i] : scoredAt;
  }

  @Override
  public float getFloat(int ordinal) {
    return ordinal < predictionsStart
        ? (Float) passthrough(ordinal)
        : ((float[]) values[ordinal])[i];
  }

  @Override
  public double getDouble(int ordinal) {
    return ordinal < predictionsStart
        ? (Double) passthrough(ordinal)
        : ((double[]) values[ordinal])[i];
  }

  @Override
  public UTF8String getUTF8String(int ordinal) {
    if (ordinal < predictionsStart) {
      return (UTF8String) passthrough(ordinal);
    }
    if (ordinal < modelStart) {
      return labels.get(((String[]) values[ordinal])[i]);
    }
    if (servedBy >= 0) {
      // a canary's rows name the model that served them
      return modelByName.get(((String[]) values[servedBy])[i])[ordinal - modelStart];
    }
    return model[ordinal - modelStart];
  }

  @Override
  public ArrayData getArray(int ordinal) {
    if (ordinal < predictionsStart) {
      return (ArrayData) passthrough(ordinal);
    }
    Column a = columns[ordinal];
    return slice(a.elements(), a.offsets()[i], a.length(i));
  }

  @Override
  public MapData getMap(int ordinal) {
    if (ordinal < predictionsStart) {
      return (MapData) passthrough(ordinal);
    }
    Column m = columns[ordinal];
    int off = m.offsets()[i];
    int len = m.offsets()[i + 1] - off;
    return new ArrayBasedMapData(slice(m.keys(), off, len), slice(m.values(), off, len));
  }

  @Override
  public Decimal getDecimal(int ordinal, int precision, int scale) {
    return (Decimal) passthrough(ordinal);
  }

  @Override
  public byte[] getBinary(int ordinal) {
    return (byte[]) passthrough(ordinal);
  }

  @Override
  public CalendarInterval getInterval(int ordinal) {
    return (CalendarInterval) passthrough(ordinal);
  }

  @Override
  public InternalRow getStruct(int ordinal, int numFields) {
    return (InternalRow) passthrough(ordinal);
  }

  @Override
  public Object get(int ordinal, DataType dataType) {
    if (ordinal < predictionsStart) {
      return passthrough(ordinal);
    }
    // Spark's own dispatch from a type to the typed getters above.
    return isNullAt(ordinal)
        ? null
        : SpecializedGettersReader.read(this, ordinal, dataType, true, true);
  }

  /**
   * An independent row with this row's values (passthrough values are already the reader's copies).
   */
  @Override
  public InternalRow copy() {
    Object[] v = new Object[fields];
    for (int o = 0; o < fields; o++) {
      v[o] = get(o, plan.outputSchema.apply(o).dataType());
    }
    return new GenericInternalRow(v);
  }

  @Override
  public void setNullAt(int ordinal) {
    throw new UnsupportedOperationException("a scored row is read-only");
  }

  @Override
  public void update(int ordinal, Object value) {
    throw new UnsupportedOperationException("a scored row is read-only");
  }

  /** Elements {@code [off, off + len)} of a flat column as Spark array data, copied once. */
  static ArrayData slice(Column flat, int off, int len) {
    switch (flat.type().element()) {
      case FLOAT:
        return UnsafeArrayData.fromPrimitiveArray(
            flat.floats(), (int) (Platform.FLOAT_ARRAY_OFFSET + off * 4L), len, 4);
      case DOUBLE:
        return UnsafeArrayData.fromPrimitiveArray(
            flat.doubles(), (int) (Platform.DOUBLE_ARRAY_OFFSET + off * 8L), len, 8);
      case INT64:
        return UnsafeArrayData.fromPrimitiveArray(
            flat.longs(), (int) (Platform.LONG_ARRAY_OFFSET + off * 8L), len, 8);
      case INT32:
        return UnsafeArrayData.fromPrimitiveArray(
            flat.ints(), (int) (Platform.INT_ARRAY_OFFSET + off * 4L), len, 4);
      default:
        break;
    }
    Object[] out = new Object[len];
    for (int j = 0; j < len; j++) {
      Object v = flat.get(off + j);
      out[j] = v instanceof String s ? UTF8String.fromString(s) : v;
    }
    return new GenericArrayData(out);
  }
}
