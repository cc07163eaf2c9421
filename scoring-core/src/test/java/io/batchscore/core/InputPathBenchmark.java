package io.batchscore.core;

import io.batchscore.core.column.Column;
import io.batchscore.core.column.ColumnBatch;
import io.batchscore.core.spec.ScoringSpec;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * What scoring-core does to a batch before ONNX Runtime sees it ({@link InputPathJmh}): the copy
 * into the tensor alone, a separate NaN pass then the copy, and the NaN check inside the copy (what
 * ships), on three layouts of the logistic regression's 30 features. Without an argument the three
 * are timed side by side in interleaved rounds (ratios of time to the copy alone, with their
 * range); with {@code jmh} they run under JMH (~6 min).
 *
 * <pre>
 * mvn -B -q -DskipTests install
 * mvn -B -q -pl scoring-core exec:exec -Dbench.main=io.batchscore.core.InputPathBenchmark
 * mvn -B -q -pl scoring-core exec:exec -Dbench.main=io.batchscore.core.InputPathBenchmark -Dbench.args=jmh
 * </pre>
 *
 * <p>It measures package-private code, so it lives in scoring-core's test sources.
 */
public final class InputPathBenchmark {
  private static final int ROUNDS = 9;
  private static final long MIN_NANOS = 200_000_000L;
  private static final String[] LAYOUTS = {"columns", "doubleColumns", "rowMajor"};

  private InputPathBenchmark() {}

  /** One pass over the data; returns the rows it filled. */
  interface Pass {
    long run() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("jmh")) {
      jmh();
      return;
    }
    for (int rows : new int[] {4096, 1 << 20}) {
      InputPathJmh bench = new InputPathJmh();
      bench.rows = rows;
      bench.setUp();
      System.out.printf(
          Locale.ROOT,
          "%n### Input path, logistic regression, %,d rows a batch"
              + " (interleaved; ns per row, ratio of time to copy only)%n%n",
          rows);
      System.out.println(
          "| layout | copy only | separate NaN pass, then copy | NaN checked in the copy (ships) |");
      System.out.println("|---|---:|---:|---:|");
      for (String layout : LAYOUTS) {
        double[][] m = interleaved(bench.passes(layout));
        System.out.printf(
            Locale.ROOT,
            "| %s | %.2f | %.2f (%.2f) | %.2f (%.2f) |%n",
            layout,
            1e9 / m[0][0],
            1e9 / m[1][0],
            1 / m[1][1],
            1e9 / m[2][0],
            1 / m[2][1]);
      }
      bench.tearDown();
    }
  }

  private static void jmh() throws Exception {
    Collection<RunResult> results =
        new Runner(new OptionsBuilder().include(InputPathJmh.class.getName()).build()).run();
    for (String rows : new String[] {"4096", "1048576"}) {
      int n = Integer.parseInt(rows);
      System.out.printf(
          Locale.ROOT,
          "%n### Input path: the NaN check and the copy into the tensor,"
              + " logistic regression, %,d rows (JMH, ns per row)%n%n",
          n);
      System.out.println(
          "| layout | copy only | separate NaN pass, then copy | NaN checked in the copy (ships) | cost of the check, separate / in the copy |");
      System.out.println("|---|---:|---:|---:|---|");
      for (String layout : LAYOUTS) {
        double copy = score(results, layout + "CopyOnly", rows) * 1000 / n;
        double scan = score(results, layout + "ScanThenCopy", rows) * 1000 / n;
        double fused = score(results, layout + "CopyCheckingNaN", rows) * 1000 / n;
        System.out.printf(
            Locale.ROOT,
            "| %s | %.2f | %.2f | %.2f | +%.0f%% / +%.0f%% |%n",
            layout,
            copy,
            scan,
            fused,
            (scan / copy - 1) * 100,
            (fused / copy - 1) * 100);
      }
    }
  }

  private static double score(Collection<RunResult> results, String method, String rows) {
    for (RunResult r : results) {
      if (r.getParams().getBenchmark().endsWith("." + method)
          && r.getParams().getParam("rows").equals(rows)) {
        return r.getPrimaryResult().getScore();
      }
    }
    throw new IllegalStateException("no JMH result for " + method + " at " + rows + " rows");
  }

  /** Seeded gaussian features, row-major, like the benchmarks' generated data. */
  static float[] gaussian(int rows, int width) {
    Random r = new Random(7);
    float[] v = new float[rows * width];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (r.nextGaussian() * 10 + 20);
    }
    return v;
  }

  /** The row-major data as the spec's input columns, float or double, one per feature. */
  static ColumnBatch columns(
      ScoringSpec spec, float[] data, int rows, int width, boolean asDouble) {
    ColumnBatch.Builder b = ColumnBatch.builder(rows);
    List<String> names = spec.inputs().get(0).columns();
    for (int c = 0; c < width; c++) {
      double[] d = new double[rows];
      float[] f = new float[rows];
      for (int i = 0; i < rows; i++) {
        d[i] = data[i * width + c];
        f[i] = data[i * width + c];
      }
      b.add(names.get(c), asDouble ? Column.ofDoubles(d) : Column.ofFloats(f));
    }
    return b.build();
  }

  /**
   * Times the passes side by side: two warm-up rounds, then {@link #ROUNDS} rounds that each run
   * every pass for at least 0.2 s, starting from a different pass each round. Per pass: its median
   * rate, then the median, lowest and highest of its per-round ratio to pass 0.
   */
  static double[][] interleaved(List<Pass> passes) throws Exception {
    int k = passes.size();
    for (int w = 0; w < 2; w++) {
      for (Pass p : passes) {
        timed(p);
      }
    }
    double[][] rate = new double[k][ROUNDS];
    for (int r = 0; r < ROUNDS; r++) {
      for (int i = 0; i < k; i++) {
        int p = (r + i) % k;
        rate[p][r] = timed(passes.get(p));
      }
    }
    double[][] out = new double[k][];
    for (int p = 0; p < k; p++) {
      double[] ratio = new double[ROUNDS];
      for (int r = 0; r < ROUNDS; r++) {
        ratio[r] = rate[p][r] / rate[0][r];
      }
      double[] sorted = ratio.clone();
      Arrays.sort(sorted);
      out[p] = new double[] {median(rate[p]), median(ratio), sorted[0], sorted[ROUNDS - 1]};
    }
    return out;
  }

  private static double timed(Pass p) throws Exception {
    long t0 = System.nanoTime();
    long n = 0;
    do {
      n += p.run();
    } while (System.nanoTime() - t0 < MIN_NANOS);
    return n / ((System.nanoTime() - t0) / 1e9);
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
