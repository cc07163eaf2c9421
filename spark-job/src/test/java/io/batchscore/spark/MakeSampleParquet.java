package io.batchscore.spark;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;

import io.batchscore.core.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/**
 * Writes sample-data/data/*.parquet from the CSVs that generate.py wrote (Debian has no pyarrow).
 * Run from the repository root:
 *
 * <pre>
 * mvn -q -pl spark-job -am test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.batchscore.spark.MakeSampleParquet
 * </pre>
 *
 * Each file is one Parquet file (not a folder), features as double as in a typical feature table;
 * fashion_mnist_1k.parquet holds the pixels as one array&lt;float&gt; column.
 */
public final class MakeSampleParquet {
  public static void main(String[] args) throws IOException {
    SparkSession spark = SparkTestSession.start();
    try {
      Path data = TestData.sample("data");
      write(
          spark,
          SparkTestSession.csv(spark, "breast_cancer.csv").withColumn("id", col("id").cast("long")),
          data,
          "breast_cancer");
      write(
          spark,
          SparkTestSession.csv(spark, "wine.csv").withColumn("id", col("id").cast("long")),
          data,
          "wine");
      Dataset<Row> f = SparkTestSession.csv(spark, "fashion_mnist_1k.csv");
      List<Column> px = new ArrayList<>();
      for (int i = 0; i < 784; i++) {
        px.add(col("px" + i).cast(DataTypes.FloatType));
      }
      write(
          spark,
          f.select(
              col("id").cast("long"),
              array(px.toArray(new Column[0])).alias("pixels"),
              col("target")),
          data,
          "fashion_mnist_1k");
    } finally {
      spark.stop();
    }
  }

  private static void write(SparkSession spark, Dataset<Row> df, Path dir, String name)
      throws IOException {
    Path tmp = Files.createTempDirectory("parquet-");
    df.coalesce(1)
        .write()
        .mode(SaveMode.Overwrite)
        .option("compression", "snappy")
        .parquet(tmp.resolve("out").toString());
    try (Stream<Path> s = Files.list(tmp.resolve("out"))) {
      Path part =
          s.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
      Files.copy(
          part, dir.resolve(name + ".parquet"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    try (Stream<Path> s = Files.walk(tmp)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    System.out.println("wrote " + dir.resolve(name + ".parquet"));
  }
}
