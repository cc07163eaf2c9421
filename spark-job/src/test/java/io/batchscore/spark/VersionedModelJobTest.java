package io.batchscore.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.batchscore.core.TestData;
import io.batchscore.core.spec.ScoringSpec;
import io.batchscore.spark.job.ExitCodes;
import io.batchscore.spark.job.ScoringJob;
import io.batchscore.spark.ml.OnnxScoringModel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A spec naming a versioned model folder (BASE/<version>/model.onnx), in the job and the
 * Transformer.
 */
class VersionedModelJobTest {
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

  /** models/breast_cancer/{1,7}/model.onnx, and a spec naming the folder with {@code version}. */
  private Path spec(String version) throws Exception {
    Path base = tmp.resolve("models/breast_cancer");
    for (String v : new String[] {"1", "7"}) {
      Files.createDirectories(base.resolve(v));
      Path f = base.resolve(v + "/model.onnx");
      if (!Files.exists(f)) {
        Files.copy(TestData.sample("models/breast_cancer_logreg.onnx"), f);
      }
    }
    String text =
        Files.readString(TestData.sample("specs/breast_cancer.yaml"))
            .replace("model: ../models/breast_cancer_logreg.onnx", "model: models/breast_cancer")
            .replace("version: \"1\"", "version: " + version);
    Path p = tmp.resolve("spec-" + version + ".yaml");
    Files.writeString(p, text);
    return p;
  }

  private static int job(String... args) {
    var cl = ScoringJob.commandLine(ScoringJob.inSession(spark));
    cl.setOut(new PrintWriter(new StringWriter()));
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  @Test
  void aRunScoresWithTheLatestVersionAndWritesItIntoEveryRowAndTheReport() throws Exception {
    Path out = tmp.resolve("out");
    String date = "2026-12-01";
    int code =
        job(
            "--spec",
            spec("latest").toString(),
            "--input",
            TestData.sample("data/breast_cancer.parquet").toString(),
            "--output",
            out.toString(),
            "--run-date",
            date);
    assertEquals(ExitCodes.OK, code);
    List<Row> versions =
        spark
            .read()
            .parquet(out.resolve("run_date=" + date).toString())
            .select("model_name", "model_version")
            .distinct()
            .collectAsList();
    assertEquals(1, versions.size());
    assertEquals("breast_cancer_logreg", versions.get(0).getString(0), "the spec's name");
    assertEquals("7", versions.get(0).getString(1));
    JsonNode model =
        new ObjectMapper()
            .readTree(out.resolve("_reports/run_date=" + date + "/report.json").toFile())
            .get("model");
    assertEquals("7", model.get("version").asText());
    assertTrue(model.get("path").asText().endsWith("breast_cancer/7/model.onnx"), model.toString());
  }

  @Test
  void aMissingVersionFailsWithExit5BeforeAnythingIsWritten() throws Exception {
    Path out = tmp.resolve("out");
    int code =
        job(
            "--spec",
            spec("3").toString(),
            "--input",
            TestData.sample("data/breast_cancer.parquet").toString(),
            "--output",
            out.toString(),
            "--run-date",
            "2026-12-01");
    assertEquals(ExitCodes.MODEL_LOAD, code);
    assertTrue(!Files.exists(out.resolve("run_date=2026-12-01")), "nothing written");
  }

  @Test
  void aSavedTransformerKeepsTheVersionItResolvedAndItsName() throws Exception {
    OnnxScoringModel scorer = new OnnxScoringModel().setSpec(ScoringSpec.load(spec("1")));
    String saved = tmp.resolve("saved").toString();
    scorer.write().overwrite().save(saved);
    OnnxScoringModel loaded = OnnxScoringModel.load(saved);
    List<Row> rows =
        loaded
            .transform(
                spark.read().parquet(TestData.sample("data/breast_cancer.parquet").toString()))
            .select("label")
            .collectAsList();
    assertEquals(569, rows.size());
    String spec = loaded.getSpec();
    assertTrue(spec.contains("\"version\" : \"1\"") || spec.contains("\"version\":\"1\""), spec);
    assertTrue(spec.contains("breast_cancer"), spec);
  }
}
