package io.batchscore.spark;

import io.batchscore.core.TestData;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** A shared local[2] session for a test class, and the sample data as DataFrames. */
public final class SparkTestSession {
  private SparkTestSession() {}

  public static SparkSession start() {
    return SparkSession.builder()
        .appName("batchscore-test")
        .master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate();
  }

  /** A sample CSV with inferred types (id: int, features: double, target: int). */
  static Dataset<Row> csv(SparkSession spark, String name) {
    Path p = TestData.sample("data/" + name);
    return spark.read().option("header", "true").option("inferSchema", "true").csv(p.toString());
  }
}
