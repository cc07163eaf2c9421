package io.batchscore.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.batchscore.core.TestData;
import io.batchscore.spark.job.ExitCodes;
import io.batchscore.spark.job.ScoringJob;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job through its own command line, in one shared local session. */
class ScoringJobTest {
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

  /** Exit code, stdout and stderr of one run. */
  record Run(int code, String out, String err) {}

  private Run job(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cl = ScoringJob.commandLine(ScoringJob.inSession(spark));
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private static String spec(String name) {
    return TestData.sample("specs/" + name).toString();
  }

  private static String data(String name) {
    return TestData.sample("data/" + name).toString();
  }

  private Run score(Path output, String date, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--spec",
                spec("breast_cancer.yaml"),
                "--input",
                data("breast_cancer.parquet"),
                "--output",
                output.toString(),
                "--run-date",
                date));
    args.addAll(List.of(extra));
    return job(args.toArray(new String[0]));
  }

  private static Set<String> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile)
          .map(dir::relativize)
          .map(Path::toString)
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  @Test
  void concurrentTasksOfOneJvmLoadTheModelOnce() throws Exception {
    // A session option no other test uses gives the model a cache entry of its own, so the
    // count below is this run's loads, whatever the JVM's shared cache already holds.
    Path spec =
        Files.writeString(
            tmp.resolve("own-entry.yaml"),
            Files.readString(TestData.sample("specs/breast_cancer.yaml"))
                    .replace("model: ../models/", "model: " + TestData.sample("models") + "/")
                + "session:\n  config: {batchscore.test.entry: \""
                + System.nanoTime()
                + "\"}\n");
    Path out = tmp.resolve("out");
    Run r =
        job(
            "--spec",
            spec.toString(),
            "--input",
            data("breast_cancer.parquet"),
            "--output",
            out.toString(),
            "--run-date",
            "2026-11-30",
            "--partitions",
            "8");
    assertEquals(ExitCodes.OK, r.code(), r.err());
    JsonNode report =
        new ObjectMapper()
            .readTree(out.resolve("_reports/run_date=2026-11-30/report.json").toFile());
    assertEquals(8, report.at("/setupMs/task/tasks").asInt(), report.toString());
    assertEquals(
        "{\"driver\":1}",
        report.get("modelLoadsByExecutor").toString(),
        "8 tasks, 2 at a time, one JVM: one load");
  }

  @Test
  void rerunningADateReplacesExactlyThatDate() throws Exception {
    Path out = tmp.resolve("predictions");
    assertEquals(0, score(out, "2026-11-23").code());
    Run first = score(out, "2026-11-24", "--partitions", "7");
    assertEquals(0, first.code(), first.err());
    assertTrue(first.out().contains("scored 569 rows (0 rejected)"), first.out());
    Set<String> before23 = files(out.resolve("run_date=2026-11-23"));
    Set<String> before24 = files(out.resolve("run_date=2026-11-24"));

    Run again = score(out, "2026-11-24", "--partitions", "3");
    assertEquals(0, again.code(), again.err());

    Dataset<Row> all = spark.read().parquet(out.toString());
    assertEquals(1138, all.count());
    assertEquals(569, all.filter("run_date = '2026-11-24'").count());
    assertEquals(
        569,
        all.filter("run_date = '2026-11-24'").select("id").distinct().count(),
        "no duplicates");
    assertEquals(before23, files(out.resolve("run_date=2026-11-23")), "other dates untouched");
    assertFalse(
        before24.equals(files(out.resolve("run_date=2026-11-24"))), "the date was rewritten");
    assertFalse(Files.exists(out.resolve("_staging")));
    assertFalse(Files.exists(out.resolve("_trash")));
    List<String> cols = List.of(all.schema().fieldNames());
    assertTrue(
        cols.containsAll(
            List.of(
                "id",
                "label",
                "p_benign",
                "diagnosis",
                "model_name",
                "model_version",
                "model_sha256",
                "scored_at",
                "run_date")),
        cols.toString());
  }

  @Test
  void appendAddsRowsAndErrorIfExistsRefusesWithExitCode6() throws Exception {
    Path out = tmp.resolve("p");
    assertEquals(0, score(out, "2026-11-24").code());
    assertEquals(0, score(out, "2026-11-24", "--mode", "append").code());
    assertEquals(1138, spark.read().parquet(out.toString()).count());
    Run refused = score(out, "2026-11-24", "--mode", "error-if-exists");
    assertEquals(ExitCodes.OUTPUT_CONFLICT, refused.code());
    assertTrue(
        refused.err().contains("run_date=2026-11-24 exists and --mode is error-if-exists"),
        refused.err());
    assertEquals(1138, spark.read().parquet(out.toString()).count());
  }

  @Test
  void aFailedRunLeavesThePreviousOutputAsItWas() throws Exception {
    Path out = tmp.resolve("p");
    assertEquals(0, score(out, "2026-11-24").code());
    Set<String> before = files(out);
    Path bad = tmp.resolve("bad.parquet");
    spark
        .read()
        .parquet(data("breast_cancer.parquet"))
        .selectExpr("*", "case when id = 300 then double('NaN') else worst_area end as wa")
        .drop("worst_area")
        .withColumnRenamed("wa", "worst_area")
        .repartition(4)
        .write()
        .parquet(bad.toString());
    Run failed =
        job(
            "--spec",
            spec("breast_cancer.yaml"),
            "--input",
            bad.toString(),
            "--output",
            out.toString(),
            "--run-date",
            "2026-11-24");
    assertEquals(ExitCodes.BAD_INPUT, failed.code(), failed.err());
    assertTrue(failed.err().contains("column 'worst_area'"), failed.err());
    assertTrue(failed.err().contains("is NaN"), failed.err());
    assertTrue(
        failed.err().contains("; batch starting in input file://" + bad + "/part-"), failed.err());
    assertEquals(before, files(out), "previous output and nothing else");
  }

  @Test
  void aRunCancelledAfterItsWriteCommitsNothingAndRemovesItsStaging() throws Exception {
    Path out = tmp.resolve("cancelled");
    io.batchscore.spark.job.JobOptions o = new io.batchscore.spark.job.JobOptions();
    o.spec = spec("breast_cancer.yaml");
    o.input = data("breast_cancer.parquet");
    o.output = out.toString();
    o.runDate = java.time.LocalDate.of(2026, 11, 24);
    org.junit.jupiter.api.Assertions.assertThrows(
        java.util.concurrent.CancellationException.class,
        () -> io.batchscore.spark.job.JobRunner.run(o, spark, () -> true));
    assertFalse(Files.exists(out.resolve("run_date=2026-11-24")), "nothing committed");
    try (Stream<Path> s =
        Files.exists(out.resolve("_staging"))
            ? Files.list(out.resolve("_staging"))
            : Stream.empty()) {
      assertEquals(0, s.count(), "staging removed");
    }
  }

  @Test
  void runReportHasCountsLatenciesAndPredictionDistributions() throws Exception {
    Path out = tmp.resolve("p");
    Path input = tmp.resolve("in.parquet");
    spark
        .read()
        .parquet(data("breast_cancer.parquet"))
        .selectExpr("*", "case when id % 100 = 7 then null else mean_radius end as mr")
        .drop("mean_radius")
        .withColumnRenamed("mr", "mean_radius")
        .write()
        .parquet(input.toString());
    Path skipSpec = tmp.resolve("skip.yaml");
    Files.writeString(
        skipSpec,
        Files.readString(Path.of(spec("breast_cancer.yaml")))
            .replace("nulls: fail", "nulls: skip")
            .replace("model: ../models/", "model: " + TestData.sample("models") + "/"));
    Run r =
        job(
            "--spec",
            skipSpec.toString(),
            "--input",
            input.toString(),
            "--output",
            out.toString(),
            "--run-date",
            "2026-11-24");
    assertEquals(0, r.code(), r.err());
    JsonNode report =
        new ObjectMapper()
            .readTree(out.resolve("_reports/run_date=2026-11-24/report.json").toFile());
    assertEquals("2026-11-24", report.get("runDate").asText());
    assertEquals(569, report.get("rows").get("read").asLong());
    assertEquals(563, report.get("rows").get("scored").asLong());
    assertEquals(6, report.get("rows").get("rejected").asLong());
    assertEquals(6, report.get("rows").get("rejectedByReason").get("null:mean_radius").asLong());
    assertTrue(report.get("rowsPerSecond").asLong() > 0);
    assertTrue(
        report.get("batchLatencyMs").get("p99").asDouble()
            >= report.get("batchLatencyMs").get("p50").asDouble());
    assertEquals(1, report.get("batchLatencyMs").get("batches").asLong() >= 1 ? 1 : 0);
    JsonNode setup = report.get("setupMs");
    assertTrue(setup.get("driver").asDouble() > 0, setup.toString());
    assertTrue(setup.get("task").get("tasks").asLong() >= 1, setup.toString());
    assertTrue(
        setup.get("task").get("max").asDouble() >= setup.get("task").get("p50").asDouble(),
        setup.toString());
    JsonNode p = report.get("predictions").get("p_benign");
    assertEquals(563, p.get("count").asLong());
    assertTrue(p.get("min").asDouble() >= 0 && p.get("max").asDouble() <= 1);
    long sum = 0;
    for (JsonNode c : p.get("histogram").get("counts")) {
      sum += c.asLong();
    }
    assertEquals(563, sum, "histogram covers every row");
    JsonNode edges = p.get("histogram").get("edges");
    for (int i = 1; i < edges.size() - 1; i++) {
      // min + i * width, as 0.30000000000000004 would be without rounding
      assertTrue(
          new java.math.BigDecimal(edges.get(i).asText()).precision() <= 12,
          "no float noise in the edges: " + edges);
    }
    JsonNode label = report.get("predictions").get("label");
    assertEquals(null, label.get("histogram"), "a 0/1 label has counts per value, not bins");
    assertEquals(
        563, label.at("/values/0").asLong() + label.at("/values/1").asLong(), label.toString());
    assertEquals(2, label.get("values").size());
    double stage = report.get("scoreAndWriteSeconds").asDouble();
    assertTrue(stage > 0 && stage <= report.get("durationSeconds").asDouble(), report.toString());
    assertTrue(
        report.get("rowsPerSecondScoreAndWrite").asLong() >= report.get("rowsPerSecond").asLong());
    JsonNode diagnosis = report.get("predictions").get("diagnosis").get("topValues");
    assertEquals(563, diagnosis.get("benign").asLong() + diagnosis.get("malignant").asLong());
    // Gathered by the scoring tasks, the statistics equal Spark's over the written output.
    Dataset<Row> written = spark.read().parquet(out.resolve("run_date=2026-11-24").toString());
    Row agg =
        written
            .selectExpr(
                "min(p_benign)",
                "max(p_benign)",
                "avg(p_benign)",
                "stddev(p_benign)",
                "count_if(diagnosis = 'benign')")
            .first();
    assertEquals(agg.getFloat(0), p.get("min").asDouble(), 0.0);
    assertEquals(agg.getFloat(1), p.get("max").asDouble(), 0.0);
    assertEquals(agg.getDouble(2), p.get("mean").asDouble(), 1e-9);
    assertEquals(agg.getDouble(3), p.get("stddev").asDouble(), 1e-9);
    assertEquals(agg.getLong(4), diagnosis.get("benign").asLong());
    assertEquals("breast_cancer_logreg", report.get("model").get("name").asText());
    assertEquals(64, report.get("model").get("sha256").asText().length());
  }

  @Test
  void inputAndFilterAreTemplatedWithTheRunDate() throws Exception {
    Path features = tmp.resolve("features");
    Dataset<Row> df = spark.read().parquet(data("breast_cancer.parquet"));
    df.filter("id < 100").write().parquet(features.resolve("ds=2026-11-24").toString());
    df.filter("id >= 100").write().parquet(features.resolve("ds=2026-11-25").toString());
    Path out = tmp.resolve("out");
    Run r =
        job(
            "--spec",
            spec("breast_cancer.yaml"),
            "--input",
            features + "/ds=${run_date}",
            "--filter",
            "id % 2 = 0",
            "--output",
            out + "/v1",
            "--run-date",
            "2026-11-24");
    assertEquals(0, r.code(), r.err());
    assertEquals(
        50, spark.read().parquet(out.resolve("v1/run_date=2026-11-24").toString()).count());
  }

  @Test
  void csvInputWithReadOptions() throws Exception {
    Path out = tmp.resolve("out");
    Run r =
        job(
            "--spec",
            spec("wine_forest.yaml"),
            "--input",
            data("wine.csv"),
            "--format",
            "csv",
            "--read-option",
            "header=true",
            "--read-option",
            "inferSchema=true",
            "--output",
            out.toString(),
            "--run-date",
            "2026-11-24");
    assertEquals(0, r.code(), r.err());
    Dataset<Row> d = spark.read().parquet(out.toString());
    assertEquals(178, d.count());
    assertEquals("map<bigint,float>", d.schema().apply("probabilities").dataType().simpleString());
    assertEquals("array<string>", d.schema().apply("top2").dataType().simpleString());
  }

  @Test
  void csvWithOnlyAHeaderIsReadWithTheModelsTypesAndABadValueIsExit4() throws Exception {
    Path out = tmp.resolve("out");
    Run r =
        job(
            "--spec",
            spec("wine_forest.yaml"),
            "--input",
            data("wine.csv"),
            "--format",
            "csv",
            "--read-option",
            "header=true",
            "--output",
            out.toString(),
            "--run-date",
            "2026-11-24");
    assertEquals(0, r.code(), r.err());
    Path fromParquet = tmp.resolve("parquet");
    assertEquals(
        0,
        job(
                "--spec",
                spec("wine_forest.yaml"),
                "--input",
                data("wine.parquet"),
                "--output",
                fromParquet.toString(),
                "--run-date",
                "2026-11-24")
            .code());
    List<Row> a =
        spark.read().parquet(out.toString()).select("label").orderBy("label").collectAsList();
    List<Row> b =
        spark
            .read()
            .parquet(fromParquet.toString())
            .select("label")
            .orderBy("label")
            .collectAsList();
    assertEquals(b, a, "the same predictions as from the Parquet copy");

    List<String> lines = Files.readAllLines(Path.of(data("wine.csv")));
    String[] first = lines.get(1).split(",", -1);
    first[1] = "abc";
    lines.set(1, String.join(",", first));
    Path bad = Files.write(tmp.resolve("bad.csv"), lines);
    Path none = tmp.resolve("none");
    r =
        job(
            "--spec",
            spec("wine_forest.yaml"),
            "--input",
            bad.toString(),
            "--format",
            "csv",
            "--read-option",
            "header=true",
            "--output",
            none.toString(),
            "--run-date",
            "2026-11-24");
    assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
    assertTrue(
        r.err().contains("a CSV record in ")
            && r.err()
                .contains(
                    "bad.csv does not parse as the model's types: For input string:"
                        + " \"abc\"; the record as parsed: [0,null,"),
        "names the file, the value and the record: " + r.err());
    assertFalse(Files.exists(none.resolve("run_date=2026-11-24")), "nothing written");
  }

  @Test
  void eachKindOfFailureHasItsExitCodeAndAMessageNamingTheProblem() throws Exception {
    Path out = tmp.resolve("out");
    Path noRadius = tmp.resolve("no_radius.parquet");
    spark
        .read()
        .parquet(data("breast_cancer.parquet"))
        .drop("mean_radius")
        .write()
        .parquet(noRadius.toString());
    Run missingColumn =
        job(
            "--spec",
            spec("breast_cancer.yaml"),
            "--input",
            noRadius.toString(),
            "--output",
            out.toString());
    assertEquals(ExitCodes.INVALID_SPEC, missingColumn.code());
    assertTrue(
        missingColumn.err().contains("no column 'mean_radius' in the input"), missingColumn.err());

    Path corrupt = tmp.resolve("corrupt.parquet");
    byte[] real = Files.readAllBytes(Path.of(data("breast_cancer.parquet")));
    Files.write(corrupt, java.util.Arrays.copyOf(real, real.length - 100));
    Run corruptRun =
        job(
            "--spec",
            spec("breast_cancer.yaml"),
            "--input",
            corrupt.toString(),
            "--output",
            out.toString());
    assertEquals(ExitCodes.BAD_INPUT, corruptRun.code(), corruptRun.err());
    assertTrue(corruptRun.err().contains("corrupt.parquet"), corruptRun.err());

    Run missingInput =
        job(
            "--spec",
            spec("breast_cancer.yaml"),
            "--input",
            tmp.resolve("nope").toString(),
            "--output",
            out.toString());
    assertEquals(ExitCodes.BAD_INPUT, missingInput.code(), missingInput.err());
    assertTrue(missingInput.err().contains("nope"), missingInput.err());

    Path noModel = tmp.resolve("nomodel.yaml");
    Files.writeString(
        noModel,
        Files.readString(Path.of(spec("breast_cancer.yaml")))
            .replace("breast_cancer_logreg.onnx", "missing.onnx"));
    Run missingModel =
        job(
            "--spec",
            noModel.toString(),
            "--input",
            data("breast_cancer.parquet"),
            "--output",
            out.toString());
    assertEquals(ExitCodes.MODEL_LOAD, missingModel.code(), missingModel.err());
    assertTrue(
        missingModel.err().contains("missing.onnx: model file not found"), missingModel.err());

    Path hugeBatch = tmp.resolve("huge.yaml");
    Files.writeString(
        hugeBatch,
        Files.readString(Path.of(spec("breast_cancer.yaml")))
            .replace("../models/", TestData.sample("models").toString() + "/")
            .replaceFirst("batchSize: [0-9]+", "batchSize: 1000000000"));
    Run huge =
        job(
            "--spec",
            hugeBatch.toString(),
            "--input",
            data("breast_cancer.parquet"),
            "--output",
            out.toString());
    assertEquals(ExitCodes.INVALID_SPEC, huge.code(), huge.err());
    assertTrue(huge.err().contains("batchSize: 1,000,000,000 rows a batch need about"), huge.err());

    Run badDate =
        job(
            "--spec",
            spec("breast_cancer.yaml"),
            "--input",
            "x",
            "--output",
            "y",
            "--run-date",
            "24/11/2026");
    assertEquals(ExitCodes.USAGE, badDate.code());
    assertTrue(badDate.err().contains("is not a date of the form YYYY-MM-DD"), badDate.err());

    Run noInput = job("--spec", spec("breast_cancer.yaml"), "--output", "y");
    assertEquals(ExitCodes.USAGE, noInput.code());
    assertTrue(noInput.err().contains("give exactly one of --input or --table"), noInput.err());
    assertFalse(Files.exists(out), "no failed run left output behind");
  }

  @Test
  void aSecondRunOfADateWhileTheFirstWritesIsRefusedAndTheFirstCompletes() throws Exception {
    Path out = tmp.resolve("predictions");
    java.util.concurrent.CompletableFuture<Run> first =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> score(out, "2026-03-04", "--partitions", "300"));
    for (int i = 0; i < 600 && !Files.isDirectory(out.resolve("_staging")); i++) {
      Thread.sleep(20);
    }
    assertTrue(Files.isDirectory(out.resolve("_staging")), "the first run is writing");
    assertFalse(first.isDone(), "still writing");
    Run second = score(out, "2026-03-04");
    assertEquals(ExitCodes.OUTPUT_CONFLICT, second.code(), second.err());
    assertTrue(second.err().contains("another run of run_date=2026-03-04 into"), second.err());
    assertTrue(second.err().contains("one run of a date at a time"), second.err());
    Run done = first.get(3, java.util.concurrent.TimeUnit.MINUTES);
    assertEquals(0, done.code(), done.err());
    assertEquals(569, spark.read().parquet(out.resolve("run_date=2026-03-04").toString()).count());
    assertFalse(Files.exists(out.resolve("_locks")));
    assertFalse(Files.exists(out.resolve("_staging")));
  }
}
