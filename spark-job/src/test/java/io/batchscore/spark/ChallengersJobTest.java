package io.batchscore.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A champion with a shadow and a canary challenger, scored in one pass by the job. */
class ChallengersJobTest {
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

  /** The sample's logistic regression with the MLP as a shadow and itself (v2) as a canary. */
  private Path spec(String key) throws Exception {
    String text =
        Files.readString(TestData.sample("specs/breast_cancer.yaml"))
                .replace("model: ../models/", "model: " + TestData.sample("models") + "/")
            + "challengers:\n"
            + "  - name: mlp\n"
            + "    mode: shadow\n"
            + "    model: "
            + TestData.sample("models/breast_cancer_mlp.onnx")
            + "\n"
            + "  - name: next\n"
            + "    mode: canary\n"
            + "    share: 0.3\n"
            + "    key: "
            + key
            + "\n"
            + "    version: \"2\"\n"
            + "    model: "
            + TestData.sample("models/breast_cancer_logreg.onnx")
            + "\n";
    Path p = tmp.resolve("spec-" + key + ".yaml");
    Files.writeString(p, text);
    return p;
  }

  private static int job(Path spec, Path out, String date, String... more) {
    var cl = ScoringJob.commandLine(ScoringJob.inSession(spark));
    cl.setOut(new PrintWriter(new StringWriter()));
    cl.setErr(new PrintWriter(new StringWriter()));
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "--spec",
                spec.toString(),
                "--input",
                TestData.sample("data/breast_cancer.parquet").toString(),
                "--output",
                out.toString(),
                "--run-date",
                date));
    args.addAll(List.of(more));
    return cl.execute(args.toArray(new String[0]));
  }

  @Test
  void withShadowOutputTheShadowsColumnsGoToTheirOwnFolderAndTheOutputKeepsItsColumns()
      throws Exception {
    Path out = tmp.resolve("out");
    Path shadows = tmp.resolve("shadows");
    String date = "2026-12-04";
    assertEquals(ExitCodes.OK, job(spec("id"), out, date, "--shadow-output", shadows.toString()));
    Dataset<Row> published = spark.read().parquet(out.resolve("run_date=" + date).toString());
    List<String> cols = Arrays.asList(published.columns());
    assertFalse(cols.stream().anyMatch(c -> c.startsWith("mlp_")), cols.toString());
    assertTrue(cols.contains("served_by") && cols.contains("p_benign"), cols.toString());
    Dataset<Row> shadow = spark.read().parquet(shadows.resolve("run_date=" + date).toString());
    assertEquals(
        List.of("id", "mlp_label", "mlp_p_benign", "mlp_diagnosis", "scored_at"),
        Arrays.asList(shadow.columns()));
    assertEquals(569, published.count());
    assertEquals(569, shadow.count());
    assertEquals(569, shadow.select("id").distinct().join(published, "id").count());
    JsonNode report =
        new ObjectMapper()
            .readTree(out.resolve("_reports/run_date=" + date + "/report.json").toFile());
    assertTrue(report.get("shadowOutput").asText().endsWith("shadows/run_date=" + date));
    assertEquals(569, report.at("/challengers/0/rows").asLong(), "scored once: " + report);
  }

  @Test
  void shadowOutputWithoutAShadowIsAUsageError() throws Exception {
    Path spec =
        Files.writeString(
            tmp.resolve("plain.yaml"),
            Files.readString(TestData.sample("specs/breast_cancer.yaml"))
                .replace("model: ../models/", "model: " + TestData.sample("models") + "/"));
    Path out = tmp.resolve("out");
    assertEquals(
        ExitCodes.USAGE,
        job(spec, out, "2026-12-05", "--shadow-output", tmp.resolve("s").toString()));
    assertFalse(Files.exists(out.resolve("run_date=2026-12-05")));
  }

  @Test
  void oneRunWritesTheShadowsColumnsTheCanarysRowsAndTheComparison() throws Exception {
    Path out = tmp.resolve("out");
    String date = "2026-12-01";
    assertEquals(ExitCodes.OK, job(spec("id"), out, date));
    Dataset<Row> scored = spark.read().parquet(out.resolve("run_date=" + date).toString());
    List<String> cols = Arrays.asList(scored.columns());
    for (String c :
        List.of("id", "label", "p_benign", "diagnosis", "mlp_label", "mlp_p_benign", "served_by")) {
      assertTrue(cols.contains(c), c + " in " + cols);
    }
    assertEquals(569, scored.count());

    // The shadow's columns are what the MLP alone writes.
    Path alone = tmp.resolve("alone");
    Path mlpSpec = tmp.resolve("mlp.yaml");
    Files.writeString(
        mlpSpec,
        Files.readString(TestData.sample("specs/breast_cancer_mlp.yaml"))
            .replace("model: ../models/", "model: " + TestData.sample("models") + "/"));
    assertEquals(ExitCodes.OK, job(mlpSpec, alone, date));
    Map<Long, Float> mlp = new HashMap<>();
    for (Row r :
        spark
            .read()
            .parquet(alone.resolve("run_date=" + date).toString())
            .select("id", "p_benign")
            .collectAsList()) {
      mlp.put(r.getLong(0), r.getFloat(1));
    }
    long served = 0;
    for (Row r :
        scored
            .select("id", "mlp_p_benign", "served_by", "model_name", "model_version")
            .collectAsList()) {
      assertEquals(mlp.get(r.getLong(0)), r.getFloat(1), "row " + r.getLong(0));
      boolean canary = r.getString(2).equals("next");
      served += canary ? 1 : 0;
      assertEquals(canary ? "next" : "breast_cancer_logreg", r.getString(3));
      assertEquals(canary ? "2" : "1", r.getString(4), "the serving model's version");
    }
    assertTrue(served > 120 && served < 220, served + " of 569 rows at a 0.3 share");

    JsonNode report =
        new ObjectMapper()
            .readTree(out.resolve("_reports/run_date=" + date + "/report.json").toFile());
    JsonNode shadow = report.get("challengers").get(0);
    assertEquals("mlp", shadow.get("name").asText());
    assertEquals(569, shadow.get("rows").asLong());
    double agreement = shadow.at("/labels/label/agreement").asDouble();
    assertTrue(agreement > 0.8 && agreement <= 1.0, shadow.toString());
    assertTrue(shadow.at("/scores/p_benign/maxAbsDiff").asDouble() > 0, shadow.toString());
    assertTrue(shadow.at("/drift/columns").has("p_benign"), shadow.toString());
    JsonNode canary = report.get("challengers").get(1);
    assertEquals("canary", canary.get("mode").asText());
    assertEquals(served, canary.get("servedRows").asLong());
    assertEquals(1.0, canary.at("/labels/label/agreement").asDouble(), "the same model");
    assertEquals("2", canary.at("/model/version").asText());
    String html = Files.readString(out.resolve("_reports/run_date=" + date + "/report.html"));
    assertTrue(html.contains("id=\"challenger-mlp\""), "the HTML report shows the challenger");
    assertTrue(html.contains("class=\"confusion\""), "with its confusion matrix");
  }

  @Test
  void theSameKeysGoToTheCanaryOnEveryRerunOfADate() throws Exception {
    Path out = tmp.resolve("out");
    assertEquals(ExitCodes.OK, job(spec("id"), out, "2026-12-02"));
    List<Row> first =
        spark
            .read()
            .parquet(out.resolve("run_date=2026-12-02").toString())
            .select("id", "served_by")
            .orderBy("id")
            .collectAsList();
    assertEquals(ExitCodes.OK, job(spec("id"), out, "2026-12-02"));
    List<Row> again =
        spark
            .read()
            .parquet(out.resolve("run_date=2026-12-02").toString())
            .select("id", "served_by")
            .orderBy("id")
            .collectAsList();
    assertEquals(first, again);
  }

  @Test
  void aCanaryKeyThatIsNotInTheInputIsASpecErrorAndNothingIsWritten() throws Exception {
    Path out = tmp.resolve("out");
    assertEquals(ExitCodes.INVALID_SPEC, job(spec("customer_id"), out, "2026-12-03"));
    assertFalse(Files.exists(out.resolve("run_date=2026-12-03")), "nothing written");
  }

  @Test
  void theTransformerWritesTheShadowsColumnsToo() throws Exception {
    OnnxScoringModel scorer = new OnnxScoringModel().setSpec(ScoringSpec.load(spec("id")));
    Dataset<Row> out =
        scorer.transform(
            spark.read().parquet(TestData.sample("data/breast_cancer.parquet").toString()));
    List<String> cols = Arrays.asList(out.columns());
    assertTrue(cols.contains("mlp_p_benign") && cols.contains("served_by"), cols.toString());
    assertEquals(569, out.filter("mlp_p_benign is not null").count());
  }

  @Test
  void aSavedTransformerCarriesItsChallengersModelsInsideItsFolder() throws Exception {
    OnnxScoringModel scorer = new OnnxScoringModel().setSpec(ScoringSpec.load(spec("id")));
    Path saved = tmp.resolve("saved");
    scorer.write().overwrite().save(saved.toString());
    assertTrue(Files.exists(saved.resolve("challengers/mlp/breast_cancer_mlp.onnx")));
    assertTrue(Files.exists(saved.resolve("challengers/next/breast_cancer_logreg.onnx")));
    String meta = Files.readString(saved.resolve("metadata/part-00000"));
    assertFalse(meta.contains(TestData.sample("models").toString()), "no path outside: " + meta);
    OnnxScoringModel loaded = OnnxScoringModel.load(saved.toString());
    Dataset<Row> out =
        loaded.transform(
            spark.read().parquet(TestData.sample("data/breast_cancer.parquet").toString()));
    assertEquals(569, out.filter("mlp_p_benign is not null and served_by is not null").count());
  }
}
