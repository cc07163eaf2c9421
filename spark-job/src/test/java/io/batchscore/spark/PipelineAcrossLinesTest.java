package io.batchscore.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.batchscore.core.TestData;
import io.batchscore.core.spec.ScoringSpec;
import io.batchscore.spark.ml.OnnxScoringModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pipeline with an {@code OnnxScoringModel} saved on each Spark line ({@link
 * MakePipelineFixture}, in test resources) loads on the line running this test and scores as the
 * spec does: run by spark-job and spark-job-3.5, so each line loads its own and the other's.
 */
class PipelineAcrossLinesTest {
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

  static Dataset<Row> input(SparkSession spark) {
    return spark.read().parquet(TestData.sample("data/breast_cancer.parquet").toString());
  }

  @Test
  void aPipelineSavedOnEitherSparkLineLoadsAndScoresOnThisOne() throws Exception {
    Path fixtures = TestData.repoRoot().resolve("spark-job/src/test/resources/pipelines");
    List<Path> saved;
    try (Stream<Path> s = Files.list(fixtures)) {
      saved = s.sorted().toList();
    }
    assertEquals(
        List.of("spark-3.5.7", "spark-4.0.1"),
        saved.stream().map(p -> p.getFileName().toString()).toList());
    List<Row> expected =
        new OnnxScoringModel()
            .setSpec(ScoringSpec.load(TestData.sample("specs/breast_cancer.yaml")))
            .transform(input(spark))
            .select("id", "label", "p_benign")
            .orderBy("id")
            .collectAsList();
    assertEquals(569, expected.size());
    for (Path p : saved) {
      // From a copy: loading must not depend on where the pipeline was saved.
      Path copy = tmp.resolve(p.getFileName());
      copyTree(p, copy);
      PipelineModel loaded = PipelineModel.load(copy.toString());
      List<Row> got =
          loaded
              .transform(input(spark))
              .select("id", "label", "p_benign")
              .orderBy("id")
              .collectAsList();
      assertEquals(expected, got, "saved on " + p.getFileName() + ", loaded on " + spark.version());
      assertTrue(loaded.stages()[1] instanceof OnnxScoringModel);
    }
  }

  private static void copyTree(Path from, Path to) throws Exception {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path f : (Iterable<Path>) s::iterator) {
        Path t = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(t);
        } else {
          Files.copy(f, t);
        }
      }
    }
  }
}
