package io.batchscore.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.batchscore.core.TestData;
import io.batchscore.core.spec.NullPolicy;
import io.batchscore.core.spec.ScoringSpec;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading the scan's column vectors gives exactly what reading rows gives: same rows, same
 * predictions, same rejections, whatever the batch boundaries.
 */
class ColumnarReadTest {
  private static SparkSession spark;
  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    spark = SparkTestSession.start();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @AfterEach
  void resetConf() {
    spark.conf().unset(SparkScoring.COLUMNAR_CONF);
    spark.conf().unset("spark.sql.parquet.columnarReaderBatchSize");
  }

  private Dataset<Row> parquet(Dataset<Row> df, String name) {
    String p = tmp.resolve(name).toString();
    df.write().mode(SaveMode.Overwrite).parquet(p);
    return spark.read().parquet(p);
  }

  /** Scores with the columnar reader and with rows; checks which path ran; returns both, sorted. */
  private List<List<Row>> bothWays(Dataset<Row> input, ScoringSpec spec, boolean expectColumnar)
      throws Exception {
    SparkScoring.Prepared columnar =
        SparkScoring.prepare(spark, input, spec, SparkScoring.Layout.TRANSFORMER);
    assertEquals(expectColumnar, columnar.columnar());
    List<Row> a = columnar.scored().orderBy("id").collectAsList();
    spark.conf().set(SparkScoring.COLUMNAR_CONF, "false");
    SparkScoring.Prepared rows =
        SparkScoring.prepare(spark, input, spec, SparkScoring.Layout.TRANSFORMER);
    assertFalse(rows.columnar());
    List<Row> b = rows.scored().orderBy("id").collectAsList();
    spark.conf().unset(SparkScoring.COLUMNAR_CONF);
    return List.of(a, b);
  }

  @Test
  void columnarReadScoresEveryRowAsTheRowPathDoesAcrossBatchBoundaries() throws Exception {
    // Spark batches of 37 rows against scorer batches of 16 and 100: ranges cross both ways.
    spark.conf().set("spark.sql.parquet.columnarReaderBatchSize", "37");
    Dataset<Row> input =
        parquet(SparkTestSession.csv(spark, "breast_cancer.csv").repartition(3), "bc");
    for (int batch : new int[] {16, 100}) {
      ScoringSpec spec =
          ScoringSpec.load(TestData.sample("specs/breast_cancer.yaml")).toBuilder()
              .batchSize(batch)
              .build();
      List<List<Row>> r = bothWays(input, spec, true);
      assertEquals(569, r.get(0).size());
      assertEquals(r.get(1), r.get(0), "batch size " + batch);
    }
  }

  @Test
  void nullsAndNarrowTypesReadFromVectorsMatchSparksCastAndRejections() throws Exception {
    spark.conf().set("spark.sql.parquet.columnarReaderBatchSize", "50");
    Dataset<Row> csv = SparkTestSession.csv(spark, "breast_cancer.csv");
    Dataset<Row> input =
        parquet(
            csv.withColumn(
                    "mean_radius",
                    when(col("id").mod(41).equalTo(0), lit(null)).otherwise(col("mean_radius")))
                .withColumn("mean_texture", col("mean_texture").cast("int"))
                .withColumn("mean_area", col("mean_area").cast("long"))
                .withColumn("mean_smoothness", col("mean_smoothness").cast("float"))
                .withColumn("worst_area", col("worst_area").cast("short")),
            "typed");
    ScoringSpec spec =
        ScoringSpec.load(TestData.sample("specs/breast_cancer.yaml")).toBuilder()
            .nullPolicy(NullPolicy.SKIP)
            .build();
    List<List<Row>> r = bothWays(input, spec, true);
    assertEquals(569 - 14, r.get(0).size(), "rows with a null mean_radius are left out");
    assertEquals(r.get(1), r.get(0));
  }

  @Test
  void arrayFeaturesAreReadFromVectors() throws Exception {
    spark.conf().set("spark.sql.parquet.columnarReaderBatchSize", "33");
    Dataset<Row> input =
        spark.read().parquet(TestData.sample("data/fashion_mnist_1k.parquet").toString());
    ScoringSpec spec =
        ScoringSpec.load(TestData.sample("specs/fashion_mlp_pixels.yaml")).toBuilder()
            .batchSize(64)
            .build();
    List<List<Row>> r = bothWays(input, spec, true);
    assertEquals(1000, r.get(0).size());
    assertEquals(r.get(1), r.get(0));
  }

  @Test
  void inputThatIsNotAPlainScanIsReadAsRows() throws Exception {
    Dataset<Row> input =
        parquet(SparkTestSession.csv(spark, "breast_cancer.csv"), "bc").filter(col("id").gt(100));
    ScoringSpec spec = ScoringSpec.load(TestData.sample("specs/breast_cancer.yaml"));
    List<List<Row>> r = bothWays(input, spec, false);
    assertEquals(468, r.get(0).size());
    assertEquals(r.get(1), r.get(0));
  }
}
