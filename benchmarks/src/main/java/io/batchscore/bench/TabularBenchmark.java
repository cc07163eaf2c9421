package io.batchscore.bench;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.randn;

import io.batchscore.core.BatchScorer;
import io.batchscore.core.Models;
import io.batchscore.core.ScoreResult;
import io.batchscore.core.ScorerOptions;
import io.batchscore.core.ScoringPlan;
import io.batchscore.core.column.Column;
import io.batchscore.core.column.ColumnBatch;
import io.batchscore.core.model.ModelSource;
import io.batchscore.core.spec.ScoringSpec;
import io.batchscore.core.spec.SessionConfig;
import io.batchscore.spark.SparkScoring;
import io.batchscore.spark.job.JobOptions;
import io.batchscore.spark.job.JobRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * batchscore against the limit (raw ONNX Runtime with pinned direct buffers) and against the usual
 * ways, side by side in one run, for the I/O-bound logistic regression and the compute-bound
 * tabular MLP (and, optionally, the image MLP whose 784 pixels make it decode-bound). Prints a
 * table per model; see docs/performance.md.
 *
 * <pre>
 * mvn -B -q -DskipTests install
 * mvn -B -q -pl benchmarks exec:exec -Dbench.main=io.batchscore.bench.TabularBenchmark -Dbench.args="1000000 1000000 0"
 * mvn -B -q -pl benchmarks exec:exec -Dbench.main=io.batchscore.bench.TabularBenchmark -Dbench.args="memory 1000000 10000000"
 * </pre>
 *
 * Arguments: rows for the logistic regression, for the tabular MLP (both default 1,000,000; the
 * same generated data when equal), for the image MLP (default 0: skipped); 0 skips a model. With
 * {@code memory} first: peak RSS of the job and the CLI at each row count that follows, and of the
 * CLI on the first count's files linked over to the last count (the same row groups). With {@code
 * cli} first: the tabular MLP's in-memory rows and its CLI rows only. With {@code stage} or {@code
 * job} first: the logistic regression's stage against its bound, or its job against its floors,
 * only. With {@code monitoring} first: the stage and the CLI with monitoring off, the predictions
 * profiled and the features too; with {@code monitoring-one ROWS off|predictions|features N}: one
 * of those stage variants N times, for a profiler to attach to. With {@code challengers ROWS
 * COMPUTE_ROWS}: two models in one pass (stage, job, their floors and bounds; 0 skips the
 * compute-bound pair). Data is generated with fixed seeds. Spark rows compared with each other are
 * timed in interleaved rounds (see {@link #sparkRounds}); the UDF and session-per-partition rows
 * are one run each, the CLI's the best of 2.
 */
public final class TabularBenchmark {
  static final int THREADS = 2;

  /** An in-memory measurement repeats whole passes over its data for at least this long. */
  static final long MIN_NANOS = 1_000_000_000L;

  /** Interleaved rounds of the in-memory paths (median reported). */
  static final int IN_MEMORY_ROUNDS = 9;

  /** Heap limit of child processes (the CLI, the job in memory mode). */
  static String childHeap = "2g";

  /**
   * Commit and touch the whole heap at start (memory mode), so RSS does not track the heap's
   * growth.
   */
  static boolean fixedHeap;

  static Path home = Path.of(System.getProperty("batchscore.home", ".")).toAbsolutePath();
  static Path work;

  public static void main(String[] args) throws Exception {
    work = Files.createTempDirectory("batchscore-bench");
    try {
      run(String.join(" ", args).trim().split("\\s+"));
    } finally {
      deleteTree(work); // the generated data: 236 MB per million rows
    }
  }

  static void run(String[] a) throws Exception {
    if (a[0].equals("memory")) {
      memory(a);
      return;
    }
    if (a[0].equals("job")) { // the logistic regression's job against its I/O floors only
      long rows = a.length > 1 ? Long.parseLong(a[1]) : 1_000_000;
      SparkSession spark = session();
      try {
        System.out.println("| path | rows/s | ratio |");
        System.out.println("|---|---:|---|");
        ScoringSpec spec = ScoringSpec.load(home.resolve("sample-data/specs/breast_cancer.yaml"));
        jobAgainstFloors(
            new Lines(), spark, spec, generateLr(spark, rows, "lr.parquet"), rows, Double.NaN);
      } finally {
        spark.stop();
      }
      return;
    }
    if (a[0].equals("tables")) { // the job into an Iceberg and a Delta table against a folder
      long rows = a.length > 1 ? Long.parseLong(a[1]) : 1_000_000;
      SparkSession spark = tableSession();
      try {
        System.out.println("| path | rows/s | ratio |");
        System.out.println("|---|---:|---|");
        tablesAgainstFolder(new Lines(), spark, generateLr(spark, rows, "lr.parquet"), rows);
      } finally {
        spark.stop();
      }
      return;
    }
    if (a[0].equals("monitoring")) { // what profiling costs the logistic regression's stage
      long rows = a.length > 1 ? Long.parseLong(a[1]) : 10_000_000;
      SparkSession spark = session();
      try {
        System.out.println("| path | rows/s | ratio |");
        System.out.println("|---|---:|---|");
        Lines lines = new Lines();
        Path data = generateLr(spark, rows, "lr.parquet");
        monitoringCost(lines, spark, data, rows);
        spark.stop();
        cliMonitoringCost(lines, data, rows);
      } finally {
        spark.stop();
      }
      return;
    }
    if (a[0].equals("monitoring-one")) { // one variant of the monitoring run, for a profiler
      long rows = Long.parseLong(a[1]);
      int repeats = a.length > 3 ? Integer.parseInt(a[3]) : 5;
      SparkSession spark = session();
      try {
        Path data = generateLr(spark, rows, "lr.parquet");
        Path specFile = home.resolve("sample-data/specs/breast_cancer.yaml");
        String text = Files.readString(specFile);
        if (a[2].equals("predictions")) {
          text += "\nmonitoring:\n  features: false\n";
        }
        ScoringSpec spec = ScoringSpec.parse(text, specFile.toString(), specFile.getParent());
        SparkScoring.Layout layout =
            a[2].equals("off")
                ? SparkScoring.Layout.JOB.withProfile(false)
                : SparkScoring.Layout.JOB;
        for (int i = 0; i < repeats; i++) {
          double rate = sparkTimed(rows, () -> noopStage(spark, spec, data, layout));
          System.out.printf("%s round %d: %,.0f rows/s%n", a[2], i, rate);
        }
      } finally {
        spark.stop();
      }
      return;
    }
    if (a[0].equals("challengers")) { // several models in one pass against one and two passes
      long rows = a.length > 1 ? Long.parseLong(a[1]) : 10_000_000;
      long computeRows = a.length > 2 ? Long.parseLong(a[2]) : 1_000_000;
      SparkSession spark = session();
      try {
        System.out.println("| path | rows/s | ratio |");
        System.out.println("|---|---:|---|");
        Lines lines = new Lines();
        challengers(lines, spark, generateLr(spark, rows, "lr.parquet"), rows, false);
        if (computeRows > 0) {
          challengers(
              lines, spark, generateLr(spark, computeRows, "lr1m.parquet"), computeRows, true);
        }
      } finally {
        spark.stop();
      }
      return;
    }
    if (a[0].equals(
        "stage")) { // the logistic regression's stage against its bound and the Row API path only
      long rows = a.length > 1 ? Long.parseLong(a[1]) : 1_000_000;
      ScoringSpec spec = ScoringSpec.load(home.resolve("sample-data/specs/breast_cancer.yaml"));
      int memRows = (int) Math.min(rows, 1_000_000);
      float[] mem = memory(memRows, 30);
      double raw;
      double byHand;
      try (RawOrt callers = new RawOrt(spec, 30, THREADS, THREADS)) {
        float[][] columnArrays = columnArrays(spec, columns(spec, mem, memRows, 30));
        String[] classes = classes(spec);
        double[][] rate =
            rounds(
                3,
                List.of(
                    () -> callers.scoreAll(mem, memRows),
                    () -> callers.scoreAllFromColumns(columnArrays, memRows, classes)));
        raw = median(rate[0]);
        byHand = median(rate[1]);
      }
      SparkSession spark = session();
      try {
        System.out.println("| path | rows/s | ratio |");
        System.out.println("|---|---:|---|");
        Lines lines = new Lines();
        lines.add(
            new Line(
                "raw ONNX Runtime, "
                    + THREADS
                    + " callers, 1 intra-op thread each (the limit; median of 3)",
                raw,
                ""));
        lines.add(
            new Line(
                "raw ONNX Runtime, "
                    + THREADS
                    + " callers, the spec's whole job by hand (median of 3, interleaved with the limit)",
                byHand,
                ratio(byHand, raw) + " of the limit"));
        stageAgainstBound(
            lines, spark, spec, generateLr(spark, rows, "lr.parquet"), rows, raw, byHand);
      } finally {
        spark.stop();
      }
      return;
    }
    if (a[0].equals("cli")) { // the tabular MLP's limit and its CLI rows only
      long rows = a.length > 1 ? Long.parseLong(a[1]) : 1_000_000;
      SparkSession spark = session();
      Path data;
      try {
        data = generateLr(spark, rows, "lr.parquet");
      } finally {
        spark.stop();
      }
      System.out.println("| path | rows/s | ratio |");
      System.out.println("|---|---:|---|");
      ScoringSpec spec = ScoringSpec.load(home.resolve("sample-data/specs/breast_cancer_mlp.yaml"));
      Lines lines = new Lines();
      double raw = inMemory(lines, spec, (int) Math.min(rows, 1_000_000), 30).limit();
      cliRows(lines, spec, data, rows, 30, raw);
      return;
    }
    if (a[0].equals("core")) { // the in-memory rows only, both tabular models, no Spark
      for (String spec : new String[] {"breast_cancer.yaml", "breast_cancer_mlp.yaml"}) {
        System.out.println("### " + spec + ", in memory");
        System.out.println();
        System.out.println("| path | rows/s | ratio |");
        System.out.println("|---|---:|---|");
        inMemory(
            new Lines(),
            ScoringSpec.load(home.resolve("sample-data/specs/" + spec)),
            1_000_000,
            30);
        System.out.println();
      }
      return;
    }
    long lrRows = a.length > 0 && !a[0].isEmpty() ? Long.parseLong(a[0]) : 1_000_000;
    long mlpRows = a.length > 1 ? Long.parseLong(a[1]) : lrRows;
    long imageRows = a.length > 2 ? Long.parseLong(a[2]) : 0;
    System.out.printf(
        "batchscore tabular benchmark: %d cores, %s %s, ParallelGC, Spark local[%d], ORT %s, in-memory paths on %d cores (one caller x %d threads, or %d callers x 1)%n%n",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"),
        THREADS,
        RawOrt.version(),
        THREADS,
        THREADS,
        THREADS);
    SparkSession spark = session();
    try {
      if (lrRows > 0) {
        model(
            spark,
            "logistic regression (breast_cancer_logreg, 30 features; I/O-bound)",
            ScoringSpec.load(home.resolve("sample-data/specs/breast_cancer.yaml")),
            generateLr(spark, lrRows, "lr.parquet"),
            lrRows,
            30);
      }
      if (mlpRows > 0) {
        Path data =
            mlpRows == lrRows
                ? work.resolve("lr.parquet")
                : generateLr(spark, mlpRows, "mlp.parquet");
        model(
            spark,
            "tabular MLP (breast_cancer_mlp, 30 -> 512 -> 512 -> 2, ~280k multiply-adds per row; compute-bound)",
            ScoringSpec.load(home.resolve("sample-data/specs/breast_cancer_mlp.yaml")),
            data,
            mlpRows,
            30);
      }
      if (imageRows > 0) {
        model(
            spark,
            "image MLP (fashion_mlp, 784 pixels in one array column -> 256 -> 128 -> 10)",
            ScoringSpec.load(home.resolve("sample-data/specs/fashion_mlp_pixels.yaml")),
            generateMlp(spark, imageRows),
            imageRows,
            784);
      }
    } finally {
      spark.stop();
    }
  }

  /**
   * The Spark session of every Spark row. At least three input splits per core ({@code
   * spark.sql.files.minPartitionNum}): by default Spark packs the 1M-row data's 8 files into 3
   * tasks (375k, 375k and 250k rows), and on 2 cores the third runs alone, so every Spark row lost
   * about a fifth to an idle core, which the in-memory limit does not. With it, each file is a task
   * of its own: 8 equal tasks. Larger inputs are split as before.
   */
  static SparkSession session() {
    return SparkSession.builder()
        .master("local[" + THREADS + "]")
        .appName("bench")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.files.minPartitionNum", Integer.toString(3 * THREADS))
        .getOrCreate();
  }

  /**
   * Peak RSS of the job ({@code bin/batchscore run}, embedded Spark) and the CLI ({@code
   * bin/batchscore score}) on the logistic regression at each row count, as child processes with
   * the same heap limit ({@code -Dbench.heap}, default 512m). Streaming means the peak does not
   * grow with the input.
   */
  static void memory(String[] a) throws Exception {
    // One heap limit for every size, small enough that each run reaches it: the peak then shows
    // what grows besides the heap (native buffers, tensors, threads), and finishing at all shows
    // the data streams through.
    childHeap = System.getProperty("bench.heap", "512m");
    // With -Xms = -Xmx the heap is one fixed size from the start: a short run and a long one
    // differ in RSS only by what else grows. (With an adaptive heap the longer run simply
    // grows its heap further towards -Xmx, which says nothing about leaks.)
    fixedHeap = true;
    System.out.println(
        "child JVMs: -Xms"
            + childHeap
            + " -Xmx"
            + childHeap
            + ", -XX:+UseParallelGC; Spark local["
            + THREADS
            + "]");
    System.out.println();
    System.out.println(
        "| rows | job peak RSS (MB) | job rows/s | CLI peak RSS (MB) | CLI rows/s |");
    System.out.println("|---:|---:|---:|---:|---:|");
    ScoringSpec lr = ScoringSpec.load(home.resolve("sample-data/specs/breast_cancer.yaml"));
    Path first = null;
    long firstRows = 0;
    long lastRows = 0;
    for (int i = 1; i < a.length; i++) {
      long rows = Long.parseLong(a[i]);
      SparkSession spark = session();
      Path data = generateLr(spark, rows, "lr-" + rows + ".parquet");
      spark.stop();
      double[] job =
          child(
              rows,
              "run",
              "--spec",
              lr.origin(),
              "--input",
              data.toString(),
              "--output",
              work.resolve("job-" + rows).toString(),
              "--run-date",
              "2026-11-24",
              "--master",
              "local[" + THREADS + "]");
      double[] cli =
          child(
              rows,
              "score",
              "--spec",
              lr.origin(),
              "-i",
              data.toString(),
              "-o",
              work.resolve("cli-" + rows + ".parquet").toString(),
              "--threads",
              Integer.toString(THREADS));
      System.out.printf(
          Locale.ROOT,
          "| %,d | %.0f | %,.0f | %.0f | %,.0f |%n",
          rows,
          job[1],
          job[0],
          cli[1],
          cli[0]);
      if (first == null) {
        first = data;
        firstRows = rows;
      } else {
        deleteTree(data);
      }
      lastRows = rows;
    }
    // Spark writes each size as 8 files, so a larger size also has larger row groups (up to
    // Parquet's 128 MB), and the CLI holds one row group's column chunks at a time, outside the
    // heap. The first size's files linked over and over have the first size's row groups: only
    // the row count differs.
    if (first != null && lastRows >= 2 * firstRows) {
      int times = (int) (lastRows / firstRows);
      Path many = linked(first, times, "linked");
      long rows = times * firstRows;
      double[] cli =
          child(
              rows,
              "score",
              "--spec",
              lr.origin(),
              "-i",
              many.toString(),
              "-o",
              work.resolve("cli-linked.parquet").toString(),
              "--threads",
              Integer.toString(THREADS));
      System.out.printf(
          Locale.ROOT,
          "| %,d (the %,d-row files linked %d times: their row groups) | | | %.0f | %,.0f |%n",
          rows,
          firstRows,
          times,
          cli[1],
          cli[0]);
      deleteTree(many);
    }
    if (first != null) {
      deleteTree(first);
    }
  }

  /** A folder with the Parquet files of {@code data} linked {@code times} times over. */
  static Path linked(Path data, int times, String name) throws java.io.IOException {
    Path dir = work.resolve(name);
    Files.createDirectories(dir);
    try (var files = Files.list(data)) {
      for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".parquet")).toList()) {
        for (int k = 0; k < times; k++) {
          Files.createSymbolicLink(dir.resolve("copy" + k + "-" + f.getFileName()), f);
        }
      }
    }
    return dir;
  }

  static void deleteTree(Path p) throws java.io.IOException {
    try (var s = Files.walk(p)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  // ------------------------------------------------------------------ data

  static Path generateLr(SparkSession spark, long rows, String name) {
    Path out = work.resolve(name);
    List<org.apache.spark.sql.Column> cols = new ArrayList<>();
    cols.add(col("id"));
    ScoringSpec spec;
    try {
      spec = ScoringSpec.load(home.resolve("sample-data/specs/breast_cancer.yaml"));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    List<String> names = spec.inputs().get(0).columns();
    for (int i = 0; i < names.size(); i++) {
      cols.add(randn(1000 + i).multiply(10).plus(20).cast("double").alias(names.get(i)));
    }
    spark
        .range(rows)
        .repartition(8)
        .select(cols.toArray(new org.apache.spark.sql.Column[0]))
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(out.toString());
    return out;
  }

  static Path generateMlp(SparkSession spark, long rows) {
    Path out = work.resolve("mlp.parquet");
    List<org.apache.spark.sql.Column> px = new ArrayList<>();
    for (int i = 0; i < 784; i++) {
      px.add(rand(2000 + i).multiply(255).cast("float"));
    }
    spark
        .range(rows)
        .repartition(8)
        .select(col("id"), array(px.toArray(new org.apache.spark.sql.Column[0])).alias("pixels"))
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(out.toString());
    return out;
  }

  /** In-memory data, row-major, seeded. */
  static float[] memory(int rows, int width) {
    Random r = new Random(7);
    float[] v = new float[rows * width];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (width == 784 ? r.nextDouble() * 255 : r.nextGaussian() * 10 + 20);
    }
    return v;
  }

  // ------------------------------------------------------------------ one model

  record Line(String path, double rowsPerSec, String ratio) {}

  /**
   * The limit, raw ONNX Runtime in the naive path's batches, and the spec's job by hand (NaN for
   * the image MLP).
   */
  record InMemory(double limit, double smallBatches, double byHand) {}

  /**
   * The session-per-partition baseline's batch size: the default of both SynapseML's {@code
   * ONNXModel} (a {@code FixedMiniBatchTransformer} of 10) and DJL's Spark predictors ({@code
   * batchSize} 10), each of which also makes a session per partition.
   */
  static final int NAIVE_BATCH = 10;

  /** Lines print as they are measured, so a long run shows progress. */
  static final class Lines extends ArrayList<Line> {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean add(Line l) {
      System.out.printf(Locale.ROOT, "| %s | %,.0f | %s |%n", l.path(), l.rowsPerSec(), l.ratio());
      System.out.flush();
      return super.add(l);
    }
  }

  /**
   * The in-memory rows of a model's table; returns the limit's rate. Two cores can serve ONNX
   * Runtime two ways: one caller whose session has two intra-op threads, or two callers taking
   * batches in turn, one intra-op thread each. Both are measured and the faster is the limit.
   * scoring-core runs the second way with {@code concurrency(2)} (what the CLI does), and the first
   * way for comparison.
   */
  static InMemory inMemory(List<Line> lines, ScoringSpec spec, long rows, int width)
      throws Exception {
    int memRows = (int) Math.min(rows, width == 784 ? 100_000 : 1_000_000);
    float[] mem = memory(memRows, width);
    // In-memory paths: interleaved rounds (see interleaved()); the ratio is the median of each
    // round's ratio, so the machine's drift (20-40% within minutes) cancels out.
    ColumnBatch cols =
        width == 784 ? rowMajor(mem, memRows, width, "pixels") : columns(spec, mem, memRows, width);
    ColumnBatch array = rowMajor(mem, memRows, width, "features");
    ScoringSpec rowMajorSpec =
        width == 784 ? rawOutput(spec, width) : rowMajorRawOutput(spec, width);
    try (RawOrt oneCaller = new RawOrt(spec, width, THREADS);
        RawOrt callers = new RawOrt(spec, width, THREADS, THREADS);
        BatchScorer full = openInMemory(spec, THREADS);
        BatchScorer plain = openInMemory(rawOutput(spec, width), THREADS);
        BatchScorer rowMajor = openInMemory(rowMajorSpec, THREADS);
        BatchScorer fullOne = openInMemory(spec, 1);
        BatchScorer rowMajorOne = openInMemory(rowMajorSpec, 1);
        RawOrt small = new RawOrt(spec, width, THREADS, THREADS, NAIVE_BATCH)) {
      ColumnBatch rowMajorInput = width == 784 ? cols : array;
      // The tabular specs' whole job written by hand (RawOrt.scoreAllFromColumns); not for the
      // image MLP, whose outputs differ.
      boolean byHand = width != 784;
      float[][] columnArrays = byHand ? columnArrays(spec, cols) : null;
      String[] classes = byHand ? classes(spec) : null;
      List<Pass> paths =
          new ArrayList<>(
              List.of(
                  () -> oneCaller.scoreAll(mem, memRows),
                  () -> callers.scoreAll(mem, memRows),
                  () -> callers.scoreAllKeepingOutputs(mem, memRows),
                  () -> full.score(cols).rowsScored(),
                  () -> plain.score(cols).rowsScored(),
                  () -> rowMajor.score(rowMajorInput).rowsScored(),
                  () -> fullOne.score(cols).rowsScored(),
                  () -> rowMajorOne.score(rowMajorInput).rowsScored(),
                  () -> small.scoreAll(mem, memRows)));
      if (byHand) {
        paths.add(() -> callers.scoreAllFromColumns(columnArrays, memRows, classes));
      }
      double[][] rate = rounds(IN_MEMORY_ROUNDS, paths);
      int limit = median(rate[1]) > median(rate[0]) ? 1 : 0;
      double[][] m = summary(rate, limit);
      String[] raw = {
        "raw ONNX Runtime, one caller, "
            + THREADS
            + " intra-op threads, pinned direct input/output tensors ("
            + memRows
            + " rows)",
        "raw ONNX Runtime, "
            + THREADS
            + " callers each taking the next batch, 1 intra-op thread each, one shared session"
      };
      for (int i = 0; i < 2; i++) {
        lines.add(
            new Line(
                raw[i],
                m[i][0],
                i == limit
                    ? "1.00 (the limit: the faster of the two)"
                    : ratioRange(m[i]) + " of the limit"));
      }
      lines.add(
          new Line(
              "raw ONNX Runtime, "
                  + THREADS
                  + " callers, + a NaN check per batch + its outputs kept in result arrays",
              m[2][0],
              ratioRange(m[2]) + " of the limit"));
      if (byHand) {
        lines.add(
            new Line(
                "raw ONNX Runtime, "
                    + THREADS
                    + " callers, the spec's whole job by hand: the "
                    + width
                    + " columns transposed into the input with the NaN check, label, positive class and class name kept",
                m[9][0],
                ratioRange(m[9])
                    + " of the limit; scoring-core below is "
                    + ratioRange(summary(rate, 9)[3])
                    + " of it"));
      }
      String cores = ", " + THREADS + " batches at once (concurrency " + THREADS + ", as the CLI)";
      lines.add(
          new Line(
              "scoring-core BatchScorer, same in-memory data ("
                  + (width == 784 ? "one array column" : width + " columns")
                  + ")"
                  + cores,
              m[3][0],
              ratioRange(m[3]) + " of the limit"));
      lines.add(
          new Line(
              "scoring-core, the raw output tensor only (no post-processing)" + cores,
              m[4][0],
              ratioRange(m[4]) + " of the limit"));
      // The raw baseline's layout: the rows as one row-major array column, no transposition.
      lines.add(
          new Line(
              "scoring-core, raw output only, the same row-major data as one array column" + cores,
              m[5][0],
              ratioRange(m[5]) + " of the limit"));
      lines.add(
          new Line(
              "scoring-core BatchScorer, columns, one batch at a time on "
                  + THREADS
                  + " intra-op threads",
              m[6][0],
              ratioRange(m[6]) + " of the limit"));
      lines.add(
          new Line(
              "scoring-core, raw output, row-major, one batch at a time on "
                  + THREADS
                  + " intra-op threads",
              m[7][0],
              ratioRange(m[7])
                  + " of the limit; "
                  + ratioRange(summary(rate, 0)[7])
                  + " of raw one caller"));
      // What the session-per-partition baseline asks of ONNX Runtime: its small batches.
      lines.add(
          new Line(
              "raw ONNX Runtime, "
                  + THREADS
                  + " callers, 1 intra-op thread each, batches of "
                  + NAIVE_BATCH
                  + " (the session-per-partition baseline's model calls)",
              m[8][0],
              ratioRange(m[8]) + " of the limit"));
      return new InMemory(m[limit][0], m[8][0], byHand ? m[9][0] : Double.NaN);
    }
  }

  /** The feature columns' arrays, in the spec's order: the hand-written job's input. */
  static float[][] columnArrays(ScoringSpec spec, ColumnBatch cols) {
    return spec.featureColumns().stream()
        .map(c -> (cols.column(c)).floats())
        .toArray(float[][]::new);
  }

  /**
   * The class names the tabular models carry in their metadata, for the hand-written job's
   * class-name output.
   */
  static String[] classes(ScoringSpec spec) throws Exception {
    return io.batchscore.core.Models.inspect(spec.resolvedModelPath())
        .signature()
        .metadata()
        .custom()
        .get("classes")
        .split(",");
  }

  /** The stage's and Spark's decode rates, medians of their rounds (rows/s). */
  record StageRates(double stage, double decode) {}

  /**
   * The stage against the combined bound and the Row API path: decode only, the scan alone, the
   * stage (column vectors, then internal rows) and the Row API path, timed side by side in {@link
   * #SPARK_ROUNDS} interleaved rounds after one warm-up round. A rate is its median over the
   * rounds; a ratio the median of its per-round ratios (its range in brackets), with the bound of
   * each round computed from that round's decode rate and the in-memory limit {@code raw}.
   *
   * <p>The decode reads what the stage reads: the passthrough columns and the features. A decode of
   * the features only (6% less time at 10M rows, measured side by side, for the passthrough id it
   * leaves out) is measured too, and the stage's ratio to its bound printed with it.
   *
   * <p>The rounds also time the stage and the Row API path writing the predictions alone ({@link
   * #PREDICTIONS_ONLY}), and, given the in-memory rate of the spec's whole job by hand ({@code
   * byHand}, NaN to skip), the bound with that job in place of the bare model calls.
   */
  static StageRates stageAgainstBound(
      List<Line> lines,
      SparkSession spark,
      ScoringSpec spec,
      Path data,
      long rows,
      double raw,
      double byHand)
      throws Exception {
    org.apache.spark.sql.Column[] features =
        spec.featureColumns().stream()
            .map(c -> col("`" + c + "`"))
            .toArray(org.apache.spark.sql.Column[]::new);
    java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>(spec.passthrough());
    names.addAll(spec.featureColumns());
    org.apache.spark.sql.Column[] read =
        names.stream().map(c -> col("`" + c + "`")).toArray(org.apache.spark.sql.Column[]::new);
    double[][] r =
        sparkRounds(
            SPARK_ROUNDS,
            List.of(
                () ->
                    sparkTimed(
                        rows,
                        () ->
                            spark
                                .read()
                                .parquet(data.toString())
                                .select(read)
                                .write()
                                .format("noop")
                                .mode(SaveMode.Overwrite)
                                .save()),
                // The scan alone: its column vectors counted, no rows made of them (what the
                // budget's
                // decode rate also pays: turning the columns into rows for the noop sink).
                () -> sparkTimed(rows, () -> columnarCount(spark, data, read)),
                () ->
                    sparkTimed(
                        rows,
                        () ->
                            scored(spark, spec, data)
                                .write()
                                .format("noop")
                                .mode(SaveMode.Overwrite)
                                .save()),
                () -> {
                  spark.conf().set(SparkScoring.COLUMNAR_CONF, "false");
                  try {
                    return sparkTimed(
                        rows,
                        () ->
                            scored(spark, spec, data)
                                .write()
                                .format("noop")
                                .mode(SaveMode.Overwrite)
                                .save());
                  } finally {
                    spark.conf().unset(SparkScoring.COLUMNAR_CONF);
                  }
                },
                // The usual ways write the same rows as the stage (passthrough, predictions, model
                // columns).
                () ->
                    sparkTimed(
                        rows,
                        () ->
                            rowApi(spark, spec, data)
                                .write()
                                .format("noop")
                                .mode(SaveMode.Overwrite)
                                .save()),
                () ->
                    sparkTimed(
                        rows,
                        () ->
                            spark
                                .read()
                                .parquet(data.toString())
                                .select(features)
                                .write()
                                .format("noop")
                                .mode(SaveMode.Overwrite)
                                .save()),
                // The stage's own rows made by Spark from the same input, no model: what any stage
                // that
                // writes these rows pays besides the model.
                () ->
                    sparkTimed(
                        rows,
                        () ->
                            ioFloor(spark, spec, data, false, true)
                                .write()
                                .format("noop")
                                .mode(SaveMode.Overwrite)
                                .save()),
                // Both again with the predictions alone (the passthrough and prediction columns, no
                // model
                // columns: a library user's layout), to show what the job's model columns cost each
                // side.
                () -> sparkTimed(rows, () -> noopStage(spark, spec, data, PREDICTIONS_ONLY)),
                () ->
                    sparkTimed(
                        rows,
                        () ->
                            rowApi(spark, spec, data, PREDICTIONS_ONLY)
                                .write()
                                .format("noop")
                                .mode(SaveMode.Overwrite)
                                .save())));
    double[] decode = r[0],
        scan = r[1],
        stage = r[2],
        stageRows = r[3],
        rowApi = r[4],
        featuresOnly = r[5],
        sameRows = r[6];
    double[] leanStage = r[7], leanRowApi = r[8];
    double[] rowsBound = new double[decode.length];
    for (int i = 0; i < rowsBound.length; i++) {
      rowsBound[i] = 1 / (1 / sameRows[i] + 1 / raw);
    }
    double[] bound = new double[decode.length];
    double[] featuresBound = new double[decode.length];
    for (int i = 0; i < bound.length; i++) {
      bound[i] = 1 / (1 / decode[i] + 1 / raw);
      featuresBound[i] = 1 / (1 / featuresOnly[i] + 1 / raw);
    }
    String rounds = " (median of " + SPARK_ROUNDS + " interleaved rounds)";
    lines.add(
        new Line(
            "Spark Parquet decode only: what the stage reads (passthrough "
                + String.join(", ", spec.passthrough())
                + " + features) -> noop"
                + rounds,
            median(decode),
            ""));
    lines.add(new Line("combined bound 1/(1/decode + 1/raw), per round", median(bound), ""));
    lines.add(
        new Line(
            "for reference: Spark's vectorized scan of the same columns alone, batches counted, no rows made",
            median(scan),
            "a stage that made no rows at all could reach 1/(1/scan + 1/raw) = "
                + String.format(Locale.ROOT, "%,.0f", 1 / (1 / median(scan) + 1 / raw))));
    lines.add(
        new Line(
            "for reference: decode of the features only",
            median(featuresOnly),
            "its bound: " + String.format(Locale.ROOT, "%,.0f", median(featuresBound))));
    lines.add(
        new Line(
            "batchscore Spark scoring stage (scan's column vectors, noop sink)",
            median(stage),
            ratioRange(perRound(stage, bound))
                + " of bound ("
                + ratioRange(perRound(stage, featuresBound))
                + " of the features-only bound); "
                + ratio(median(stage), raw)
                + " of raw"));
    lines.add(
        new Line(
            "the same stage reading internal rows (spark.batchscore.columnar=false)",
            median(stageRows),
            ratioRange(perRound(stageRows, bound))
                + " of bound; columnar is "
                + ratioRange(perRound(stage, stageRows))
                + "x"));
    lines.add(
        new Line(
            "Dataset<Row>.mapPartitions + Encoders.row, same scorer, same output rows (noop)",
            median(rowApi),
            "ours is "
                + ratioRange(perRound(stage, rowApi))
                + "x; the combined bound is "
                + ratioRange(perRound(bound, rowApi))
                + "x"));
    lines.add(
        new Line(
            "for reference: Spark making the stage's output rows (constant predictions, the model columns) from the same input, no model (noop)",
            median(sameRows),
            "with the model at the limit, 1/(1/this + 1/raw) = "
                + String.format(Locale.ROOT, "%,.0f", median(rowsBound))
                + ", "
                + ratioRange(perRound(rowsBound, rowApi))
                + "x the Row API path; the stage is "
                + ratioRange(perRound(stage, rowsBound))
                + " of it"));
    if (!Double.isNaN(byHand)) {
      // The model's part as the spec's whole job by hand (transposition, NaN check, its outputs
      // kept), not the limit's bare model calls: what any stage computing these outputs pays.
      double[] handBound = new double[decode.length];
      for (int i = 0; i < handBound.length; i++) {
        handBound[i] = 1 / (1 / decode[i] + 1 / byHand);
      }
      lines.add(
          new Line(
              "combined bound with the spec's whole job by hand in place of raw, 1/(1/decode + 1/by hand), per round",
              median(handBound),
              "the stage is "
                  + ratioRange(perRound(stage, handBound))
                  + " of it; it is "
                  + ratioRange(perRound(handBound, rowApi))
                  + "x the Row API path"));
    }
    lines.add(
        new Line(
            "the stage writing the predictions alone (passthrough and predictions, no model columns)",
            median(leanStage),
            ratioRange(perRound(leanStage, bound))
                + " of bound; "
                + ratioRange(perRound(leanStage, stage))
                + "x the job's layout"));
    lines.add(
        new Line(
            "Dataset<Row>.mapPartitions + Encoders.row, the same rows without the model columns",
            median(leanRowApi),
            "ours is "
                + ratioRange(perRound(leanStage, leanRowApi))
                + "x; the combined bound is "
                + ratioRange(perRound(bound, leanRowApi))
                + "x"));
    return new StageRates(median(stage), median(decode));
  }

  /**
   * The job's stage (its layout, noop sink) with monitoring off, with the 3 prediction columns
   * profiled ({@code monitoring.features: false}) and with the 30 features profiled too (the
   * default), in {@link #SPARK_ROUNDS} interleaved rounds; each ratio is the median of the
   * per-round ratios to monitoring off, its range in brackets.
   */
  static void monitoringCost(List<Line> lines, SparkSession spark, Path data, long rows)
      throws Exception {
    Path specFile = home.resolve("sample-data/specs/breast_cancer.yaml");
    ScoringSpec all = ScoringSpec.load(specFile);
    ScoringSpec predictions =
        ScoringSpec.parse(
            Files.readString(specFile) + "\nmonitoring:\n  features: false\n",
            specFile + " (monitoring.features: false)",
            specFile.getParent());
    List<Measure> measures = new ArrayList<>();
    for (Object[] m :
        new Object[][] {
          {all, SparkScoring.Layout.JOB.withProfile(false)},
          {predictions, SparkScoring.Layout.JOB},
          {all, SparkScoring.Layout.JOB}
        }) {
      ScoringSpec spec = (ScoringSpec) m[0];
      SparkScoring.Layout layout = (SparkScoring.Layout) m[1];
      measures.add(() -> sparkTimed(rows, () -> noopStage(spark, spec, data, layout)));
    }
    double[][] r = sparkRounds(SPARK_ROUNDS, measures);
    String rounds = " (median of " + SPARK_ROUNDS + " interleaved rounds)";
    lines.add(new Line("stage, monitoring off" + rounds, median(r[0]), ""));
    lines.add(
        new Line(
            "stage profiling the 3 prediction columns",
            median(r[1]),
            ratioRange(perRound(r[1], r[0])) + " of off"));
    lines.add(
        new Line(
            "stage profiling the 30 features and 3 predictions (the default)",
            median(r[2]),
            ratioRange(perRound(r[2], r[0])) + " of off"));
  }

  /**
   * Two models in one pass (the job's stage: its layout and profiling, noop sink), in {@link
   * #SPARK_ROUNDS} interleaved rounds. I/O-bound ({@code compute} false): the logistic regression
   * alone, with a second logistic regression as a shadow, and alone twice in a row (two jobs over
   * the same input); the ratios are wall times, per round. Compute-bound: the MLP alone, the
   * logistic regression alone, and the MLP with the logistic regression as a shadow; the ratio is
   * the pair's wall time over the sum of the two alone.
   */
  static void challengers(
      List<Line> lines, SparkSession spark, Path data, long rows, boolean compute)
      throws Exception {
    Path lrFile = home.resolve("sample-data/specs/breast_cancer.yaml");
    Path mlpFile = home.resolve("sample-data/specs/breast_cancer_mlp.yaml");
    ScoringSpec lr = ScoringSpec.load(lrFile);
    ScoringSpec mlp = ScoringSpec.load(mlpFile);
    Path champion = compute ? mlpFile : lrFile;
    // The second logistic regression is the same file: its session is shared through the cache,
    // which changes nothing per row (each scorer has its own tensors and calls).
    ScoringSpec pair =
        ScoringSpec.parse(
            Files.readString(champion)
                + "\nchallengers:\n  - {name: lr2, mode: shadow,"
                + " model: ../models/breast_cancer_logreg.onnx}\n",
            champion + " (+ a shadow logistic regression)",
            champion.getParent());
    SparkScoring.Layout layout = SparkScoring.Layout.JOB;
    Runnable lrStage = () -> noopStage(spark, lr, data, layout);
    List<Measure> measures = new ArrayList<>();
    measures.add(() -> sparkTimed(rows, lrStage));
    measures.add(() -> sparkTimed(rows, () -> noopStage(spark, pair, data, layout)));
    if (compute) {
      measures.add(() -> sparkTimed(rows, () -> noopStage(spark, mlp, data, layout)));
    } else {
      measures.add(
          () ->
              sparkTimed(
                  rows,
                  () -> {
                    lrStage.run();
                    lrStage.run();
                  }));
      // Monitoring off: the second model's scoring alone, without profiles and the comparison.
      SparkScoring.Layout off = layout.withProfile(false);
      measures.add(() -> sparkTimed(rows, () -> noopStage(spark, lr, data, off)));
      measures.add(() -> sparkTimed(rows, () -> noopStage(spark, pair, data, off)));
      // The whole job, as the budget reads: Parquet predictions, report and profile.
      String models = home.resolve("sample-data/models").toString() + "/";
      Path pairFile = work.resolve("lr_pair.yaml");
      Files.writeString(
          pairFile,
          Files.readString(lrFile).replace("../models/", models)
              + "\nchallengers:\n  - {name: lr2, mode: shadow, model: "
              + models
              + "breast_cancer_logreg.onnx}\n");
      ScoringSpec pairJob = ScoringSpec.load(pairFile);
      measures.add(() -> sparkTimed(rows, () -> runJob(spark, lr, data)));
      measures.add(() -> sparkTimed(rows, () -> runJob(spark, pairJob, data)));
      measures.add(
          () ->
              sparkTimed(
                  rows,
                  () -> {
                    runJob(spark, lr, data);
                    runJob(spark, lr, data);
                  }));
      // Each job's I/O floor (random values of the output's types, features read): what writing
      // the shadow's two columns costs with no model at all.
      String floorOut = work.resolve("floor").toString();
      for (ScoringSpec s : List.of(lr, pairJob)) {
        measures.add(
            () ->
                sparkTimed(
                    rows,
                    () ->
                        ioFloor(spark, s, data, true, true)
                            .write()
                            .mode(SaveMode.Overwrite)
                            .parquet(floorOut)));
      }
    }
    double[][] r = sparkRounds(SPARK_ROUNDS, measures);
    String at = String.format(Locale.ROOT, " at %,d rows", rows);
    String rounds = " (median of " + SPARK_ROUNDS + " interleaved rounds)";
    if (!compute) {
      lines.add(new Line("stage, the logistic regression alone" + at + rounds, median(r[0]), ""));
      lines.add(
          new Line(
              "stage, the logistic regression and a second one as a shadow, one pass",
              median(r[1]),
              "wall time "
                  + ratioRange(perRound(r[0], r[1]))
                  + "x the one alone (budget <= 1.15x)"));
      lines.add(
          new Line(
              "stage, the logistic regression alone twice (two passes over the input)",
              median(r[2]),
              "one pass is " + ratioRange(perRound(r[1], r[2])) + "x faster (budget >= 1.6x)"));
      lines.add(new Line("stage, the logistic regression alone, monitoring off", median(r[3]), ""));
      lines.add(
          new Line(
              "stage, the two in one pass, monitoring off (no profiles, no comparison)",
              median(r[4]),
              "wall time " + ratioRange(perRound(r[3], r[4])) + "x the one alone"));
      lines.add(
          new Line(
              "job (Parquet, report, profile), the logistic regression alone", median(r[5]), ""));
      lines.add(
          new Line(
              "job, the logistic regression and a second one as a shadow",
              median(r[6]),
              "wall time "
                  + ratioRange(perRound(r[5], r[6]))
                  + "x the one alone (budget <= 1.15x)"));
      lines.add(
          new Line(
              "job, the logistic regression alone twice (two jobs over the input)",
              median(r[7]),
              "one job is " + ratioRange(perRound(r[6], r[7])) + "x faster (budget >= 1.6x)"));
      lines.add(
          new Line(
              "I/O floor of the one's job (its output, random values; features read)",
              median(r[8]),
              ""));
      lines.add(
          new Line(
              "I/O floor of the pair's job (the same with the shadow's two columns)",
              median(r[9]),
              "wall time " + ratioRange(perRound(r[8], r[9])) + "x the one's floor"));
      double raw = secondModelBound(lines, lr, median(r[0]));
      // The pair's job can at best add to the one's job what writing the shadow's columns costs
      // (the floors' difference) and the second model's bare call at raw ONNX Runtime's rate.
      double[] q = new double[r[5].length];
      for (int i = 0; i < q.length; i++) {
        q[i] = 1 + ((1 / r[9][i] - 1 / r[8][i]) + 1 / raw) / (1 / r[5][i]);
      }
      java.util.Arrays.sort(q);
      lines.add(
          new Line(
              "job, the pair's bound: the one's job + the floors' difference + a bare model call",
              median(r[5]) / median(q),
              "wall time >= "
                  + ratioRange(new double[] {0, median(q), q[0], q[q.length - 1]})
                  + "x the one alone"));
    } else {
      double[] q = new double[r[0].length];
      for (int i = 0; i < q.length; i++) {
        q[i] = (1 / r[1][i]) / (1 / r[0][i] + 1 / r[2][i]);
      }
      java.util.Arrays.sort(q);
      lines.add(new Line("stage, the MLP alone" + at + rounds, median(r[2]), ""));
      lines.add(new Line("stage, the logistic regression alone", median(r[0]), ""));
      lines.add(
          new Line(
              "stage, the MLP with the logistic regression as a shadow, one pass",
              median(r[1]),
              "wall time "
                  + ratioRange(new double[] {median(r[1]), median(q), q[0], q[q.length - 1]})
                  + "x the sum of the two alone (budget <= 1.05x)"));
    }
  }

  /**
   * What a second logistic regression must cost per row however the pass is shared: raw ONNX
   * Runtime's rate for it (the faster of one caller on both cores and two callers; tensors made
   * once, no outputs read), and scoring-core's in-memory rate (its tensors assembled from columns,
   * outputs made). With everything else shared, two models in one pass take at least {@code 1 + one
   * / limit} of one model's wall time.
   *
   * @param one the one-model stage's rate (monitoring on, as the job)
   * @return raw ONNX Runtime's rate for the second model (rows/s)
   */
  static double secondModelBound(List<Line> lines, ScoringSpec lr, double one) throws Exception {
    int memRows = 1_000_000;
    float[] mem = memory(memRows, 30);
    ColumnBatch cols = columns(lr, mem, memRows, 30);
    try (RawOrt oneCaller = new RawOrt(lr, 30, THREADS);
        RawOrt callers = new RawOrt(lr, 30, THREADS, THREADS);
        BatchScorer full = openInMemory(lr, THREADS)) {
      double[][] rate =
          rounds(
              IN_MEMORY_ROUNDS,
              List.of(
                  () -> oneCaller.scoreAll(mem, memRows),
                  () -> callers.scoreAll(mem, memRows),
                  () -> full.score(cols).rowsScored()));
      double limit = Math.max(median(rate[0]), median(rate[1]));
      double core = median(rate[2]);
      lines.add(
          new Line(
              "in memory: raw ONNX Runtime, the logistic regression (its limit, 1M rows)",
              limit,
              String.format(
                  Locale.ROOT,
                  "a second model at this rate: the pair >= %.2fx one model's wall time",
                  1 + one / limit)));
      lines.add(
          new Line(
              "in memory: scoring-core, the logistic regression's spec (tensors from columns,"
                  + " outputs made)",
              core,
              String.format(
                  Locale.ROOT,
                  "a second model at this rate: the pair ~ %.2fx one model's wall time",
                  1 + one / core)));
      return limit;
    }
  }

  /**
   * {@code bin/batchscore score} on the same data with monitoring off (no {@code --report-dir}),
   * with the predictions profiled and with the features too, in 3 interleaved rounds of whole
   * processes; each ratio is the median of the per-round ratios to monitoring off.
   */
  static void cliMonitoringCost(List<Line> lines, Path data, long rows) throws Exception {
    Path specFile = home.resolve("sample-data/specs/breast_cancer.yaml");
    String text =
        Files.readString(specFile)
            .replace("model: ../models/", "model: " + home.resolve("sample-data/models") + "/");
    Path predictions =
        Files.writeString(
            work.resolve("predictions-only.yaml"), text + "\nmonitoring:\n  features: false\n");
    Path all = Files.writeString(work.resolve("all.yaml"), text);
    List<Measure> measures = new ArrayList<>();
    for (Object[] m : new Object[][] {{all, false}, {predictions, true}, {all, true}}) {
      Path spec = (Path) m[0];
      boolean monitored = (Boolean) m[1];
      measures.add(
          () -> {
            List<String> args =
                new ArrayList<>(
                    List.of(
                        "score",
                        "--spec",
                        spec.toString(),
                        "-i",
                        data.toString(),
                        "-o",
                        work.resolve("cli-monitoring.parquet").toString(),
                        "--overwrite",
                        "--threads",
                        Integer.toString(THREADS)));
            if (monitored) {
              args.addAll(List.of("--report-dir", work.resolve("cli-report").toString()));
            }
            return child(rows, args.toArray(new String[0]))[0];
          });
    }
    double[][] r = sparkRounds(3, measures);
    lines.add(
        new Line(
            "CLI score, monitoring off (whole process, median of 3 rounds)", median(r[0]), ""));
    lines.add(
        new Line(
            "CLI score --report-dir, the 3 prediction columns profiled",
            median(r[1]),
            ratioRange(perRound(r[1], r[0])) + " of off"));
    lines.add(
        new Line(
            "CLI score --report-dir, the 30 features and 3 predictions (the default)",
            median(r[2]),
            ratioRange(perRound(r[2], r[0])) + " of off"));
  }

  /**
   * The stage's layout without the job's model columns (the spec's passthrough, then predictions).
   */
  static final SparkScoring.Layout PREDICTIONS_ONLY = new SparkScoring.Layout(false, false, false);

  /** Interleaved rounds of the Spark rows that are compared with each other. */
  static final int SPARK_ROUNDS = 5;

  /**
   * Spark measurements side by side: one warm-up round, then {@code rounds} rounds each running
   * every measurement once, starting from a different one each round. Returns each one's rate in
   * each round. (Timed as the best of 3 runs in a row, rows compared with each other were minutes
   * apart: the machine's drift went into their ratios.)
   */
  static double[][] sparkRounds(int rounds, List<Measure> measures) throws Exception {
    int k = measures.size();
    for (Measure m : measures) {
      m.run();
    }
    double[][] rate = new double[k][rounds];
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < k; i++) {
        int m = (r + i) % k;
        rate[m][r] = measures.get(m).run();
      }
    }
    return rate;
  }

  /**
   * {@code a}'s median rate, then the median, lowest and highest of its per-round ratios {@code
   * a[i] / b[i]} (as {@link #ratioRange} formats them).
   */
  static double[] perRound(double[] a, double[] b) {
    double[] q = new double[a.length];
    for (int i = 0; i < q.length; i++) {
      q[i] = a[i] / b[i];
    }
    java.util.Arrays.sort(q);
    return new double[] {median(a), median(q), q[0], q[q.length - 1]};
  }

  /**
   * The floors (see {@link #ioFloor}) and the job, their rows in the table; returns the job's rate.
   */
  static double jobAgainstFloors(
      List<Line> lines, SparkSession spark, ScoringSpec spec, Path data, long rows, double raw)
      throws Exception {
    String out = work.resolve("floor").toString();
    double[][] r =
        sparkRounds(
            SPARK_ROUNDS,
            List.of(
                () ->
                    sparkTimed(
                        rows,
                        () ->
                            ioFloor(spark, spec, data, false, false)
                                .write()
                                .mode(SaveMode.Overwrite)
                                .parquet(out)),
                () ->
                    sparkTimed(
                        rows,
                        () ->
                            ioFloor(spark, spec, data, false, true)
                                .write()
                                .mode(SaveMode.Overwrite)
                                .parquet(out)),
                () ->
                    sparkTimed(
                        rows,
                        () ->
                            ioFloor(spark, spec, data, true, true)
                                .write()
                                .mode(SaveMode.Overwrite)
                                .parquet(out)),
                () -> sparkTimed(rows, () -> runJob(spark, spec, data))));
    double[] pruned = r[0], floor = r[1], floorReal = r[2], job = r[3];
    String rounds = " (median of " + SPARK_ROUNDS + " interleaved rounds)";
    lines.add(
        new Line(
            "the floor with the unused features pruned from the scan by Spark (id only)",
            median(pruned),
            ""));
    lines.add(
        new Line(
            "I/O floor: read the same input (features too), write the same output columns, no scoring (constants)"
                + rounds,
            median(floor),
            ""));
    lines.add(
        new Line(
            "I/O floor with random values of the same types in the prediction columns",
            median(floorReal),
            ""));
    lines.add(
        new Line(
            "batchscore job end to end (Parquet out, report, commit)",
            median(job),
            "wall "
                + ratioRange(perRound(floor, job))
                + "x the constant floor, "
                + ratioRange(perRound(floorReal, job))
                + "x the random-value floor ("
                + ratioRange(perRound(pruned, job))
                + "x the pruned floor)"
                + (Double.isNaN(raw) ? "" : "; " + ratio(median(job), raw) + " of raw")));
    return median(job);
  }

  static void model(
      SparkSession spark, String title, ScoringSpec spec, Path data, long rows, int width)
      throws Exception {
    System.out.println("### " + title + ", " + rows + " rows");
    System.out.println();
    System.out.println("| path | rows/s | ratio |");
    System.out.println("|---|---:|---|");
    List<Line> lines = new Lines();
    InMemory mem = inMemory(lines, spec, rows, width);
    double raw = mem.limit();
    ScoringSpec sparkSpec = spec;
    StageRates measured = stageAgainstBound(lines, spark, sparkSpec, data, rows, raw, mem.byHand());
    double stage = measured.stage();
    long udfRows = Math.min(rows, width == 784 ? 20_000 : 200_000);
    Path udfData = head(spark, data, udfRows);
    double udf =
        sparkTimed(
            udfRows,
            () ->
                udf(spark, sparkSpec, udfData)
                    .write()
                    .format("noop")
                    .mode(SaveMode.Overwrite)
                    .save());
    lines.add(
        new Line(
            "row-at-a-time UDF, cached session, same output rows ("
                + udfRows
                + " rows in "
                + THREADS
                + " files, 1 run)",
            udf,
            "ours is " + ratio(stage, udf) + "x"));
    double perPartition =
        sparkTimed(
            rows,
            () ->
                sessionPerPartition(spark, sparkSpec, data)
                    .write()
                    .format("noop")
                    .mode(SaveMode.Overwrite)
                    .save());
    double bound = 1 / (1 / measured.decode() + 1 / raw);
    lines.add(
        new Line(
            "new session per partition, batches of " + NAIVE_BATCH + ", same output rows (1 run)",
            perPartition,
            "ours is "
                + ratio(stage, perPartition)
                + "x; the combined bound is "
                + ratio(bound, perPartition)
                + "x; raw ONNX Runtime in batches of "
                + NAIVE_BATCH
                + " is "
                + ratio(mem.smallBatches(), raw)
                + " of the limit"));

    jobAgainstFloors(lines, spark, sparkSpec, data, rows, raw);

    cliRows(lines, spec, data, rows, width, raw);
    System.out.println();
  }

  /**
   * The CLI's rows: on the data, and (tabular models) on the same files four times over, which
   * splits its time into a fixed cost (JVM start, setup, JIT compilation) and a cost per row:
   * per-row rate = 3 x rows / (t(4x) - t(1x)), fixed cost = t(1x) - rows / per-row rate.
   */
  static void cliRows(
      List<Line> lines, ScoringSpec spec, Path data, long rows, int width, double raw)
      throws Exception {
    double[] cli = cli(spec, data, rows, width);
    lines.add(
        new Line(
            "batchscore CLI score, whole process incl. JVM start (peak RSS "
                + (long) cli[1]
                + " MB)",
            cli[0],
            ratio(cli[0], raw) + " of raw"));
    lines.add(
        new Line(
            "batchscore CLI score, as it reports itself (after JVM start)",
            cli[2],
            ratio(cli[2], raw) + " of raw"));
    if (width == 784) {
      return;
    }
    Path four = linked(data, 4, "four-times");
    double[] cli4 = cli(spec, four, 4 * rows, width);
    deleteTree(four);
    double t1 = rows / cli[0];
    double t4 = 4.0 * rows / cli4[0];
    double perRow = 3.0 * rows / (t4 - t1);
    lines.add(
        new Line(
            String.format(
                Locale.ROOT,
                "batchscore CLI score, the same files 4 times (%,d rows), whole process",
                4 * rows),
            cli4[0],
            ratio(cli4[0], raw) + " of raw"));
    lines.add(
        new Line(
            String.format(
                Locale.ROOT,
                "the CLI per row beyond its fixed cost (%.2f s: JVM start, setup, JIT)",
                t1 - rows / perRow),
            perRow,
            ratio(perRow, raw) + " of raw"));
    // What every run pays however small its input: the 569-row sample (the same feature columns).
    Path sample = home.resolve("sample-data/data/breast_cancer.parquet");
    double[] tiny = cli(spec, sample, 569, width);
    double floor = 569 / tiny[0];
    lines.add(
        new Line(
            String.format(
                Locale.ROOT,
                "the CLI on the 569-row sample, whole process: %.2f s; so at %,d rows no CLI can pass"
                    + " t(raw) / (t(raw) + %.2f s) of raw",
                floor,
                rows,
                floor),
            rows / (rows / raw + floor),
            ratio(rows / (rows / raw + floor), raw) + " of raw (a ceiling, computed)"));
  }

  static String ratio(double a, double b) {
    return String.format(Locale.ROOT, "%.2f", a / b);
  }

  interface Measure {
    double run() throws Exception;
  }

  static double best(int runs, Measure m) throws Exception {
    double best = 0;
    for (int i = 0; i < runs; i++) {
      best = Math.max(best, m.run());
    }
    return best;
  }

  static double sparkTimed(long rows, Runnable r) {
    long t0 = System.nanoTime();
    r.run();
    return rows / ((System.nanoTime() - t0) / 1e9);
  }

  // ------------------------------------------------------------------ in-memory paths

  /** One pass of an in-memory path over its data; returns the rows scored. */
  interface Pass {
    long run() throws Exception;
  }

  /** rows/s of whole passes repeated for at least MIN_NANOS. */
  static double timed(Pass p) throws Exception {
    long t0 = System.nanoTime();
    long n = 0;
    do {
      n += p.run();
    } while (System.nanoTime() - t0 < MIN_NANOS);
    return n / ((System.nanoTime() - t0) / 1e9);
  }

  /**
   * Measures paths side by side: after two warm-up rounds, {@code rounds} rounds each time every
   * path once ({@link #timed}), starting from a different path each round. Returns per path its
   * median rate, then the median, lowest and highest of its per-round ratio to path 0.
   */
  static double[][] interleaved(int rounds, List<Pass> paths) throws Exception {
    return summary(rounds(rounds, paths), 0);
  }

  /** Each path's rate in each of {@code rounds} interleaved rounds (see {@link #interleaved}). */
  static double[][] rounds(int rounds, List<Pass> paths) throws Exception {
    int k = paths.size();
    for (int w = 0; w < 2; w++) {
      for (Pass p : paths) {
        timed(p);
      }
    }
    double[][] rate = new double[k][rounds];
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < k; i++) {
        int path = (r + i) % k;
        rate[path][r] = timed(paths.get(path));
      }
    }
    return rate;
  }

  /**
   * Per path: median rate, then the median, lowest and highest per-round ratio to path {@code ref}.
   */
  static double[][] summary(double[][] rate, int ref) {
    double[][] out = new double[rate.length][];
    for (int i = 0; i < rate.length; i++) {
      out[i] = perRound(rate[i], rate[ref]);
    }
    return out;
  }

  static double median(double[] v) {
    double[] s = v.clone();
    java.util.Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  /** "0.93 (0.90-0.95)": the median ratio and its range over the rounds. */
  static String ratioRange(double[] m) {
    return String.format(Locale.ROOT, "%.2f (%.2f-%.2f)", m[1], m[2], m[3]);
  }

  static BatchScorer openInMemory(ScoringSpec spec) throws Exception {
    return openInMemory(spec, 1);
  }

  /** {@code batchesAtOnce} batches at once, THREADS / batchesAtOnce intra-op threads each. */
  static BatchScorer openInMemory(ScoringSpec spec, int batchesAtOnce) throws Exception {
    ScoringSpec s =
        inMemory(spec).toBuilder()
            .session(SessionConfig.DEFAULTS.withIntraOpThreads(THREADS / batchesAtOnce))
            .build();
    return BatchScorer.open(
        ScoringPlan.bind(s, null), ScorerOptions.builder().concurrency(batchesAtOnce).build());
  }

  /**
   * The row-major data as the spec's input columns, one per feature (what a columnar reader makes).
   */
  static ColumnBatch columns(ScoringSpec spec, float[] data, int rows, int width) {
    return columns(spec, data, rows, width, false);
  }

  /** The same as double columns (what Spark's scan and the CLI's reader make of double data). */
  static ColumnBatch doubleColumns(ScoringSpec spec, float[] data, int rows, int width) {
    return columns(spec, data, rows, width, true);
  }

  private static ColumnBatch columns(
      ScoringSpec spec, float[] data, int rows, int width, boolean asDouble) {
    ColumnBatch.Builder bl = ColumnBatch.builder(rows);
    List<String> names = spec.inputs().get(0).columns();
    for (int c = 0; c < width; c++) {
      double[] d = asDouble ? new double[rows] : null;
      float[] f = asDouble ? null : new float[rows];
      for (int i = 0; i < rows; i++) {
        if (asDouble) {
          d[i] = data[i * width + c];
        } else {
          f[i] = data[i * width + c];
        }
      }
      bl.add(
          names.get(c),
          asDouble ? io.batchscore.core.column.Column.ofDoubles(d) : Column.ofFloats(f));
    }
    return bl.build();
  }

  /** The row-major data as one array column of {@code width} floats a row (no copy). */
  static ColumnBatch rowMajor(float[] data, int rows, int width, String name) {
    return ColumnBatch.builder(rows)
        .add(name, Column.ofArrays(Column.ofFloats(data), width, rows))
        .build();
  }

  /** The spec as the in-memory paths run it: no passthrough, THREADS intra-op threads. */
  static ScoringSpec inMemory(ScoringSpec spec) throws io.batchscore.core.spec.SpecException {
    return spec.toBuilder()
        .clearPassthrough()
        .session(SessionConfig.DEFAULTS.withIntraOpThreads(THREADS))
        .build();
  }

  /** The spec's output as the raw tensor, no post-processing. */
  static ScoringSpec rawOutput(ScoringSpec spec, int width)
      throws io.batchscore.core.spec.SpecException {
    return spec.toBuilder()
        .clearOutputs()
        .output(
            io.batchscore.core.spec.OutputBinding.of(
                width == 784 ? "logits" : "output_probability", "out"))
        .build();
  }

  /** The spec fed from one row-major array column {@code features}, raw output. */
  static ScoringSpec rowMajorRawOutput(ScoringSpec spec, int width)
      throws io.batchscore.core.spec.SpecException {
    return rawOutput(spec, width).toBuilder()
        .clearInputs()
        .input(
            io.batchscore.core.spec.InputBinding.ofColumn(spec.inputs().get(0).input(), "features"))
        .build();
  }

  // ------------------------------------------------------------------ Spark paths

  static Dataset<Row> scored(SparkSession spark, ScoringSpec spec, Path data) {
    return scored(spark, spec, data, SparkScoring.Layout.JOB);
  }

  static Dataset<Row> scored(
      SparkSession spark, ScoringSpec spec, Path data, SparkScoring.Layout layout) {
    try {
      return SparkScoring.prepare(spark, spark.read().parquet(data.toString()), spec, layout)
          .scored();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Spark's vectorized scan of the features, its batches counted: no rows are made of them. */
  static void columnarCount(SparkSession spark, Path data, org.apache.spark.sql.Column[] features) {
    var source =
        io.batchscore.spark.SparkInternals.columnarSource(
            spark.read().parquet(data.toString()).select(features));
    if (source == null) {
      throw new IllegalStateException("the scan of " + data + " is not vectorized");
    }
    source.batches().toJavaRDD().map(b -> (long) b.numRows()).reduce(Long::sum);
  }

  /**
   * Spark reading the job's input and writing the job's output columns, with no scoring. The model
   * columns hold the job's values (its model's name, version and hash). With {@code realistic}
   * false the prediction columns are constants (which Parquet dictionary-encodes to almost
   * nothing); with true they hold seeded random values of the same types and about the same entropy
   * as real predictions (a float per row, one of two labels), so the write costs what the job's
   * does. With {@code readFeatures} the features are read too: the first floating-point prediction
   * column adds {@code coalesce(the features) * 0} to its value. Without a use, Spark prunes them
   * from the scan and the floor would skip the decode the job cannot skip (the pruned floor,
   * printed for reference).
   */
  static Dataset<Row> ioFloor(
      SparkSession spark, ScoringSpec spec, Path data, boolean realistic, boolean readFeatures) {
    Dataset<Row> in = spark.read().parquet(data.toString());
    SameOutput same = SameOutput.of(spark, spec, data);
    Map<String, String> model =
        Map.of(
            "model_name",
            same.modelName(),
            "model_version",
            same.modelVersion(),
            "model_sha256",
            same.modelSha());
    List<org.apache.spark.sql.Column> cols = new ArrayList<>();
    org.apache.spark.sql.Column touch =
        org.apache
            .spark
            .sql
            .functions
            .coalesce(
                spec.featureColumns().stream()
                    .map(c -> col("`" + c + "`"))
                    .toArray(org.apache.spark.sql.Column[]::new))
            .multiply(0);
    int seed = 0;
    for (var f : same.schema().fields()) {
      seed++;
      org.apache.spark.sql.Column r = rand(9000 + seed);
      boolean floating =
          f.dataType() == DataTypes.FloatType || f.dataType() == DataTypes.DoubleType;
      if (readFeatures && floating && touch != null && !f.name().startsWith("model_")) {
        org.apache.spark.sql.Column v = realistic ? r : lit(0);
        cols.add(v.plus(touch).cast(f.dataType()).alias(f.name()));
        touch = null;
      } else if (List.of(in.columns()).contains(f.name())) {
        cols.add(col(f.name()));
      } else if (f.dataType() instanceof org.apache.spark.sql.types.ArrayType) {
        cols.add(
            array(
                    lit(0f), lit(1f), lit(2f), lit(3f), lit(4f), lit(5f), lit(6f), lit(7f), lit(8f),
                    lit(9f))
                .alias(f.name()));
      } else if (f.dataType() == DataTypes.TimestampType) {
        cols.add(org.apache.spark.sql.functions.current_timestamp().alias(f.name()));
      } else if (model.containsKey(f.name())) {
        // The job's own values (the 64-character hash, not a short constant)
        cols.add(lit(model.get(f.name())).alias(f.name()));
      } else if (!realistic) {
        cols.add(
            lit(f.dataType() == DataTypes.StringType ? "constant" : "0")
                .cast(f.dataType())
                .alias(f.name()));
      } else if (f.dataType() == DataTypes.StringType) {
        cols.add(
            org.apache
                .spark
                .sql
                .functions
                .when(r.gt(0.5), lit("benign"))
                .otherwise(lit("malignant"))
                .alias(f.name()));
      } else if (f.dataType() == DataTypes.FloatType || f.dataType() == DataTypes.DoubleType) {
        cols.add(r.cast(f.dataType()).alias(f.name()));
      } else {
        cols.add(r.multiply(2).cast(f.dataType()).alias(f.name()));
      }
    }
    return in.select(cols.toArray(new org.apache.spark.sql.Column[0]));
  }

  /** The job's stage for this spec and layout into Spark's {@code noop} sink: no output written. */
  static void noopStage(
      SparkSession spark, ScoringSpec spec, Path data, SparkScoring.Layout layout) {
    scored(spark, spec, data, layout).write().format("noop").mode(SaveMode.Overwrite).save();
  }

  /**
   * {@link #session} with the table formats as a cluster configures them: both SQL extensions,
   * Delta's catalog as the session catalog (path tables), an Iceberg Hadoop catalog {@code lake}.
   */
  static SparkSession tableSession() {
    return SparkSession.builder()
        .master("local[" + THREADS + "]")
        .appName("bench")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.files.minPartitionNum", Integer.toString(3 * THREADS))
        .config(
            "spark.sql.extensions",
            "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions,"
                + "io.delta.sql.DeltaSparkSessionExtension")
        .config(
            "spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config("spark.sql.catalog.lake", "org.apache.iceberg.spark.SparkCatalog")
        .config("spark.sql.catalog.lake.type", "hadoop")
        .config("spark.sql.catalog.lake.warehouse", work.resolve("iceberg").toUri().toString())
        .getOrCreate();
  }

  /**
   * The whole job (JobRunner: read, score, write, report) of the logistic regression's date into a
   * folder, an Iceberg table and a Delta table, in {@link #SPARK_ROUNDS} interleaved rounds after a
   * warm-up; every run after the first of each replaces the same date.
   */
  static void tablesAgainstFolder(List<Line> lines, SparkSession spark, Path data, long rows)
      throws Exception {
    String specFile = home.resolve("sample-data/specs/breast_cancer.yaml").toString();
    String delta = "delta.`" + work.resolve("delta-preds") + "`";
    List<Measure> measures = new ArrayList<>();
    measures.add(() -> sparkTimed(rows, () -> runJob(spark, specFile, data, null, null)));
    measures.add(
        () -> sparkTimed(rows, () -> runJob(spark, specFile, data, "lake.bench.preds", "iceberg")));
    measures.add(() -> sparkTimed(rows, () -> runJob(spark, specFile, data, delta, "delta")));
    double[][] r = sparkRounds(SPARK_ROUNDS, measures);
    String rounds = " (median of " + SPARK_ROUNDS + " interleaved rounds)";
    lines.add(new Line("job into a Parquet folder (run_date=D/)" + rounds, median(r[0]), ""));
    lines.add(
        new Line(
            "job into an Iceberg table (overwrite of run_date = D)",
            median(r[1]),
            ratioRange(perRound(r[1], r[0])) + " of the folder's"));
    lines.add(
        new Line(
            "job into a Delta table (overwrite of run_date = D)",
            median(r[2]),
            ratioRange(perRound(r[2], r[0])) + " of the folder's"));
  }

  /** The job into a folder ({@code table} null) or a table of {@code format}. */
  static void runJob(SparkSession spark, String spec, Path data, String table, String format) {
    JobOptions o = new JobOptions();
    o.spec = spec;
    o.input = data.toString();
    if (table == null) {
      o.output = work.resolve("job").toString();
    } else {
      o.outputTable = table;
      o.tableFormat = format;
      o.reportsDir = work.resolve("reports-" + format).toString();
    }
    o.runDate = LocalDate.of(2026, 11, 24);
    try {
      JobRunner.run(o, spark);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static void runJob(SparkSession spark, ScoringSpec spec, Path data) {
    runJob(spark, spec.origin(), data, null, null);
  }

  /**
   * What the stage writes, so that every baseline writes the same: the spec's passthrough columns,
   * its prediction columns and the model columns, with the stage's schema (a baseline writing an id
   * and one score, or one count per partition, does less output work than the stage it is compared
   * with).
   */
  record SameOutput(
      StructType schema,
      List<String> passthrough,
      List<String> predictions,
      String modelName,
      String modelVersion,
      String modelSha,
      boolean modelColumns)
      implements java.io.Serializable {

    /**
     * Found once per spec and input, outside the timed runs: otherwise every baseline query (the
     * Row API path, the UDF, the I/O floors) would run a whole {@code SparkScoring.prepare} for it
     * inside its timing, ~20-30 ms of driver work batchscore's own rows do not pay twice.
     */
    static SameOutput of(SparkSession spark, ScoringSpec spec, Path data) {
      return of(spark, spec, data, SparkScoring.Layout.JOB);
    }

    static SameOutput of(
        SparkSession spark, ScoringSpec spec, Path data, SparkScoring.Layout layout) {
      return KNOWN.computeIfAbsent(
          spec.toJson() + "|" + data + "|" + layout,
          k -> {
            try {
              SparkScoring.Prepared p =
                  SparkScoring.prepare(spark, spark.read().parquet(data.toString()), spec, layout);
              return new SameOutput(
                  p.scored().schema(),
                  spec.passthrough(),
                  p.plan().outputColumns().stream()
                      .map(io.batchscore.core.OutputColumn::name)
                      .toList(),
                  spec.name(),
                  p.plan().modelVersion(),
                  p.plan().model().sha256(),
                  layout.modelColumns());
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
    }

    private static final Map<String, SameOutput> KNOWN =
        new java.util.concurrent.ConcurrentHashMap<>();

    /** The prediction columns' part of the schema (what a UDF returns). */
    StructType predictionSchema() {
      StructType t = new StructType();
      for (String c : predictions) {
        t = t.add(schema.apply(c));
      }
      return t;
    }

    /** The output row for scored row {@code i} of {@code r}, whose input row is {@code in}. */
    Row row(Row in, int[] passthroughIndex, ScoreResult r, int i, java.sql.Timestamp at) {
      Object[] v = new Object[schema.size()];
      int k = 0;
      for (int p : passthroughIndex) {
        v[k++] = in.get(p);
      }
      for (String c : predictions) {
        v[k++] = r.columns().column(c).get(i);
      }
      if (!modelColumns) {
        return RowFactory.create(v);
      }
      v[k++] = modelName;
      v[k++] = modelVersion;
      v[k++] = modelSha;
      v[k] = at;
      return RowFactory.create(v);
    }

    int[] passthroughIndex(StructType input) {
      return passthrough.stream().mapToInt(input::fieldIndex).toArray();
    }
  }

  /** The Row API: Dataset<Row>.mapPartitions with Encoders.row, batching into the same scorer. */
  static Dataset<Row> rowApi(SparkSession spark, ScoringSpec spec, Path data) {
    return rowApi(spark, spec, data, SparkScoring.Layout.JOB);
  }

  /** The Row API path writing the rows the stage writes in {@code layout}. */
  static Dataset<Row> rowApi(
      SparkSession spark, ScoringSpec spec, Path data, SparkScoring.Layout layout) {
    Dataset<Row> in = spark.read().parquet(data.toString());
    SameOutput same = SameOutput.of(spark, spec, data, layout);
    String json = spec.toJson();
    List<String> feats = spec.featureColumns();
    boolean array = feats.size() == 1;
    int[] pass = same.passthroughIndex(in.schema());
    int[] featureIndex = feats.stream().mapToInt(in.schema()::fieldIndex).toArray();
    return in.mapPartitions(
        (MapPartitionsFunction<Row, Row>)
            rows -> {
              ScoringSpec s = ScoringSpec.parse(json, "bench", null);
              BatchScorer scorer =
                  BatchScorer.open(
                      ScoringPlan.bind(s, null),
                      ScorerOptions.builder().callerHandlesPassthrough().build());
              return scoredRows(
                  rows, scorer, s.batchSize(), same, pass, feats, featureIndex, array);
            },
        Encoders.row(same.schema()));
  }

  /**
   * The Row-based baselines' loop: {@code batch} input rows at a time into the scorer, and out the
   * stage's rows for them; closes the scorer at the end.
   */
  static Iterator<Row> scoredRows(
      Iterator<Row> rows,
      BatchScorer scorer,
      int batch,
      SameOutput same,
      int[] pass,
      List<String> feats,
      int[] featureIndex,
      boolean array) {
    List<Row> outRows = new ArrayList<>();
    List<Row> buf = new ArrayList<>(batch);
    return new Iterator<Row>() {
      Iterator<Row> cur = java.util.Collections.emptyIterator();

      public boolean hasNext() {
        while (!cur.hasNext() && rows.hasNext()) {
          buf.clear();
          while (buf.size() < batch && rows.hasNext()) {
            buf.add(rows.next());
          }
          ScoreResult r = scorer.score(fromRows(buf, feats, featureIndex, array));
          java.sql.Timestamp at = new java.sql.Timestamp(System.currentTimeMillis());
          outRows.clear();
          for (int i = 0; i < r.rowsScored(); i++) {
            outRows.add(same.row(buf.get(r.inputRow(i)), pass, r, i, at));
          }
          cur = outRows.iterator();
        }
        if (!cur.hasNext()) {
          scorer.close();
        }
        return cur.hasNext();
      }

      public Row next() {
        return cur.next();
      }
    };
  }

  /**
   * A batch from Spark Rows, as the Row-based baselines build it (boxing per value; the field
   * positions looked up once, as a careful user would).
   */
  static ColumnBatch fromRows(
      List<Row> buf, List<String> feats, int[] featureIndex, boolean array) {
    ColumnBatch.Builder bl = ColumnBatch.builder(buf.size());
    if (array) {
      float[] flat = new float[buf.size() * 784];
      for (int i = 0; i < buf.size(); i++) {
        List<Float> px = buf.get(i).getList(featureIndex[0]);
        for (int j = 0; j < 784; j++) {
          flat[i * 784 + j] = px.get(j);
        }
      }
      return bl.add(feats.get(0), Column.ofArrays(Column.ofFloats(flat), 784, buf.size())).build();
    }
    for (int f = 0; f < feats.size(); f++) {
      float[] v = new float[buf.size()];
      int at = featureIndex[f];
      if (!buf.isEmpty() && buf.get(0).get(at) instanceof Float) { // float columns
        for (int i = 0; i < buf.size(); i++) {
          v[i] = buf.get(i).getFloat(at);
        }
      } else {
        for (int i = 0; i < buf.size(); i++) {
          v[i] = (float) buf.get(i).getDouble(at);
        }
      }
      bl.add(feats.get(f), Column.ofFloats(v));
    }
    return bl.build();
  }

  /**
   * One row per call through a per-thread scorer: the UDF way. The UDF returns the spec's
   * prediction columns as a struct; the model columns are literals, as a user would add them.
   */
  static Dataset<Row> udf(SparkSession spark, ScoringSpec spec, Path data) {
    String json = spec.toJson();
    SameOutput same = SameOutput.of(spark, spec, data);
    List<String> feats = spec.featureColumns();
    boolean array = feats.size() == 1;
    List<String> predictions = same.predictions();
    spark
        .udf()
        .register(
            "score1",
            (UDF1<scala.collection.Seq<Object>, Row>)
                seq -> {
                  BatchScorer s = UdfScorers.get(json);
                  float[] v = new float[seq.size()];
                  for (int i = 0; i < v.length; i++) {
                    v[i] = ((Number) seq.apply(i)).floatValue();
                  }
                  ColumnBatch b =
                      array
                          ? ColumnBatch.builder(1)
                              .add(feats.get(0), Column.ofArrays(Column.ofFloats(v), v.length, 1))
                              .build()
                          : single(feats, v);
                  ColumnBatch out = s.score(b).columns();
                  Object[] r = new Object[predictions.size()];
                  for (int i = 0; i < r.length; i++) {
                    r[i] = out.column(predictions.get(i)).get(0);
                  }
                  return RowFactory.create(r);
                },
            same.predictionSchema());
    Dataset<Row> in = spark.read().parquet(data.toString());
    org.apache.spark.sql.Column arg =
        array
            ? col(feats.get(0))
            : array(feats.stream().map(c -> col(c)).toArray(org.apache.spark.sql.Column[]::new));
    List<org.apache.spark.sql.Column> cols = new ArrayList<>();
    same.passthrough().forEach(p -> cols.add(col(p)));
    cols.add(org.apache.spark.sql.functions.callUDF("score1", arg).alias("s"));
    List<org.apache.spark.sql.Column> out = new ArrayList<>();
    same.passthrough().forEach(p -> out.add(col(p)));
    predictions.forEach(p -> out.add(col("s." + p).alias(p)));
    out.add(lit(same.modelName()).alias("model_name"));
    out.add(lit(same.modelVersion()).alias("model_version"));
    out.add(lit(same.modelSha()).alias("model_sha256"));
    out.add(org.apache.spark.sql.functions.current_timestamp().alias("scored_at"));
    return in.select(cols.toArray(new org.apache.spark.sql.Column[0]))
        .select(out.toArray(new org.apache.spark.sql.Column[0]));
  }

  /**
   * The first {@code rows} rows of the data in a file of their own, in two parts (one per core).
   */
  static Path head(SparkSession spark, Path data, long rows) {
    Path out = work.resolve("head-" + rows + ".parquet");
    if (!Files.exists(out)) {
      spark
          .read()
          .parquet(data.toString())
          .limit((int) rows)
          .repartition(THREADS)
          .write()
          .mode(SaveMode.Overwrite)
          .parquet(out.toString());
    }
    return out;
  }

  static ColumnBatch single(List<String> feats, float[] v) {
    ColumnBatch.Builder b = ColumnBatch.builder(1);
    for (int i = 0; i < feats.size(); i++) {
      b.add(feats.get(i), Column.ofFloats(v[i]));
    }
    return b.build();
  }

  /** Per-thread scorers for the UDF baseline (sessions shared through the global cache). */
  static final class UdfScorers {
    static final ThreadLocal<Map<String, BatchScorer>> LOCAL =
        ThreadLocal.withInitial(java.util.HashMap::new);

    static BatchScorer get(String json) throws Exception {
      BatchScorer s = LOCAL.get().get(json);
      if (s == null) {
        ScoringSpec spec =
            ScoringSpec.parse(json, "udf", null).toBuilder().clearPassthrough().build();
        s = BatchScorer.open(ScoringPlan.bind(spec, null), ScorerOptions.defaults());
        LOCAL.get().put(json, s);
      }
      return s;
    }
  }

  /**
   * A fresh, uncached session per partition and small batches ({@link #NAIVE_BATCH}): the DJL Spark
   * / SynapseML way, writing the same rows as the stage.
   */
  static Dataset<Row> sessionPerPartition(SparkSession spark, ScoringSpec spec, Path data) {
    ScoringSpec small;
    try {
      small = spec.toBuilder().batchSize(NAIVE_BATCH).clearPassthrough().build();
    } catch (io.batchscore.core.spec.SpecException e) {
      throw new IllegalStateException(e);
    }
    String json = small.toJson();
    String model = spec.resolvedModelPath().toString();
    List<String> feats = spec.featureColumns();
    boolean array = feats.size() == 1;
    Dataset<Row> in = spark.read().parquet(data.toString());
    SameOutput same = SameOutput.of(spark, spec, data);
    int[] pass = same.passthroughIndex(in.schema());
    int[] featureIndex = feats.stream().mapToInt(in.schema()::fieldIndex).toArray();
    return in.mapPartitions(
        (MapPartitionsFunction<Row, Row>)
            rows -> {
              // A session of the partition's own, as SynapseML's and DJL's loaders make: a session
              // option no other partition uses gives it a cache key of its own (ONNX Runtime
              // ignores
              // the entry), and idle sessions past the cache's bound are closed.
              ScoringSpec s = ScoringSpec.parse(json, "pp", null);
              s =
                  s.toBuilder()
                      .session(
                          new SessionConfig(
                              s.session().intraOpThreads(),
                              s.session().interOpThreads(),
                              s.session().optimization(),
                              s.session().parallelExecution(),
                              s.session().cudaOptions(),
                              Map.of(
                                  "batchscore.benchmark.partition",
                                  java.util.UUID.randomUUID().toString())))
                      .build();
              BatchScorer scorer =
                  BatchScorer.open(
                      ScoringPlan.bind(s, Models.inspect(ModelSource.of(Path.of(model))), null),
                      ModelSource.of(Path.of(model)),
                      ScorerOptions.builder().callerHandlesPassthrough().build());
              return scoredRows(rows, scorer, NAIVE_BATCH, same, pass, feats, featureIndex, array);
            },
        Encoders.row(same.schema()));
  }

  // ------------------------------------------------------------------ CLI

  /**
   * bin/batchscore score on the same data, as a child process: whole-process rows/s, peak RSS (MB),
   * and the rows/s the CLI reports for itself (from its start, after JVM start-up).
   */
  static double[] cli(ScoringSpec spec, Path data, long rows, int width) throws Exception {
    double[] best = {0, 0, 0};
    // Best of two: after a build, the first run also records bin/batchscore's class archive.
    for (int round = 0; round < 2; round++) {
      double[] r = cliOnce(spec, data, rows, work.resolve("cli-out-" + round + ".parquet"));
      best =
          new double[] {Math.max(best[0], r[0]), Math.max(best[1], r[1]), Math.max(best[2], r[2])};
    }
    return best;
  }

  /** One {@code bin/batchscore score}: whole-process rows/s, peak RSS (MB), its own rows/s. */
  static double[] cliOnce(ScoringSpec spec, Path data, long rows, Path out) throws Exception {
    double[] r =
        child(
            rows,
            "score",
            "--spec",
            spec.origin(),
            "-i",
            data.toString(),
            "-o",
            out.toString(),
            "--overwrite",
            "--threads",
            Integer.toString(THREADS));
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\\(([0-9,]+) rows/s\\)")
            .matcher(Files.readString(work.resolve("child.log")));
    double own = m.find() ? Double.parseDouble(m.group(1).replace(",", "")) : 0;
    return new double[] {r[0], r[1], own};
  }

  /** Runs bin/batchscore with these arguments: rows/s of the whole process and peak RSS (MB). */
  static double[] child(long rows, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(home.resolve("bin/batchscore").toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("child.log").toFile());
    // Memory mode: the heap committed and touched up front, so peak RSS measures what grows
    // outside it (native sessions, direct buffers, metaspace); -Xms alone commits pages that a
    // longer run then touches, which read as growth.
    pb.environment()
        .put(
            "BATCHSCORE_JAVA_OPTS",
            (fixedHeap ? "-Xms" + childHeap + " -XX:+AlwaysPreTouch " : "") + "-Xmx" + childHeap);
    if (fixedHeap) { // memory mode: the same JVM at every row count (no run records a class
      // archive)
      pb.environment().put("BATCHSCORE_CDS", "off");
    }
    long t0 = System.nanoTime();
    Process p = pb.start();
    long peak = 0;
    while (!p.waitFor(100, TimeUnit.MILLISECONDS)) {
      peak = Math.max(peak, rssKb(p.pid()));
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    if (p.exitValue() != 0) {
      throw new IllegalStateException(
          "bin/batchscore " + args[0] + " failed: " + Files.readString(work.resolve("child.log")));
    }
    return new double[] {rows / secs, peak / 1024.0};
  }

  /**
   * RSS of the process and its descendants: bin/batchscore execs the JVM, except on the run that
   * records its class archive, where the JVM is a child of the script.
   */
  static long rssKb(long pid) {
    long sum = rssOf(pid);
    for (ProcessHandle h :
        ProcessHandle.of(pid).map(ph -> ph.descendants().toList()).orElse(List.of())) {
      sum += rssOf(h.pid());
    }
    return sum;
  }

  private static long rssOf(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (Exception e) {
      // process gone
    }
    return 0;
  }

  private TabularBenchmark() {}
}
