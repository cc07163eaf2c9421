package io.batchscore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.batchscore.core.TestData;
import io.batchscore.core.column.ColumnBatch;
import io.batchscore.io.ParquetTableReader;
import io.batchscore.spark.job.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** batchscore score and validate with a champion, a shadow and a canary. */
class ChallengersCommandTest {
  @TempDir Path tmp;

  private Path spec(String key) throws Exception {
    String text =
        Files.readString(TestData.sample("specs/breast_cancer.yaml"))
                .replace("model: ../models/", "model: " + TestData.sample("models") + "/")
            + "challengers:\n"
            + "  - {name: mlp, mode: shadow, model: "
            + TestData.sample("models/breast_cancer_mlp.onnx")
            + "}\n"
            + "  - {name: next, mode: canary, share: 0.3, key: "
            + key
            + ", version: \"2\", model: "
            + TestData.sample("models/breast_cancer_logreg.onnx")
            + "}\n";
    return Files.writeString(tmp.resolve("spec-" + key + ".yaml"), text);
  }

  private static CliRunner.Result score(Object spec, Object input, Object out) {
    return CliRunner.run(
        "score", "--spec", spec.toString(), "-i", input.toString(), "-o", out.toString());
  }

  private static CliRunner.Result scoreWithReport(
      Object spec, Object input, Object out, Object reports) {
    return CliRunner.run(
        "score",
        "--spec",
        spec.toString(),
        "-i",
        input.toString(),
        "-o",
        out.toString(),
        "--report-dir",
        reports.toString());
  }

  @Test
  void scoreWritesTheShadowsColumnsAndTheCanarysRowsAndReportsTheComparison() throws Exception {
    Path out = tmp.resolve("both.parquet");
    Path reports = tmp.resolve("report");
    CliRunner.Result r =
        scoreWithReport(
            spec("id").toString(),
            TestData.sample("data/breast_cancer.csv").toString(),
            out.toString(),
            reports.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("challenger mlp (shadow): label agrees on 98.8% of rows"), r.out());
    assertTrue(
        r.out().contains("challenger next (canary): label agrees on 100.0% of rows"), r.out());
    Path alone = tmp.resolve("mlp.parquet");
    Path mlpSpec =
        Files.writeString(
            tmp.resolve("mlp.yaml"),
            Files.readString(TestData.sample("specs/breast_cancer_mlp.yaml"))
                .replace("model: ../models/", "model: " + TestData.sample("models") + "/"));
    r =
        score(
            mlpSpec.toString(),
            TestData.sample("data/breast_cancer.parquet").toString(),
            alone.toString());
    assertEquals(0, r.code(), r.err());
    Map<Long, Float> mlp = ScoreCommandTest.column(alone, "p_benign");
    Map<Long, Float> shadow = ScoreCommandTest.column(out, "mlp_p_benign");
    assertEquals(mlp, shadow, "the shadow's scores are the MLP's own");
    long served = 0;
    try (ParquetTableReader in = new ParquetTableReader(out, List.of("id", "served_by"))) {
      ColumnBatch b;
      while ((b = in.next(256)) != null) {
        for (int i = 0; i < b.rowCount(); i++) {
          served += b.column("served_by").getString(i).equals("next") ? 1 : 0;
        }
      }
    }
    assertTrue(served > 120 && served < 220, served + " rows at a 0.3 share");
    JsonNode report = new ObjectMapper().readTree(reports.resolve("report.json").toFile());
    assertEquals("mlp", report.at("/challengers/0/name").asText());
    assertEquals(569, report.at("/challengers/0/rows").asLong());
    assertEquals(served, report.at("/challengers/1/servedRows").asLong());
    assertEquals(1.0, report.at("/challengers/1/labels/label/agreement").asDouble());
    assertTrue(Files.readString(reports.resolve("report.html")).contains("id=\"challenger-next\""));
  }

