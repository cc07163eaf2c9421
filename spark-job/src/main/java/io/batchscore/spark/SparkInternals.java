package io.batchscore.spark;

import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/**
 * The only place that calls Spark internals: reading a DataFrame as {@code RDD<InternalRow>} and
 * making a DataFrame from one. These skip the conversion of every row to and from {@link Row}
 * (about 1.6x on the I/O-bound sample, see docs/performance.md). The classes differ between the
 * Spark 4 line ({@code sql.classic}, Scala 2.13) and Spark 3.5 (Scala 2.12) in three places, which
 * each line's {@link SparkLine} provides.
 */
public final class SparkInternals {
  private SparkInternals() {}

  /** The DataFrame's rows in Spark's internal form; the rows may be reused by the iterator. */
  public static RDD<InternalRow> toInternalRdd(Dataset<Row> df) {
    return SparkLine.execution(df).toRdd();
  }

  /** The file the current task's scan is reading, or null when not reading files. */
  public static String currentInputFile() {
    String f = org.apache.spark.rdd.InputFileBlockHolder.getInputFilePath().toString();
    return f == null || f.isEmpty() ? null : f;
  }

  /**
   * The columnar batches of the scan under a DataFrame that only reads columns (and perhaps
   * reorders them), or null when the plan does anything else (filters, joins, casts, a scan that is
   * not vectorized). Reading these skips the scan's conversion of every batch to rows.
   */
  public static ColumnarSource columnarSource(Dataset<Row> df) {
    org.apache.spark.sql.execution.SparkPlan p = SparkLine.execution(df).executedPlan();
    while (!(p instanceof org.apache.spark.sql.execution.ColumnarToRowExec)) {
      if (p instanceof org.apache.spark.sql.execution.WholeStageCodegenExec w) {
        p = w.child();
      } else if (p instanceof org.apache.spark.sql.execution.InputAdapter a) {
        p = a.child();
      } else if (p instanceof org.apache.spark.sql.execution.ProjectExec pr
          && SparkLine.list(pr.projectList()).stream()
              .allMatch(
                  e -> e instanceof org.apache.spark.sql.catalyst.expressions.AttributeReference)) {
        p = pr.child();
      } else {
        return null;
      }
    }
    org.apache.spark.sql.execution.SparkPlan scan =
        ((org.apache.spark.sql.execution.ColumnarToRowExec) p).child();
    if (!scan.supportsColumnar()) {
      return null;
    }
    java.util.List<String> names = new java.util.ArrayList<>();
    for (org.apache.spark.sql.catalyst.expressions.Attribute a : SparkLine.list(scan.output())) {
      names.add(a.name());
    }
    return new ColumnarSource(scan.executeColumnar(), names);
  }

  /** A scan's batches and the names of its columns, in order. */
  public record ColumnarSource(RDD<ColumnarBatch> batches, java.util.List<String> columns) {}

  /** A DataFrame over internal rows that match {@code schema}. */
  public static Dataset<Row> fromInternalRdd(
      SparkSession spark, RDD<InternalRow> rows, StructType schema) {
    return SparkLine.dataFrame(spark, rows, schema);
  }
}
