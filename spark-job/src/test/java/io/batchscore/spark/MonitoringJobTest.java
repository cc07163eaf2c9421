package io.batchscore.spark;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.batchscore.core.TestData;
import io.batchscore.core.monitor.ColumnProfile;
import io.batchscore.core.monitor.Profile;
import io.batchscore.core.monitor.Profiles;
import io.batchscore.core.spec.ScoringSpec;
import io.batchscore.spark.job.ExitCodes;
import io.batchscore.spark.job.ScoringJob;
import io.batchscore.spark.ml.OnnxScoringModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's monitoring: its profile beside its report, drift against the spec's reference and the
 * previous run, the HTML report, the status as an exit code when asked, and a bad reference refused
 * before anything is read.
 */
class MonitoringJobTest {
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

  private record Run(int code, String out, String err) {}

  private static Run job(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cl = ScoringJob.commandLine(ScoringJob.inSession(spark));
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return new Run(cl.execute(args), out.toString(), err.toString());
  }

  private Run run(Path spec, String input, Path output, String date, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--spec",
                spec.toString(),
                "--input",
                input,
                "--output",
                output.toString(),
                "--run-date",
                date));
    args.addAll(List.of(extra));
    return job(args.toArray(new String[0]));
  }

  private static String sampleData() {
    return TestData.sample("data/breast_cancer.parquet").toString();
  }

  /** The sample spec with a monitoring section, written beside the test's files. */
  private Path spec(String monitoring) throws IOException {
    String text =
        Files.readString(TestData.sample("specs/breast_cancer.yaml"))
            .replace("model: ../models/", "model: " + TestData.sample("models") + "/");
    Path p = tmp.resolve("spec-" + Math.abs(monitoring.hashCode()) + ".yaml");
    Files.writeString(p, text + "\n" + monitoring + "\n");
    return p;
  }

  private static JsonNode report(Path output, String date) throws IOException {
    return new ObjectMapper()
        .readTree(output.resolve("_reports/run_date=" + date + "/report.json").toFile());
  }

  /** The reference profile of the sample data, from the Transformer's profile call. */
  private Path reference(Path spec) throws Exception {
    Profile p =
        new OnnxScoringModel()
            .setSpec(ScoringSpec.load(spec))
            .profile(spark.read().parquet(sampleData()));
    Path f = tmp.resolve("training.profile.json");
    Profiles.write(f, p, Map.of("source", "test"));
    return f;
  }

  @Test
  void aRunStoresItsProfileAndComparesWithTheReferenceAndThePreviousRun() throws Exception {
    Path spec0 = spec("");
    Path ref = reference(spec0);
    Path spec = spec("monitoring: {reference: " + ref + "}");
    Path out = tmp.resolve("out");
    Run first = run(spec, sampleData(), out, "2026-11-23");
    assertEquals(0, first.code(), first.err());
    assertTrue(first.out().contains("drift: ok"), first.out());
    JsonNode r1 = report(out, "2026-11-23");
    assertEquals("ok", r1.get("status").asText());
    assertEquals("ok", r1.at("/drift/reference/status").asText());
    assertTrue(r1.at("/drift/previous/note").asText().contains("first to compare"), r1.toString());
    assertEquals(0.0, r1.at("/drift/reference/columns/mean_radius/metrics/psi").asDouble(), 1e-3);
    Path reports = out.resolve("_reports/run_date=2026-11-23");
    Profile stored = Profiles.read(reports.resolve("profile.json"));
    assertEquals(569, stored.rows());
    assertEquals(569, stored.column("mean_radius").count());
    assertEquals(569, stored.column("p_benign").count());
    String page = Files.readString(reports.resolve("report.html"));
    assertTrue(page.contains("<tr data-column=\"mean_radius\" data-status=\"ok\">"), page);

    Run second = run(spec, sampleData(), out, "2026-11-24");
    assertEquals(0, second.code(), second.err());
    JsonNode r2 = report(out, "2026-11-24");
    assertEquals("2026-11-23", r2.at("/drift/previous/runDate").asText());
    assertEquals("ok", r2.at("/drift/previous/status").asText());
    String html = Files.readString(out.resolve("_reports/run_date=2026-11-24/report.html"));
    assertTrue(html.contains("id=\"trend\""), "the trend over the last runs");
    assertTrue(html.contains("2026-11-23") && html.contains("2026-11-24"));
  }

  @Test
  void aShiftedInputDriftsAndFailsTheRunOnlyWhenAskedAfterItsOutputIsCommitted() throws Exception {
    Path spec0 = spec("");
    Path spec = spec("monitoring: {reference: " + reference(spec0) + "}");
    Path shifted = tmp.resolve("shifted.parquet");
    spark
        .read()
        .parquet(sampleData())
        .withColumn("mean_radius", col("mean_radius").multiply(1.6))
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(shifted.toString());
    Path out = tmp.resolve("out");
    Run plain = run(spec, shifted.toString(), out, "2026-11-24");
    assertEquals(0, plain.code(), plain.err());
    assertTrue(plain.out().contains("drift: drift"), plain.out());
    Run failing = run(spec, shifted.toString(), out, "2026-11-25", "--fail-on-drift");
    assertEquals(ExitCodes.DRIFT, failing.code(), failing.err());
    assertTrue(Files.isDirectory(out.resolve("run_date=2026-11-25")), "the output is committed");
    JsonNode r = report(out, "2026-11-25");
    assertEquals("drift", r.get("status").asText());
    assertEquals("drift", r.at("/drift/reference/columns/mean_radius/status").asText());
    assertTrue(r.at("/drift/reference/columns/mean_radius/reasons/0").asText().startsWith("psi"));
  }

  @Test
  void aReferenceThatLacksAColumnOrCannotBeReadIsASpecErrorBeforeAnythingIsRead() throws Exception {
    Path ref = reference(spec(""));
    Path partial = tmp.resolve("partial.profile.json");
    Files.writeString(partial, Files.readString(ref).replace("\"mean_radius\"", "\"mean_radios\""));
    Path out = tmp.resolve("out");
    Run missing =
        run(spec("monitoring: {reference: " + partial + "}"), sampleData(), out, "2026-11-24");
    assertEquals(ExitCodes.INVALID_SPEC, missing.code());
    assertTrue(
        missing.err().contains("has no column 'mean_radius' (did you mean 'mean_radios'?)"),
        missing.err());
    Path corrupt = tmp.resolve("corrupt.profile.json");
    Files.writeString(corrupt, Files.readString(ref).substring(0, 200));
    Run bad =
        run(spec("monitoring: {reference: " + corrupt + "}"), sampleData(), out, "2026-11-24");
    assertEquals(ExitCodes.INVALID_SPEC, bad.code());
    assertTrue(bad.err().contains(corrupt + ": not a batchscore profile"), bad.err());
    assertFalse(Files.exists(out.resolve("run_date=2026-11-24")), "nothing written");
    assertFalse(Files.exists(out.resolve("_reports/run_date=2026-11-24")), "no report either");
  }

  @Test
  void theProfileDoesNotDependOnHowTheInputIsPartitioned() throws Exception {
    Path spec = spec("");
    Path one = tmp.resolve("one");
    Path eight = tmp.resolve("eight");
    assertEquals(0, run(spec, sampleData(), one, "2026-11-24", "--partitions", "1").code());
    assertEquals(0, run(spec, sampleData(), eight, "2026-11-24", "--partitions", "8").code());
    Profile a = Profiles.read(one.resolve("_reports/run_date=2026-11-24/profile.json"));
    Profile b = Profiles.read(eight.resolve("_reports/run_date=2026-11-24/profile.json"));
    assertEquals(a.columns().keySet(), b.columns().keySet());
    for (ColumnProfile ca : a.columns().values()) {
      ColumnProfile cb = b.column(ca.name());
      assertEquals(ca.count(), cb.count(), ca.name());
      assertEquals(ca.nulls(), cb.nulls(), ca.name());
      if (ca.kind() == ColumnProfile.Kind.NUMERIC) {
        assertEquals(ca.min(), cb.min(), ca.name());
        assertEquals(ca.max(), cb.max(), ca.name());
        assertEquals(ca.mean(), cb.mean(), 1e-9 * Math.max(1, Math.abs(ca.mean())), ca.name());
        // b's median sits at a's median, within the sketches' errors (ties: a range of ranks)
        double median = cb.quantile(0.5);
        double err = ca.rankError() + cb.rankError();
        assertTrue(
            ca.rank(median, false) <= 0.5 + err && ca.rank(median, true) >= 0.5 - err,
            ca.name() + ": " + median);
      } else {
        assertEquals(ca.frequent(), cb.frequent(), ca.name());
      }
    }
  }
}
