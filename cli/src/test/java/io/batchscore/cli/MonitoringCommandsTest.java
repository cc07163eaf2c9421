package io.batchscore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.batchscore.core.TestData;
import io.batchscore.core.monitor.ColumnProfile;
import io.batchscore.core.monitor.HtmlReport;
import io.batchscore.core.monitor.Profile;
import io.batchscore.core.monitor.Profiles;
import io.batchscore.spark.job.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code profile}, {@code score --report-dir} and {@code drift}: a reference made from the training
 * data, runs compared with it, and the HTML report read back in a real browser.
 */
class MonitoringCommandsTest {
  @TempDir Path tmp;

  private static String sample(String p) {
    return TestData.sample(p).toString();
  }

  /** The sample spec naming {@code reference}, written beside the test's files. */
  private Path specWithReference(Path reference) throws IOException {
    String text =
        Files.readString(TestData.sample("specs/breast_cancer.yaml"))
            .replace("model: ../models/", "model: " + TestData.sample("models") + "/");
    Path p = tmp.resolve("spec.yaml");
    Files.writeString(p, text + "\nmonitoring: {reference: " + reference + "}\n");
    return p;
  }

  /** The sample CSV with mean_radius scaled by {@code factor}. */
  private Path shiftedCsv(double factor) throws IOException {
    List<String> lines = Files.readAllLines(TestData.sample("data/breast_cancer.csv"));
    String[] header = lines.get(0).split(",");
    int col = List.of(header).indexOf("mean_radius");
    List<String> out = new ArrayList<>(List.of(lines.get(0)));
    for (String l : lines.subList(1, lines.size())) {
      String[] f = l.split(",");
      f[col] = Double.toString(Double.parseDouble(f[col]) * factor);
      out.add(String.join(",", f));
    }
    Path p = tmp.resolve("shifted.csv");
    Files.write(p, out);
    return p;
  }

  private Path reference() {
    Path ref = tmp.resolve("training.profile.json");
    CliRunner.Result r =
        CliRunner.run(
            "profile",
            "--spec",
            sample("specs/breast_cancer.yaml"),
            "-i",
            sample("data/breast_cancer.parquet"),
            "-o",
            ref.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("profiled 569 rows"), r.out());
    return ref;
  }

  @Test
  void theTrainingDataProfiledOnceIsTheReferenceOfLaterRuns() throws Exception {
    Path ref = reference();
    Profile p = Profiles.read(ref);
    assertEquals(569, p.rows());
    assertEquals(ColumnProfile.Kind.NUMERIC, p.column("mean_radius").kind());
    assertEquals(ColumnProfile.Kind.CATEGORICAL, p.column("diagnosis").kind());
    Path spec = specWithReference(ref);

    Path same = tmp.resolve("same");
    CliRunner.Result ok =
        CliRunner.run(
            "score",
            "--spec",
            spec.toString(),
            "-i",
            sample("data/breast_cancer.csv"),
            "-o",
            tmp.resolve("a.parquet").toString(),
            "--report-dir",
            same.toString(),
            "--fail-on-drift");
    assertEquals(0, ok.code(), ok.err());
    assertTrue(ok.out().contains("drift: ok"), ok.out());
    JsonNode report = new ObjectMapper().readTree(same.resolve("report.json").toFile());
    assertEquals("ok", report.get("status").asText());
    assertEquals(569, report.at("/rows/scored").asLong());

    Path moved = tmp.resolve("moved");
    CliRunner.Result drifted =
        CliRunner.run(
            "score",
            "--spec",
            spec.toString(),
            "-i",
            shiftedCsv(1.6).toString(),
            "-o",
            tmp.resolve("b.parquet").toString(),
            "--report-dir",
            moved.toString(),
            "--previous",
            same.toString(),
            "--fail-on-drift");
    assertEquals(ExitCodes.DRIFT, drifted.code(), drifted.err());
    assertTrue(Files.exists(tmp.resolve("b.parquet")), "the output is written all the same");
    JsonNode r2 = new ObjectMapper().readTree(moved.resolve("report.json").toFile());
    assertEquals("drift", r2.at("/drift/reference/columns/mean_radius/status").asText());
    assertEquals("drift", r2.at("/drift/previous/columns/mean_radius/status").asText());
    assertEquals("ok", r2.at("/drift/reference/columns/mean_texture/status").asText());

    CliRunner.Result d =
        CliRunner.run(
            "drift",
            same.toString(),
            moved.toString(),
            "--report-dir",
            tmp.resolve("d").toString(),
            "--fail-on-drift");
    assertEquals(ExitCodes.DRIFT, d.code(), d.err());
    assertTrue(
        d.out().lines().anyMatch(l -> l.startsWith("mean_radius") && l.contains("drift")), d.out());
    assertTrue(Files.exists(tmp.resolve("d/report.html")));
  }

