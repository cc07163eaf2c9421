package io.batchscore.spark;

import io.batchscore.core.TestData;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark session of every Spark test class (spark-job's and the cli's): {@code local[2]} on
 * loopback, no web UI, four shuffle partitions. A class starts it once and stops it when done.
 * Settings a test needs on top ({@code spark.task.cpus}) come as key-value pairs.
 */
public final class SparkTestSession {
  private SparkTestSession() {}

  public static SparkSession start() {
    return start(new String[0]);
  }

  /** The session with extra settings: {@code start("spark.task.cpus", "2")}. */
  public static SparkSession start(String... settings) {
    SparkSession.Builder b =
        SparkSession.builder()
            .appName("batchscore-test")
            .master("local[2]")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.driver.host", "127.0.0.1");
    for (int i = 0; i + 1 < settings.length; i += 2) {
      b.config(settings[i], settings[i + 1]);
    }
    return b.getOrCreate();
  }

  /** A sample CSV with inferred types (id: int, features: double, target: int). */
  public static Dataset<Row> csv(SparkSession spark, String name) {
    Path p = TestData.sample("data/" + name);
    return spark.read().option("header", "true").option("inferSchema", "true").csv(p.toString());
  }
}
