package io.batchscore.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.batchscore.core.BatchScorer;
import io.batchscore.core.ScoreResult;
import io.batchscore.core.ScorerOptions;
import io.batchscore.core.ScoringPlan;
import io.batchscore.core.TestData;
import io.batchscore.core.spec.InputBinding;
import io.batchscore.core.spec.ScoringSpec;
import io.batchscore.core.spec.SessionConfig;
import io.batchscore.core.spec.SpecException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Partition-level scoring in local mode. */
class SparkScoringTest {
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkTestSession.start();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** Expected p_benign by id, from scoring-core directly. */
  private static Map<Long, Float> coreScores(ScoringSpec spec) throws Exception {
    try (BatchScorer s = BatchScorer.open(ScoringPlan.bind(spec, null), ScorerOptions.defaults())) {
      ScoreResult r =
          s.score(TestData.batch(TestData.readCsv(TestData.sample("data/breast_cancer.csv"))));
      Map<Long, Float> out = new HashMap<>();
      for (int i = 0; i < r.rowsScored(); i++) {
        out.put(
            (r.columns().column("id")).getLong(i), (r.columns().column("p_benign")).getFloat(i));
      }
      return out;
    }
  }

  @Test
  void manyPartitionsAreAllScoredWithCorePredictionsAndOneModelLoad() throws Exception {
    // A session option no other test uses, so this test's cache key is its own.
    ScoringSpec spec =
        ScoringSpec.load(TestData.sample("specs/breast_cancer.yaml")).toBuilder()
            .batchSize(16)
            .session(SessionConfig.DEFAULTS.withIntraOpThreads(1).withInterOpThreads(3))
            .build();
    Dataset<Row> input = SparkTestSession.csv(spark, "breast_cancer.csv").repartition(40);
    SparkScoring.Prepared p = SparkScoring.prepare(spark, input, spec, SparkScoring.Layout.JOB);
    List<Row> rows = p.scored().collectAsList();
    assertEquals(569, rows.size());
    assertEquals(
        Map.of("driver", 1L), p.metrics().modelLoads.value(), "one load for 40 partitions");
    assertEquals(
        List.of(
            "id",
            "label",
            "p_benign",
            "diagnosis",
            "model_name",
            "model_version",
            "model_sha256",
            "scored_at"),
        List.of(p.scored().schema().fieldNames()));
    assertEquals(
        DataTypes.IntegerType,
        p.scored().schema().apply("id").dataType(),
        "passthrough keeps its type");
    Map<Long, Float> expected = coreScores(spec);
    for (Row r : rows) {
      long id = r.getInt(0);
      assertEquals(expected.get(id), r.getFloat(2), "row id " + id);
      assertEquals("breast_cancer_logreg", r.getString(4));
      assertEquals("1", r.getString(5));
      assertEquals(p.plan().model().sha256(), r.getString(6));
    }
    assertEquals(569, p.metrics().rowsScored.value());
    assertTrue(p.metrics().batches.value() >= 40);
  }

  @Test
  void vectorColumnsFeedTheModel() throws Exception {
    ScoringSpec base = ScoringSpec.load(TestData.sample("specs/breast_cancer.yaml"));
    List<String> features = base.inputs().get(0).columns();
    Dataset<Row> input = SparkTestSession.csv(spark, "breast_cancer.csv");
    Dataset<Row> withVector =
        new VectorAssembler()
            .setInputCols(features.toArray(new String[0]))
            .setOutputCol("features")
            .transform(input)
            .select("id", "features");
    ScoringSpec spec =
        base.toBuilder()
            .clearInputs()
            .input(InputBinding.ofColumn("float_input", "features"))
            .build();
    List<Row> rows =
        SparkScoring.prepare(spark, withVector, spec, SparkScoring.Layout.JOB)
            .scored()
            .collectAsList();
    Map<Long, Float> expected = coreScores(base);
    assertEquals(569, rows.size());
    for (Row r : rows) {
      assertEquals(expected.get((long) r.getInt(0)), r.getFloat(2), 1e-6);
    }
  }

  @Test
  void badSpecIsReportedOnTheDriverBeforeAnyTaskRuns() throws Exception {
    ScoringSpec spec =
        ScoringSpec.load(TestData.sample("specs/breast_cancer.yaml")).toBuilder()
            .passthrough("no_such_id")
            .build();
    Dataset<Row> input = SparkTestSession.csv(spark, "breast_cancer.csv").drop("mean_radius");
    SpecException e =
        assertThrows(
            SpecException.class,
            () -> SparkScoring.prepare(spark, input, spec, SparkScoring.Layout.JOB));
    assertTrue(e.getMessage().contains("no column 'mean_radius' in the input"), e.getMessage());
    assertTrue(e.getMessage().contains("no column 'no_such_id' in the input"), e.getMessage());
  }

