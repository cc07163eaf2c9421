package io.batchscore.spark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.batchscore.spark.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WrittenRowsTest {
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkTestSession.start();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static FileSystem fs() throws IOException {
    return FileSystem.getLocal(spark.sparkContext().hadoopConfiguration());
  }

  private static org.apache.hadoop.fs.Path write(Path dir, long rows, int files) {
    spark
        .range(rows)
        .repartition(files)
        .selectExpr("id", "cast(id as float) / 7 as p")
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(dir.toString());
    return new org.apache.hadoop.fs.Path(dir.toUri());
  }

  @Test
  void rowsWrittenAreCountedFromTheFootersOnTheDriverAndBySparkAlike(@TempDir Path dir)
      throws Exception {
    org.apache.hadoop.fs.Path out = write(dir.resolve("out"), 12_345, 5);
    assertEquals(12_345, WrittenRows.count(spark, fs(), out));
    // More part files than the driver reads: a Spark job counts them, the same number.
    assertEquals(12_345, WrittenRows.count(spark, fs(), out, 2));
  }

  @Test
  void anEmptyOutputHasNoRows(@TempDir Path dir) throws Exception {
    org.apache.hadoop.fs.Path out = write(dir.resolve("empty"), 0, 1);
    assertEquals(0, WrittenRows.count(spark, fs(), out));
  }

  @Test
  void aCorruptPartFileFailsNamingIt(@TempDir Path dir) throws Exception {
    org.apache.hadoop.fs.Path out = write(dir.resolve("out"), 100, 2);
    Files.writeString(dir.resolve("out/part-99999-broken.snappy.parquet"), "not parquet");
    IOException e = assertThrows(IOException.class, () -> WrittenRows.count(spark, fs(), out));
    assertTrue(e.getMessage().contains("part-99999-broken"), e.getMessage());
  }
}
