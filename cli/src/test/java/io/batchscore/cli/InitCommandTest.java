package io.batchscore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.batchscore.core.TestData;
import io.batchscore.spark.job.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** batchscore init: a starter spec from a model and a data file. */
class InitCommandTest {
  @TempDir Path tmp;

  private CliRunner.Result init(String model, String data, Path spec) {
    return CliRunner.run(
        "init",
        "--model",
        TestData.sample("models/" + model).toString(),
        "-i",
        TestData.sample("data/" + data).toString(),
        "-o",
        spec.toString());
  }

  @Test
  void aStarterSpecForTheLogisticRegressionScoresAsTheSamplesOwnSpec() throws Exception {
    for (String data : new String[] {"breast_cancer.parquet", "breast_cancer.csv"}) {
      Path spec = tmp.resolve("lr-" + data + ".yaml");
      CliRunner.Result r = init("breast_cancer_logreg.onnx", data, spec);
      assertEquals(0, r.code(), r.err());
      assertTrue(
          r.out().contains("30 numeric columns in the file's order, leaving out [id, target]"),
          r.out());
      assertTrue(r.out().contains("'score': the score of class 1 of two"), r.out());
      Path mine = tmp.resolve("mine-" + data + ".parquet");
      Path theirs = tmp.resolve("theirs-" + data + ".parquet");
      String in = TestData.sample("data/" + data).toString();
      assertEquals(
          0,
          CliRunner.run("score", "--spec", spec.toString(), "-i", in, "-o", mine.toString())
              .code());
      assertEquals(
          0,
          CliRunner.run(
                  "score",
                  "--spec",
                  TestData.sample("specs/breast_cancer.yaml").toString(),
                  "-i",
                  in,
                  "-o",
                  theirs.toString())
              .code());
      Map<Long, Float> a = ScoreCommandTest.column(mine, "score");
      Map<Long, Float> b = ScoreCommandTest.column(theirs, "p_benign");
      assertEquals(b, a, data);
    }
  }

  @Test
  void anImageModelIsBoundToTheInputsArrayColumnAndNamedByItsClasses() throws Exception {
    Path spec = tmp.resolve("fashion.yaml");
    CliRunner.Result r = init("fashion_mlp.onnx", "fashion_mnist_1k.parquet", spec);
    assertEquals(0, r.code(), r.err());
    String text = Files.readString(spec);
    assertTrue(text.contains("column: pixels") && text.contains("shape: [1, 28, 28]"), text);
    assertTrue(text.contains("labels: {metadata: classes}"), text);
    assertEquals(0, CliRunner.run("validate", "--spec", spec.toString()).code());
  }

  @Test
  void anExistingSpecIsKeptUnlessOverwriteIsGiven() throws Exception {
    Path spec = Files.writeString(tmp.resolve("spec.yaml"), "mine");
    assertEquals(ExitCodes.OUTPUT_CONFLICT, init("wine_forest.onnx", "wine.parquet", spec).code());
    assertEquals("mine", Files.readString(spec));
  }
}
