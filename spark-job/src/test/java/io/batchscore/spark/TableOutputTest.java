package io.batchscore.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.batchscore.core.TestData;
import io.batchscore.spark.job.ExitCodes;
import io.batchscore.spark.job.ScoringJob;
import io.batchscore.spark.job.TableFormat;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The job writing Iceberg and Delta tables (--output-table): the formats as a cluster brings them
 * (the test classpath), an Iceberg Hadoop catalog and Delta path tables in a temporary folder.
 */
class TableOutputTest {
  private static final int SAMPLE_ROWS = 569;
  private static SparkSession spark;
  @TempDir static Path warehouse;
  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    spark = SparkTestSession.start(TableSessions.settings(warehouse));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  record Run(int code, String out, String err) {}

  private Run job(List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cl = ScoringJob.commandLine(ScoringJob.inSession(spark));
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args.toArray(new String[0]));
    return new Run(code, out.toString(), err.toString());
  }

  private String table(TableFormat f, String name) {
    return TableSessions.table(f, warehouse, name + "_" + Math.abs(tmp.hashCode()));
  }

  private Run score(String table, TableFormat f, String input, String date, String... extra) {
    return score(
        TestData.sample("specs/breast_cancer.yaml").toString(), table, f, input, date, extra);
  }

  private Run score(
      String spec, String table, TableFormat f, String input, String date, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--spec",
                spec,
                "--input",
                input,
                "--output-table",
                table,
                "--table-format",
                f.provider(),
                "--reports-dir",
                tmp.resolve("reports").toString(),
                "--run-date",
                date));
    args.addAll(List.of(extra));
    return job(args);
  }

  private static String sample() {
    return TestData.sample("data/breast_cancer.parquet").toString();
  }

  private long rows(String table, String date) {
    return spark.table(table).where("run_date = DATE'" + date + "'").count();
  }

  private Set<String> content(String table, String date) {
    Set<String> out = new TreeSet<>();
    for (Row r :
        spark
            .table(table)
            .where("run_date = DATE'" + date + "'")
            .select("id", "label", "p_benign", "diagnosis", "model_version")
            .collectAsList()) {
      out.add(r.mkString("|"));
    }
    return out;
  }

  /** The sample {@code copies} times over, in one Parquet folder. */
  private String copies(int copies) {
    Dataset<Row> one = spark.read().parquet(sample());
    Dataset<Row> all = one;
    for (int i = 1; i < copies; i++) {
      all = all.union(one);
    }
    String path = tmp.resolve("copies-" + copies).toString();
    all.repartition(4).write().parquet(path);
    return path;
  }

  @ParameterizedTest
  @EnumSource(TableFormat.class)
  void aFirstRunCreatesTheTableAndARerunReplacesExactlyItsDate(TableFormat f) throws Exception {
    String t = table(f, "preds");
    Run first = score(t, f, sample(), "2026-03-01");
    assertEquals(ExitCodes.OK, first.code(), first.err());
    assertTrue(first.out().contains("table " + t), first.out());
    assertEquals(SAMPLE_ROWS, rows(t, "2026-03-01"));
    Set<String> before = content(t, "2026-03-01");
    assertEquals(SAMPLE_ROWS, before.size(), "one row per id");

    assertEquals(ExitCodes.OK, score(t, f, sample(), "2026-03-02").code());
    Run again = score(t, f, sample(), "2026-03-01");
    assertEquals(ExitCodes.OK, again.code(), again.err());
    assertEquals(SAMPLE_ROWS, rows(t, "2026-03-01"), "the re-run replaced its date: no duplicates");
    assertEquals(before, content(t, "2026-03-01"), "the same rows and predictions");
    assertEquals(SAMPLE_ROWS, rows(t, "2026-03-02"), "the other date is untouched");
    assertEquals(2 * SAMPLE_ROWS, spark.table(t).count());

    JsonNode report =
        new ObjectMapper()
            .readTree(tmp.resolve("reports/run_date=2026-03-01/report.json").toFile());
    assertEquals("table " + t + " (run_date=2026-03-01)", report.get("output").asText());
    assertEquals(SAMPLE_ROWS, report.get("rows").get("scored").asLong());
    assertTrue(
        Files.exists(tmp.resolve("reports/run_date=2026-03-01/profile.json")),
        "the run's profile is stored beside its report");
    JsonNode next =
        new ObjectMapper()
            .readTree(tmp.resolve("reports/run_date=2026-03-02/report.json").toFile());
    assertEquals(
        "2026-03-01",
        next.get("drift").get("previous").path("runDate").asText(),
        "the next date compares with the run before it: " + next.get("drift"));
    assertEquals(
        f.provider(), TableSessions.provider(spark, t), "the table has the format asked for");
    List<String> partitioning = TableSessions.partitionColumns(spark, t);
    assertEquals(List.of("run_date"), partitioning);
    if (f == TableFormat.DELTA) {
      Row last = spark.sql("DESCRIBE HISTORY " + t + " LIMIT 1").collectAsList().get(0);
      Object meta = last.get(last.fieldIndex("userMetadata"));
      assertTrue(
          String.valueOf(meta).startsWith("batchscore run "),
          "each commit names its run, which counts its rows from it: " + last);
    }
  }

  @ParameterizedTest
  @EnumSource(TableFormat.class)
  void appendAddsToTheDateAndErrorIfExistsRefusesADateWithRows(TableFormat f) {
    String t = table(f, "modes");
    assertEquals(ExitCodes.OK, score(t, f, sample(), "2026-03-01").code());
    Run append = score(t, f, sample(), "2026-03-01", "--mode", "append");
    assertEquals(ExitCodes.OK, append.code(), append.err());
    assertTrue(append.out().contains("scored " + SAMPLE_ROWS + " rows"), append.out());
    assertEquals(2 * SAMPLE_ROWS, rows(t, "2026-03-01"));

    Run refused = score(t, f, sample(), "2026-03-01", "--mode", "error-if-exists");
    assertEquals(ExitCodes.OUTPUT_CONFLICT, refused.code(), refused.err());
    assertTrue(refused.err().contains("run_date=2026-03-01"), refused.err());
    assertEquals(2 * SAMPLE_ROWS, rows(t, "2026-03-01"), "nothing written");
    assertEquals(
        ExitCodes.OK, score(t, f, sample(), "2026-03-03", "--mode", "error-if-exists").code());
  }

  @ParameterizedTest
  @EnumSource(TableFormat.class)
  void aSpecThatAddsAColumnEvolvesTheTableAndAChangedTypeIsRefusedBeforeScoring(TableFormat f)
      throws Exception {
    String t = table(f, "evolve");
    assertEquals(ExitCodes.OK, score(t, f, sample(), "2026-03-01").code());
    Path wider =
        Files.writeString(
            tmp.resolve("wider.yaml"),
            Files.readString(TestData.sample("specs/breast_cancer.yaml"))
                .replace("model: ../models/", "model: " + TestData.sample("models") + "/")
                .replace("passthrough: [id]", "passthrough: [id, mean_radius]"));
    Run evolved = score(wider.toString(), t, f, sample(), "2026-03-02");
    assertEquals(ExitCodes.OK, evolved.code(), evolved.err());
    assertTrue(List.of(spark.table(t).columns()).contains("mean_radius"));
    assertEquals(
        SAMPLE_ROWS,
        spark.table(t).where("run_date = DATE'2026-03-02' AND mean_radius IS NOT NULL").count());
    assertEquals(
        SAMPLE_ROWS,
        spark.table(t).where("run_date = DATE'2026-03-01' AND mean_radius IS NULL").count(),
        "earlier rows read the new column as null");
    Run narrower = score(t, f, sample(), "2026-03-03");
    assertEquals(ExitCodes.OK, narrower.code(), "a run without the column writes nulls in it");

    String typed = table(f, "typed");
    spark.sql(
        "CREATE TABLE "
            + typed
            + " (id STRING, label BIGINT, run_date DATE) USING "
            + f.provider()
            + " PARTITIONED BY (run_date)");
    Run refused = score(t.equals(typed) ? t : typed, f, sample(), "2026-03-01");
    assertEquals(ExitCodes.INVALID_SPEC, refused.code(), refused.err());
    assertTrue(refused.err().contains("id: is string in the table"), refused.err());
    assertTrue(refused.err().contains(typed), refused.err());
    assertFalse(
        refused.err().contains("label:"), "label is a bigint and the run writes a bigint: fits");
    assertEquals(0, spark.table(typed).count(), "nothing written");
  }

  @ParameterizedTest
  @EnumSource(TableFormat.class)
  void aTableInputFilteredOnTheDateIsScored(TableFormat f) throws Exception {
    String input = table(f, "features");
    spark
        .read()
        .parquet(sample())
        .withColumn(
            "ds",
            functions
                .when(functions.col("id").mod(3).equalTo(0), functions.lit("2026-03-01"))
                .otherwise(functions.lit("2026-03-02")))
        .writeTo(input)
        .using(f.provider())
        .create();
    long expected = spark.table(input).where("ds = '2026-03-01'").count();
    String t = table(f, "scored");
    Run r =
        job(
            List.of(
                "--spec",
                TestData.sample("specs/breast_cancer.yaml").toString(),
                "--table",
                input,
                "--filter",
                "ds = '${run_date}'",
                "--output-table",
                t,
                "--table-format",
                f.provider(),
                "--reports-dir",
                tmp.resolve("reports").toString(),
                "--run-date",
                "2026-03-01"));
    assertEquals(ExitCodes.OK, r.code(), r.err());
    assertEquals(expected, rows(t, "2026-03-01"));
    assertTrue(expected > 100 && expected < SAMPLE_ROWS, "the filter kept one date: " + expected);
  }

  @ParameterizedTest
  @EnumSource(TableFormat.class)
  void eachRunAppendsItsRowToTheRunsTable(TableFormat f) {
    String t = table(f, "preds_with_runs");
    String runs = table(f, "runs");
    assertEquals(ExitCodes.OK, score(t, f, sample(), "2026-03-01", "--runs-table", runs).code());
    Run second = score(t, f, sample(), "2026-03-02", "--runs-table", runs);
    assertEquals(ExitCodes.OK, second.code(), second.err());
    List<Row> history =
        spark
            .table(runs)
            .orderBy("run_date")
            .select(
                "run_date", "model_name", "rows_scored", "drift_status", "drift_previous", "report")
            .collectAsList();
    assertEquals(2, history.size());
    assertEquals("2026-03-01", history.get(0).get(0).toString());
    assertEquals("breast_cancer_logreg", history.get(1).getString(1));
    assertEquals(SAMPLE_ROWS, history.get(1).getLong(2));
    assertEquals("ok", history.get(1).getString(3), "the same data as the day before");
    assertTrue(history.get(0).isNullAt(4), "the first run has no previous run");
    assertEquals("ok", history.get(1).getJavaMap(4).get("p_benign"));
    assertTrue(history.get(1).getString(5).contains("\"runDate\""));
  }

  @ParameterizedTest
  @EnumSource(TableFormat.class)
  void aReaderDuringARunSeesTheOldDateOrTheNewOneNeverAMix(TableFormat f) throws Exception {
    String t = table(f, "reader");
    assertEquals(ExitCodes.OK, score(t, f, sample(), "2026-03-01").code());
    String big = copies(12);
    AtomicBoolean done = new AtomicBoolean();
    Set<Long> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    AtomicInteger reads = new AtomicInteger();
    Thread reader =
        new Thread(
            () -> {
              while (!done.get()) {
                seen.add(rows(t, "2026-03-01"));
                reads.incrementAndGet();
              }
            });
    reader.start();
    Run r;
    try {
      r = score(t, f, big, "2026-03-01");
    } finally {
      done.set(true);
      reader.join();
    }
    assertEquals(ExitCodes.OK, r.code(), r.err());
    seen.add(rows(t, "2026-03-01"));
    assertTrue(reads.get() >= 2, "the reader read during the run: " + reads.get());
    assertTrue(
        Set.of((long) SAMPLE_ROWS, 12L * SAMPLE_ROWS).containsAll(seen),
        "every read saw a whole date: " + seen);
  }

  @org.junit.jupiter.api.Test
  void aTableOutputWithoutItsCatalogFormatOrReportsDirIsAUsageErrorNamingWhatIsMissing() {
    String missing = table(TableFormat.ICEBERG, "never_made");
    Run noFormat =
        job(
            List.of(
                "--spec",
                TestData.sample("specs/breast_cancer.yaml").toString(),
                "--input",
                sample(),
                "--output-table",
                missing,
                "--reports-dir",
                tmp.resolve("reports").toString()));
    assertEquals(ExitCodes.USAGE, noFormat.code(), noFormat.err());
    assertTrue(
        noFormat.err().contains(missing + " does not exist; give --table-format"), noFormat.err());

    Run noCatalog = score("nowhere.db.preds", TableFormat.ICEBERG, sample(), "2026-03-01");
    assertEquals(ExitCodes.USAGE, noCatalog.code(), noCatalog.err());
    assertTrue(
        noCatalog.err().contains("nowhere.db.preds: its catalog is not configured"),
        noCatalog.err());

    Run noReports =
        job(
            List.of(
                "--spec",
                TestData.sample("specs/breast_cancer.yaml").toString(),
                "--input",
                sample(),
                "--output-table",
                missing));
    assertEquals(ExitCodes.USAGE, noReports.code(), noReports.err());
    assertTrue(noReports.err().contains("--output-table needs --reports-dir"), noReports.err());
    assertFalse(
        TableSessions.folder(TableFormat.ICEBERG, warehouse, "never_made").toFile().exists());
  }
}
