package io.batchscore.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.randn;

import io.batchscore.core.spec.ScoringSpec;
import io.batchscore.spark.ScoreMetrics;
import io.batchscore.spark.SparkScoring;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * What a scoring query costs before its first row: the driver's set-up ({@code
 * SparkScoring.prepare}: the model's signature, the spec bound to it and the input's schema, the
 * query planned) and each task's (from the start of its partition function until its first batch
 * can be read, with the model already in the per-JVM cache), and Spark's deserialization of each
 * task (its CPU time, which includes what the driver ships to the task).
 *
 * <p>The input is many small partitions made in memory ({@code tasks} x 100 rows, 30 features), so
 * set-up is most of each task. Two warm-up rounds, then {@code rounds} rounds; each figure is the
 * median over the rounds with its range.
 *
 * <pre>
 * mvn -B -q -pl benchmarks exec:exec -Dbench.main=io.batchscore.bench.SetupBenchmark -Dbench.args="200 7"
 * </pre>
 */
public final class SetupBenchmark {
  private SetupBenchmark() {}

  public static void main(String[] args) throws Exception {
    String[] a = String.join(" ", args).trim().split("\\s+");
    int tasks = a.length > 0 && !a[0].isEmpty() ? Integer.parseInt(a[0]) : 200;
    int rounds = a.length > 1 ? Integer.parseInt(a[1]) : 7;
    ScoringSpec spec =
        ScoringSpec.load(TabularBenchmark.home.resolve("sample-data/specs/breast_cancer.yaml"));
    SparkSession spark = TabularBenchmark.session();
    AtomicLong deserializeCpu = new AtomicLong();
    AtomicLong ended = new AtomicLong();
    spark
        .sparkContext()
        .addSparkListener(
            new SparkListener() {
              @Override
              public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.taskMetrics() != null) {
                  deserializeCpu.addAndGet(end.taskMetrics().executorDeserializeCpuTime());
                  ended.incrementAndGet();
                }
              }
            });
    try {
      List<org.apache.spark.sql.Column> cols = new ArrayList<>();
      cols.add(col("id"));
      List<String> names = spec.inputs().get(0).columns();
      for (int i = 0; i < names.size(); i++) {
        cols.add(randn(1000 + i).multiply(10).plus(20).alias(names.get(i)));
      }
      Dataset<Row> input =
          spark
              .range(0, tasks * 100L, 1, tasks)
              .select(cols.toArray(new org.apache.spark.sql.Column[0]));
      System.out.printf(
          Locale.ROOT,
          "set-up of a scoring query: %d tasks of 100 rows, the sample"
              + " logistic regression, Spark local[%d], %d rounds after 2 warm-up rounds%n%n",
          tasks,
          TabularBenchmark.THREADS,
          rounds);
      double[] driver = new double[rounds];
      double[] taskMean = new double[rounds];
      double[] taskP50 = new double[rounds];
      double[] deserialize = new double[rounds];
      for (int r = -2; r < rounds; r++) {
        deserializeCpu.set(0);
        ended.set(0);
        long t0 = System.nanoTime();
        SparkScoring.Prepared p = SparkScoring.prepare(spark, input, spec, SparkScoring.Layout.JOB);
        long t1 = System.nanoTime();
        p.scored().write().format("noop").mode(SaveMode.Overwrite).save();
        spark.sparkContext().listenerBus().waitUntilEmpty();
        if (r < 0) {
          continue;
        }
        ScoreMetrics m = p.metrics();
        driver[r] = (t1 - t0) / 1e6;
        taskMean[r] = m.taskSetupNanos.avg() / 1e3;
        taskP50[r] = ScoreMetrics.LatencyAccumulator.percentile(m.taskSetup.value(), 0.5) * 1e3;
        deserialize[r] = deserializeCpu.get() / 1e3 / Math.max(1, ended.get());
      }
      System.out.println("| what | median | range over the rounds |");
      System.out.println("|---|---:|---|");
      row("driver: SparkScoring.prepare (ms)", driver);
      row("task: set-up until its first batch, mean over the tasks (µs)", taskMean);
      row("task: set-up, p50 over the tasks (µs, upper edge of a log bucket)", taskP50);
      row("task: Spark's deserialization of the task, CPU, mean over the tasks (µs)", deserialize);
    } finally {
      spark.stop();
    }
  }

  private static void row(String what, double[] v) {
    double[] s = v.clone();
    java.util.Arrays.sort(s);
    System.out.printf(
        Locale.ROOT,
        "| %s | %.1f | %.1f-%.1f |%n",
        what,
        TabularBenchmark.median(v),
        s[0],
        s[s.length - 1]);
  }
}
