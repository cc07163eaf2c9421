package io.batchscore.spark;

import java.util.List;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.types.StructType;

/**
 * What {@link SparkInternals} reaches differently on each Spark line; this is Spark 4's (Scala
 * 2.13), where a DataFrame's execution lives in {@code sql.classic}.
 */
final class SparkLine {
  private SparkLine() {}

  static QueryExecution execution(Dataset<Row> df) {
    return ((org.apache.spark.sql.classic.Dataset<Row>) df).queryExecution();
  }

  static <T> List<T> list(scala.collection.Seq<T> seq) {
    return scala.jdk.javaapi.CollectionConverters.asJava(seq);
  }

  static Dataset<Row> dataFrame(SparkSession spark, RDD<InternalRow> rows, StructType schema) {
    return ((org.apache.spark.sql.classic.SparkSession) spark)
        .internalCreateDataFrame(rows, schema, false);
  }
}
