package io.batchscore.spark;

import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;

/**
 * The only place that calls Spark internals: reading a DataFrame as {@code RDD<InternalRow>} and
 * making a DataFrame from one. These skip the conversion of every row to and from {@link Row}
 * (about 1.6x on the I/O-bound sample, see docs/performance.md). The classes differ between the
 * Spark 4 line ({@code sql.classic}) and Spark 3.5; a 3.5 build replaces this class only.
 */
public final class SparkInternals {
  private SparkInternals() {}

  /** The DataFrame's rows in Spark's internal form; the rows may be reused by the iterator. */
  public static RDD<InternalRow> toInternalRdd(Dataset<Row> df) {
    return ((org.apache.spark.sql.classic.Dataset<Row>) df).queryExecution().toRdd();
  }

  /** The file the current task's scan is reading, or null when not reading files. */
  public static String currentInputFile() {
    String f = org.apache.spark.rdd.InputFileBlockHolder.getInputFilePath().toString();
    return f == null || f.isEmpty() ? null : f;
  }

  /** A DataFrame over internal rows that match {@code schema}. */
  public static Dataset<Row> fromInternalRdd(
      SparkSession spark, RDD<InternalRow> rows, StructType schema) {
    return ((org.apache.spark.sql.classic.SparkSession) spark)
        .internalCreateDataFrame(rows, schema, false);
  }
}
