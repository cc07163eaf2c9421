package io.batchscore.core;

import io.batchscore.core.column.Column;
import io.batchscore.core.column.ColumnBatch;
import io.batchscore.core.engine.HostTensor;
import io.batchscore.core.engine.HostTensors;
import io.batchscore.core.engine.OutputValue;
import io.batchscore.core.engine.Runner;
import io.batchscore.core.spec.InputBinding;
import io.batchscore.core.spec.NullPolicy;
import io.batchscore.core.spec.ScoringSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: what scoring-core does to a batch before ONNX Runtime sees it, on the logistic regression's
 * 30 features as float columns, as double columns (what Spark's scan and the CLI's reader hand over
 * for double data; converted to float in the copy), and as one row-major array: the null/NaN check
 * and the copy into the input tensor, in batches of the spec's 4,096 rows. {@code rows} is one
 * Spark batch (4,096, in cache) or a whole in-memory million (1,048,576, from memory). Scores are
 * microseconds per call; {@link InputPathBenchmark} prints them per row, and times the same passes
 * side by side.
 *
 * <p>It measures package-private code, so it lives in scoring-core's test sources.
 *
 * <p>The baselines: {@code *CopyOnly}, the copy with no check at all (what raw ORT's loop does);
 * {@code *ScanThenCopy}, a separate NaN pass over the batch, then the copy (what a scorer does once
 * it has met a NaN). What ships: {@code *CopyCheckingNaN}, the check inside the copy.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch", "-XX:+UseParallelGC"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class InputPathJmh {
  static final int WIDTH = 30;

  @Param({"4096", "1048576"})
  public int rows;

  private ColumnBatch columns;
  private ColumnBatch doubleColumns;
  private ColumnBatch rowMajor;
  private InputAssembler fromColumns;
  private InputAssembler fromArray;
  private int batch;
  private final HostRunner runner = new HostRunner();

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    ScoringSpec spec = ScoringSpec.load(TestData.sample("specs/breast_cancer.yaml"));
    float[] data = InputPathBenchmark.gaussian(rows, WIDTH);
    columns = InputPathBenchmark.columns(spec, data, rows, WIDTH, false);
    doubleColumns = InputPathBenchmark.columns(spec, data, rows, WIDTH, true);
    rowMajor =
        ColumnBatch.builder(rows)
            .add("features", Column.ofArrays(Column.ofFloats(data), WIDTH, rows))
            .build();
    batch = spec.batchSize();
    InputBinding binding = spec.inputs().get(0);
    var input = Models.inspect(spec.resolvedModelPath()).signature().input(binding.input());
    fromColumns = new InputAssembler(binding, input);
    fromArray = new InputAssembler(InputBinding.ofColumn(binding.input(), "features"), input);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    runner.close();
  }

  private boolean fillAll(InputAssembler asm, ColumnBatch b, boolean checkNaN) {
    boolean nan = false;
    for (int from = 0; from < rows; from += batch) {
      asm.fill(b, null, from, Math.min(rows, from + batch), runner, checkNaN);
      nan |= asm.sawNaN();
    }
    return nan;
  }

  /** The copy alone. */
  private boolean copyOnly(InputAssembler asm, ColumnBatch b) {
    return fillAll(asm, b, false);
  }

  /** A NaN pass over the batch, then the copy. */
  private boolean scanThenCopy(InputAssembler asm, ColumnBatch b) {
    NullScan.scan(b, List.of(asm), NullPolicy.FAIL, null, null, false);
    return fillAll(asm, b, false);
  }

  /** The null scan without NaN, then the copy that checks for NaN (what ships). */
  private boolean copyCheckingNaN(InputAssembler asm, ColumnBatch b) {
    NullScan.scan(b, List.of(asm), NullPolicy.FAIL, null, null, true);
    if (fillAll(asm, b, true)) {
      throw new IllegalStateException("the benchmark's data has NaN");
    }
    return false;
  }

  @Benchmark
  public boolean columnsCopyOnly() {
    return copyOnly(fromColumns, columns);
  }

  @Benchmark
  public boolean columnsScanThenCopy() {
    return scanThenCopy(fromColumns, columns);
  }

  @Benchmark
  public boolean columnsCopyCheckingNaN() {
    return copyCheckingNaN(fromColumns, columns);
  }

  @Benchmark
  public boolean doubleColumnsCopyOnly() {
    return copyOnly(fromColumns, doubleColumns);
  }

  @Benchmark
  public boolean doubleColumnsScanThenCopy() {
    return scanThenCopy(fromColumns, doubleColumns);
  }

  @Benchmark
  public boolean doubleColumnsCopyCheckingNaN() {
    return copyCheckingNaN(fromColumns, doubleColumns);
  }

  @Benchmark
  public boolean rowMajorCopyOnly() {
    return copyOnly(fromArray, rowMajor);
  }

  @Benchmark
  public boolean rowMajorScanThenCopy() {
    return scanThenCopy(fromArray, rowMajor);
  }

  @Benchmark
  public boolean rowMajorCopyCheckingNaN() {
    return copyCheckingNaN(fromArray, rowMajor);
  }

  /** One way of filling a batch ({@link #copyOnly} and the others). */
  private interface Way {
    boolean fill(InputAssembler asm, ColumnBatch b);
  }

  /**
   * The same three ways for one layout, as passes over about a million rows, which {@link
   * InputPathBenchmark} times side by side.
   */
  List<InputPathBenchmark.Pass> passes(String layout) {
    ColumnBatch b =
        layout.equals("columns")
            ? columns
            : layout.equals("doubleColumns") ? doubleColumns : rowMajor;
    InputAssembler asm = layout.equals("rowMajor") ? fromArray : fromColumns;
    int reps = Math.max(1, (1 << 20) / rows);
    List<InputPathBenchmark.Pass> out = new java.util.ArrayList<>();
    for (Way way : new Way[] {this::copyOnly, this::scanThenCopy, this::copyCheckingNaN}) {
      out.add(
          () -> {
            for (int k = 0; k < reps; k++) {
              way.fill(asm, b);
            }
            return (long) rows * reps;
          });
    }
    return out;
  }

  /** Hands out one reused direct buffer per input, like the ORT runner; never runs a model. */
  static final class HostRunner implements Runner {
    private ByteBuffer buffer;

    @Override
    public HostTensor input(String name, long[] shape) {
      int bytes = Math.toIntExact(HostTensor.count(shape) * 4);
      if (buffer == null || buffer.capacity() < bytes) {
        buffer = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
      }
      ByteBuffer view = buffer.duplicate().order(ByteOrder.nativeOrder());
      view.limit(bytes);
      return HostTensors.dense(
          io.batchscore.core.column.ElementType.FLOAT,
          shape,
          view.slice().order(ByteOrder.nativeOrder()));
    }

    @Override
    public Map<String, OutputValue> run(Set<String> outputs) {
      throw new UnsupportedOperationException("input path only");
    }

    @Override
    public void close() {}
  }
}