  @Test
  void everyOutputKindIsTheScorersOwnRowForRowOnBothReaders() throws Exception {
    // Spark reads each scored row's values in place (ScoredRow); every output kind must come out
    // as scoring-core made it: numbers, a string label, a map of class scores, top-k labels and
    // their scores; on the column-vector reader and the row reader, across batch boundaries.
    for (String name : List.of("wine", "breast_cancer")) {
      ScoringSpec spec =
          ScoringSpec.load(
              TestData.sample(
                  name.equals("wine") ? "specs/wine_forest.yaml" : "specs/breast_cancer.yaml"));
      List<String> outputs = new java.util.ArrayList<>();
      Map<Long, List<Object>> expected = new HashMap<>();
      try (BatchScorer s =
          BatchScorer.open(ScoringPlan.bind(spec, null), ScorerOptions.defaults())) {
        ScoreResult r =
            s.score(TestData.batch(TestData.readCsv(TestData.sample("data/" + name + ".csv"))));
        for (String c : r.columns().names()) {
          if (!c.equals("id")) {
            outputs.add(c);
          }
        }
        for (int i = 0; i < r.rowsScored(); i++) {
          List<Object> v = new java.util.ArrayList<>();
          for (String c : outputs) {
            v.add(r.columns().column(c).get(i));
          }
          expected.put((r.columns().column("id")).getLong(i), v);
        }
      }
      for (String columnar : List.of("true", "false")) {
        spark.conf().set(SparkScoring.COLUMNAR_CONF, columnar);
        try {
          Dataset<Row> input =
              spark
                  .read()
                  .parquet(TestData.sample("data/" + name + ".parquet").toString())
                  .repartition(3);
          SparkScoring.Prepared p =
              SparkScoring.prepare(
                  spark, input, spec.toBuilder().batchSize(7).build(), SparkScoring.Layout.JOB);
          List<Row> rows = p.scored().collectAsList();
          assertEquals(expected.size(), rows.size());
          for (Row r : rows) {
            long id = ((Number) r.getAs("id")).longValue();
            String where = name + " row id " + id + ", columnar=" + columnar;
            for (int c = 0; c < outputs.size(); c++) {
              Object v = r.get(r.fieldIndex(outputs.get(c)));
              if (v instanceof scala.collection.Map<?, ?>) {
                v = new HashMap<>(r.getJavaMap(r.fieldIndex(outputs.get(c))));
              } else if (v instanceof scala.collection.Seq<?>) {
                v = r.getList(r.fieldIndex(outputs.get(c)));
              }
              assertEquals(expected.get(id).get(c), v, where + ", " + outputs.get(c));
            }
            assertEquals(p.plan().model().sha256(), r.getAs("model_sha256"), where);
          }
        } finally {
          spark.conf().unset(SparkScoring.COLUMNAR_CONF);
        }
      }
    }
  }

  @Test
  void aModelOnAHadoopFileSystemIsFetchedByTheTasksWithTheSessionsConfiguration(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
    // The executors get the Hadoop configuration only for a model on a Hadoop file system
    // (hdfs://, s3a://...; "bstest://" here): the tasks must still find it there.
    java.nio.file.Path model = tmp.resolve("remote/breast_cancer_logreg.onnx");
    java.nio.file.Files.createDirectories(model.getParent());
    java.nio.file.Files.copy(TestData.sample("models/breast_cancer_logreg.onnx"), model);
    org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
    conf.set("fs.bstest.impl", ModelFilesTest.TestFs.class.getName());
    conf.setBoolean("fs.bstest.impl.disable.cache", true);
    try {
      ScoringSpec spec =
          ScoringSpec.load(TestData.sample("specs/breast_cancer.yaml")).toBuilder()
              .model("bstest://" + model)
              .build();
      assertTrue(ModelFiles.isRemote(spec.modelPath()));
      List<Row> rows =
          SparkScoring.prepare(
                  spark,
                  SparkTestSession.csv(spark, "breast_cancer.csv").repartition(3),
                  spec,
                  SparkScoring.Layout.JOB)
              .scored()
              .collectAsList();
      Map<Long, Float> expected =
          coreScores(ScoringSpec.load(TestData.sample("specs/breast_cancer.yaml")));
      assertEquals(569, rows.size());
      for (Row r : rows) {
        assertEquals(expected.get((long) r.getInt(0)), r.getFloat(2), "row id " + r.getInt(0));
      }
    } finally {
      conf.unset("fs.bstest.impl");
      conf.unset("fs.bstest.impl.disable.cache");
    }
  }
}
