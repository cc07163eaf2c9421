package io.batchscore.bench;

import io.batchscore.core.BatchScorer;
import io.batchscore.core.ScoreResult;
import io.batchscore.core.column.ColumnBatch;
import io.batchscore.core.spec.ScoringSpec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: {@link BatchScorer#score} against raw ONNX Runtime ({@link RawOrt}) on the same 1,048,576
 * in-memory rows of 30 seeded gaussian floats, for the I/O-bound logistic regression and the
 * compute-bound MLP. Scores are rows per second ({@code OperationsPerInvocation} = rows). Run
 * through {@link JmhTables}, which prints the ratios.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch", "-XX:+UseParallelGC"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ScoringCoreJmh {
  /** A multiple of both models' batch sizes (4096, 1024), so raw ORT scores every row too. */
  static final int ROWS = 1 << 20;

  static final int WIDTH = 30;

  @Param({"logreg", "mlp"})
  public String model;

  /**
   * How the two cores are used: 1 = one caller (raw ORT) or one batch at a time (scoring-core) with
   * two intra-op threads; 2 = two callers or two batches at once with one thread each (the faster
   * way, what the CLI does).
   */
  @Param({"1", "2"})
  public int callers;

  private float[] data;
  private ColumnBatch columns;
  private ColumnBatch rowMajor;
  private RawOrt raw;
  private BatchScorer full;
  private BatchScorer rawOutput;
  private BatchScorer rowMajorRawOutput;

  static ScoringSpec spec(String model) throws Exception {
    return ScoringSpec.load(
        TabularBenchmark.home.resolve(
            "sample-data/specs/"
                + (model.equals("mlp") ? "breast_cancer_mlp.yaml" : "breast_cancer.yaml")));
  }

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    ScoringSpec spec = spec(model);
    data = TabularBenchmark.memory(ROWS, WIDTH);
    columns = TabularBenchmark.columns(spec, data, ROWS, WIDTH);
    rowMajor = TabularBenchmark.rowMajor(data, ROWS, WIDTH, "features");
    raw = new RawOrt(spec, WIDTH, TabularBenchmark.THREADS, callers);
    full = TabularBenchmark.openInMemory(spec, callers);
    rawOutput = TabularBenchmark.openInMemory(TabularBenchmark.rawOutput(spec, WIDTH), callers);
    rowMajorRawOutput =
        TabularBenchmark.openInMemory(TabularBenchmark.rowMajorRawOutput(spec, WIDTH), callers);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    raw.close();
    full.close();
    rawOutput.close();
    rowMajorRawOutput.close();
  }

  /** The limit: row-major floats bulk-copied into a pinned direct tensor per batch. */
  @Benchmark
  @OperationsPerInvocation(ROWS)
  public int rawOrt() throws Exception {
    return raw.scoreAll(data, ROWS);
  }

  /** Raw ORT plus a NaN check per batch and its outputs kept (the work any caller adds). */
  @Benchmark
  @OperationsPerInvocation(ROWS)
  public int rawOrtKeepingOutputs() throws Exception {
    return raw.scoreAllKeepingOutputs(data, ROWS);
  }

  /** The spec as shipped (labels, positive class, argmax) from 30 float columns. */
  @Benchmark
  @OperationsPerInvocation(ROWS)
  public ScoreResult coreColumns() {
    return full.score(columns);
  }

  /** The raw probability tensor only, from 30 float columns (transposition, NaN check). */
  @Benchmark
  @OperationsPerInvocation(ROWS)
  public ScoreResult coreColumnsRawOutput() {
    return rawOutput.score(columns);
  }

  /** The raw probability tensor only, from raw ORT's own layout (one row-major array column). */
  @Benchmark
  @OperationsPerInvocation(ROWS)
  public ScoreResult coreRowMajorRawOutput() {
    return rowMajorRawOutput.score(rowMajor);
  }
}
