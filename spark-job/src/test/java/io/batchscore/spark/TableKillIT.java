package io.batchscore.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.batchscore.core.TestData;
import io.batchscore.spark.job.ExitCodes;
import io.batchscore.spark.job.TableFormat;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The job writing a table in a child JVM (its main class, as spark-submit runs it), stopped with
 * SIGTERM while its tasks write data files: the table keeps its last committed version of the date,
 * readable and whole, and the next run of the date commits at once.
 */
class TableKillIT {
  private static final int SAMPLE_ROWS = 569;
  private static final int COPIES = 300;
  private static final String DATE = "2026-01-02";
  @TempDir static Path warehouse;
  private static SparkSession spark;
  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    spark = SparkTestSession.start(TableSessions.settings(warehouse));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private Process start(TableFormat f, String table, String input) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!a.startsWith("-javaagent") && !a.startsWith("-agentlib")) {
        cmd.add(a);
      }
    }
    cmd.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            "io.batchscore.spark.job.ScoringJob",
            "--spec",
            TestData.sample("specs/breast_cancer.yaml").toString(),
            "--input",
            input,
            "--output-table",
            table,
            "--table-format",
            f.provider(),
            "--reports-dir",
            tmp.resolve("reports").toString(),
            "--run-date",
            DATE,
            "--master",
            "local[2]",
            "--partitions",
            "8"));
    TableSessions.conf(warehouse).forEach((k, v) -> cmd.addAll(List.of("--conf", k + "=" + v)));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("log-" + System.nanoTime() + ".txt").toFile());
    pb.environment().put("OPT_OUT_TRACKING", "true");
    return pb.start();
  }

  private String log() throws IOException {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> s = Files.list(tmp)) {
      for (Path p :
          s.filter(p -> p.getFileName().toString().startsWith("log-")).sorted().toList()) {
        all.append(Files.readString(p));
      }
    }
    return all.toString();
  }

  private int finish(Process p) throws Exception {
    assertTrue(p.waitFor(3, TimeUnit.MINUTES), "still running");
    return p.exitValue();
  }

  private static long dataFiles(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(folder)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".parquet")).count();
    }
  }

  private long rows(String table) {
    return spark.table(table).where("run_date = DATE'" + DATE + "'").count();
  }

  private long distinctIds(String table) {
    return spark
        .table(table)
        .where("run_date = DATE'" + DATE + "'")
        .select("id")
        .distinct()
        .count();
  }

  @ParameterizedTest
  @EnumSource(TableFormat.class)
  void aRunStoppedWithSigtermMidWriteLeavesTheCommittedDateAndTheNextRunCommits(TableFormat f)
      throws Exception {
    String name = "killed_" + f.provider();
    String table = TableSessions.table(f, warehouse, name);
    Path folder = TableSessions.folder(f, warehouse, name);
    String sample = TestData.sample("data/breast_cancer.parquet").toString();
    Dataset<Row> one = spark.read().parquet(sample);
    Dataset<Row> big = one;
    for (int i = 1; i < COPIES; i++) {
      big = big.union(one);
    }
    String input = tmp.resolve("big").toString();
    big.repartition(8).write().parquet(input);

    assertEquals(ExitCodes.OK, finish(start(f, table, sample)), this::safeLog);
    assertEquals(SAMPLE_ROWS, rows(table));
    long committedFiles = dataFiles(folder);

    Process terminated = start(f, table, input);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (dataFiles(folder) <= committedFiles && terminated.isAlive()) {
      assertTrue(System.nanoTime() < deadline, "no data file written:\n" + safeLog());
      Thread.sleep(10);
    }
    assertTrue(terminated.isAlive(), "the run ended before it could be stopped:\n" + safeLog());
    terminated.destroy(); // SIGTERM
    assertNotEquals(ExitCodes.OK, finish(terminated), safeLog());
    assertEquals(SAMPLE_ROWS, rows(table), "the committed date is whole");
    assertEquals(SAMPLE_ROWS, distinctIds(table), "and nothing of the stopped run is visible");

    assertEquals(ExitCodes.OK, finish(start(f, table, input)), this::safeLog);
    assertEquals((long) SAMPLE_ROWS * COPIES, rows(table), "the next run replaced the date");
  }

  private String safeLog() {
    try {
      return log();
    } catch (IOException e) {
      return e.toString();
    }
  }
}