  @Test
  void theHtmlReportShowsInABrowserTheAgreementConfusionAndDifferencesOfTheJson() throws Exception {
    Path reports = tmp.resolve("report");
    CliRunner.Result r =
        scoreWithReport(
            spec("id").toString(),
            TestData.sample("data/breast_cancer.parquet").toString(),
            tmp.resolve("out.parquet").toString(),
            reports.toString());
    assertEquals(0, r.code(), r.err());
    String dom = Browser.render(reports.resolve("report.html"), tmp);
    JsonNode mlp =
        new ObjectMapper().readTree(reports.resolve("report.json").toFile()).at("/challengers/0");
    String section =
        dom.substring(
            dom.indexOf("id=\"challenger-mlp\""), dom.indexOf("id=\"challenger-mlp-drift\""));
    Matcher agreement =
        Pattern.compile("data-column=\"label\" data-agreement=\"([^\"]+)\"").matcher(section);
    assertTrue(agreement.find(), section);
    assertEquals(
        mlp.at("/labels/label/agreement").asDouble(), Double.parseDouble(agreement.group(1)));
    Matcher table =
        Pattern.compile(
                "<table class=\"confusion\" data-column=\"label\">.*?</table>", Pattern.DOTALL)
            .matcher(section);
    assertTrue(table.find(), section);
    Matcher count =
        Pattern.compile("data-champion=\"(\\w+)\" data-challenger=\"(\\w+)\"[^>]*>(\\d+)<")
            .matcher(table.group());
    long total = 0;
    while (count.find()) {
      long k = Long.parseLong(count.group(3));
      assertEquals(
          mlp.at("/labels/label/confusion/" + count.group(1) + "/" + count.group(2)).asLong(0), k);
      total += k;
    }
    assertEquals(569, total, "the matrix counts every row once");
    Matcher max = Pattern.compile("data-metric=\"max\" data-value=\"([^\"]+)\"").matcher(section);
    assertTrue(max.find(), section);
    assertEquals(
        mlp.at("/scores/p_benign/maxAbsDiff").asDouble(), Double.parseDouble(max.group(1)));
    assertTrue(dom.contains("id=\"challenger-mlp-drift\""), "the two distributions are drawn");
    String drift = dom.substring(dom.indexOf("id=\"challenger-mlp-drift\""));
    assertTrue(
        drift.contains("<span class=\"ref\">champion</span><span class=\"cur\">mlp</span>"),
        "the charts' legend names the two models");
  }

  @Test
  void theSampleChallengersSpecValidatesAndScoresTheSample() throws Exception {
    String spec = TestData.sample("specs/breast_cancer_challengers.yaml").toString();
    CliRunner.Result r =
        CliRunner.run(
            "validate", "--spec", spec, "-i", TestData.sample("data/breast_cancer.csv").toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("challenger mlp_canary (canary, 0.1 of rows by id)"), r.out());
    Path out = tmp.resolve("sample.parquet");
    r = score(spec, TestData.sample("data/breast_cancer.parquet").toString(), out.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals(569, ScoreCommandTest.column(out, "mlp_p_benign").size());
  }

  @Test
  void validateNamesEachChallengersModelAndAMissingKeyExits3() throws Exception {
    CliRunner.Result r =
        CliRunner.run(
            "validate",
            "--spec",
            spec("id").toString(),
            "-i",
            TestData.sample("data/breast_cancer.parquet").toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("challenger mlp (shadow, columns mlp_*)"), r.out());
    assertTrue(r.out().contains("challenger next (canary, 0.3 of rows by id)"), r.out());
    Path out = tmp.resolve("none.parquet");
    r =
        score(
            spec("customer").toString(),
            TestData.sample("data/breast_cancer.parquet").toString(),
            out.toString());
    assertEquals(ExitCodes.INVALID_SPEC, r.code());
    assertTrue(
        r.err().contains("challengers[1].key: column 'customer' is not in the input"), r.err());
    assertFalse(Files.exists(out), "nothing written");
  }
}