  @Test
  void aReferenceThatCannotBeUsedIsRefusedBeforeAnyOutput() throws Exception {
    Path ref = reference();
    Path partial = tmp.resolve("partial.json");
    Files.writeString(partial, Files.readString(ref).replace("\"p_benign\"", "\"p_other\""));
    Path out = tmp.resolve("x.parquet");
    CliRunner.Result r =
        CliRunner.run(
            "score",
            "--spec",
            specWithReference(partial).toString(),
            "-i",
            sample("data/breast_cancer.csv"),
            "-o",
            out.toString(),
            "--report-dir",
            tmp.resolve("r").toString());
    assertEquals(ExitCodes.INVALID_SPEC, r.code(), r.err());
    assertTrue(r.err().contains("has no column 'p_benign'"), r.err());
    assertTrue(!Files.exists(out) && !Files.exists(tmp.resolve("r")), "nothing written");
    CliRunner.Result bad =
        CliRunner.run("drift", partial.toString(), tmp.resolve("nope").toString());
    assertEquals(ExitCodes.BAD_INPUT, bad.code());
    assertTrue(bad.err().contains("nope"), bad.err());
  }

  @Test
  void theHtmlReportShowsInABrowserTheNumbersOfTheJsonReport() throws Exception {
    Path spec = specWithReference(reference());
    Path dir = tmp.resolve("report");
    CliRunner.Result r =
        CliRunner.run(
            "score",
            "--spec",
            spec.toString(),
            "-i",
            shiftedCsv(1.3).toString(),
            "-o",
            tmp.resolve("c.parquet").toString(),
            "--report-dir",
            dir.toString());
    assertEquals(0, r.code(), r.err());
    String dom = Browser.render(dir.resolve("report.html"), tmp);
    JsonNode report = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
    JsonNode columns = report.at("/drift/reference/columns");
    Pattern row =
        Pattern.compile(
            "<tr data-column=\"([^\"]+)\" data-status=\"(\\w+)\">(.*?)</tr>", Pattern.DOTALL);
    Pattern cell =
        Pattern.compile("<td data-metric=\"(\\w+)\" data-value=\"([^\"]*)\">([^<]*)</td>");
    Matcher m = row.matcher(dom.substring(dom.indexOf("id=\"reference\"")));
    int rows = 0;
    int values = 0;
    while (m.find()) {
      String column = m.group(1);
      JsonNode c = columns.get(column);
      if (c == null) {
        break; // past the reference's tables
      }
      rows++;
      assertEquals(c.get("status").asText(), m.group(2), column);
      Matcher v = cell.matcher(m.group(3));
      while (v.find()) {
        JsonNode expected = c.at("/metrics/" + v.group(1));
        if (expected.isMissingNode()) {
          assertEquals("–", v.group(3), column + " " + v.group(1));
          continue;
        }
        assertEquals(
            expected.asDouble(), Double.parseDouble(v.group(2)), column + " " + v.group(1));
        assertEquals(HtmlReport.format(expected.asDouble()), v.group(3), column + " " + v.group(1));
        values++;
      }
    }
    assertEquals(columns.size(), rows, "every column of the report is a row of the page");
    assertTrue(values > 5 * rows, values + " numbers read from the page");
    assertTrue(dom.contains("<td id=\"status\" class=\"s-" + report.get("status").asText()));
  }
}
