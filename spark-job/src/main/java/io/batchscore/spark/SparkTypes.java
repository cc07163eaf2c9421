package io.batchscore.spark;

import io.batchscore.core.column.ColumnType;
import io.batchscore.core.column.ElementType;
import io.batchscore.core.column.InputSchema;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Spark SQL types to batchscore column types and back. */
public final class SparkTypes {
  private SparkTypes() {}

  /**
   * The batchscore type a Spark column is read as, or null when it cannot feed a model. Narrow
   * integers and decimals read as their widened forms; ML vectors as {@code array<double>}.
   */
  public static ColumnType columnType(DataType t) {
    ElementType e = element(t);
    if (e != null) {
      return ColumnType.scalar(e);
    }
    if (t instanceof ArrayType a) {
      ElementType inner = element(a.elementType());
      return inner == null ? null : ColumnType.array(inner);
    }
    if (t instanceof VectorUDT) {
      return ColumnType.array(ElementType.DOUBLE);
    }
    return null;
  }

  private static ElementType element(DataType t) {
    if (t instanceof FloatType) {
      return ElementType.FLOAT;
    }
    if (t instanceof DoubleType || t instanceof DecimalType) {
      return ElementType.DOUBLE;
    }
    if (t instanceof LongType) {
      return ElementType.INT64;
    }
    if (t instanceof IntegerType || t instanceof ShortType || t instanceof ByteType) {
      return ElementType.INT32;
    }
    if (t instanceof BooleanType) {
      return ElementType.BOOL;
    }
    if (t instanceof StringType) {
      return ElementType.STRING;
    }
    return null;
  }

  /**
   * The input schema of a DataFrame: its columns that can feed a model with their types, and the
   * others (timestamps, structs...), which the job can still pass through.
   */
  public static InputSchema inputSchema(StructType schema) {
    InputSchema.Builder b = InputSchema.builder();
    for (StructField f : schema.fields()) {
      ColumnType t = columnType(f.dataType());
      if (t != null) {
        b.add(f.name(), t);
      } else {
        b.addOther(f.name(), f.dataType().simpleString(), true);
      }
    }
    return b.build();
  }

  /** The Spark type of a prediction column. */
  public static DataType sparkType(ColumnType t) {
    switch (t.kind()) {
      case ARRAY:
        return DataTypes.createArrayType(sparkType(t.element()), false);
      case MAP:
        return DataTypes.createMapType(sparkType(t.keyType()), sparkType(t.element()), false);
      default:
        return sparkType(t.element());
    }
  }

  public static DataType sparkType(ElementType e) {
    switch (e) {
      case FLOAT:
        return DataTypes.FloatType;
      case DOUBLE:
        return DataTypes.DoubleType;
      case INT64:
        return DataTypes.LongType;
      case INT32:
        return DataTypes.IntegerType;
      case BOOL:
        return DataTypes.BooleanType;
      case STRING:
        return DataTypes.StringType;
      default:
        throw new IllegalArgumentException("no Spark type for " + e);
    }
  }
}
