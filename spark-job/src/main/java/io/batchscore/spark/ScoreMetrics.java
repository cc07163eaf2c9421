package io.batchscore.spark;

import io.batchscore.core.monitor.ModelComparison;
import io.batchscore.core.monitor.Profile;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.SparkContext;
import org.apache.spark.util.AccumulatorV2;
import org.apache.spark.util.LongAccumulator;

/**
 * Counters that scoring tasks add to and the driver reads after the job: rows in, scored and
 * rejected (by reason), batches, and a histogram of batch latencies for percentiles. A "batch" is
 * one scoring call: with {@code spark.task.cpus} above 1 a call scores that many model batches at
 * once, and its latency is theirs together.
 *
 * <p>Like all Spark accumulators updated in transformations, a retried task counts twice; the run
 * report takes its row counts from the written output, and uses these for latency and rejects.
 */
public final class ScoreMetrics implements Serializable {
  private static final long serialVersionUID = 1L;

  public final LongAccumulator rowsIn;
  public final LongAccumulator rowsScored;
  public final LongAccumulator batches;
  public final CountsAccumulator rejected;
  public final LatencyAccumulator latency;

  /** Model loads by executor id: a task that loaded the model (a cache miss) adds its executor. */
  public final CountsAccumulator modelLoads;

  /** The profile of the scored rows: every feature and prediction, merged across tasks. */
  public final ProfileAccumulator profile;

  /** Each challenger against the champion, merged across tasks; empty for a one-model spec. */
  public final ComparisonAccumulator comparisons;

  /**
   * Each task's set-up, from the start of its partition function until its first batch can be read:
   * the scorer opened (the model from the per-JVM cache, or loaded) and its buffers made.
   */
  public final LatencyAccumulator taskSetup;

  /** The same set-up times summed, for their mean ({@code avg()}) and count. */
  public final LongAccumulator taskSetupNanos;

  public ScoreMetrics(SparkContext sc, String name) {
    rowsIn = sc.longAccumulator(name + ".rowsIn");
    rowsScored = sc.longAccumulator(name + ".rowsScored");
    batches = sc.longAccumulator(name + ".batches");
    rejected = new CountsAccumulator();
    sc.register(rejected, name + ".rejected");
    latency = new LatencyAccumulator();
    sc.register(latency, name + ".batchLatency");
    modelLoads = new CountsAccumulator();
    sc.register(modelLoads, name + ".modelLoads");
    profile = new ProfileAccumulator();
    sc.register(profile, name + ".profile");
    comparisons = new ComparisonAccumulator();
    sc.register(comparisons, name + ".comparisons");
    taskSetup = new LatencyAccumulator();
    sc.register(taskSetup, name + ".taskSetup");
    taskSetupNanos = sc.longAccumulator(name + ".taskSetupNanos");
  }

  /**
   * The profile of what the tasks scored (features and predictions), each task's merged in once, at
   * its end; the run report and drift are computed from it, not from the written output.
   */
  public static final class ProfileAccumulator extends AccumulatorV2<Profile, Profile> {
    private static final long serialVersionUID = 1L;

    /**
     * Null only in a copy whose deserialization stopped half-way: Spark registers an accumulator
     * with its task in AccumulatorV2's own readObject, before this class's field is read, and asks
     * a failed task's accumulators whether they are zero.
     */
    private Profile profile = new Profile();

    private Profile profile() {
      if (profile == null) {
        profile = new Profile();
      }
      return profile;
    }

    @Override
    public synchronized boolean isZero() {
      return profile().isEmpty();
    }

    @Override
    public ProfileAccumulator copy() {
      ProfileAccumulator c = new ProfileAccumulator();
      synchronized (this) {
        c.profile = profile().copy();
      }
      return c;
    }

    @Override
    public synchronized void reset() {
      profile = new Profile();
    }

    /**
     * Adds a finished scorer's profile. The task's first is taken as it is, not merged into an
     * empty copy (copying its sketches cost ~1% of the stage's samples): its scorer is closed and
     * never adds to it again.
     */
    @Override
    public synchronized void add(Profile task) {
      if (profile().isEmpty()) {
        profile = task;
      } else {
        profile().merge(task);
      }
    }

    @Override
    public synchronized void merge(AccumulatorV2<Profile, Profile> other) {
      profile().merge(other.value());
    }

    @Override
    public synchronized Profile value() {
      return profile();
    }
  }

  /**
   * Each challenger's comparison with the champion ({@link ModelComparison}), in the spec's order,
   * each task's merged in once, at its end.
   */
  public static final class ComparisonAccumulator
      extends AccumulatorV2<List<ModelComparison>, List<ModelComparison>> {
    private static final long serialVersionUID = 1L;

    /** Null until a task's comparisons arrive (and in a half-read copy, as the profile's). */
    private ArrayList<ModelComparison> merged;

    @Override
    public synchronized boolean isZero() {
      return merged == null || merged.isEmpty();
    }

    @Override
    public ComparisonAccumulator copy() {
      ComparisonAccumulator c = new ComparisonAccumulator();
      synchronized (this) {
        if (!isZero()) {
          c.merged = org.apache.commons.lang3.SerializationUtils.clone(merged);
        }
      }
      return c;
    }

    @Override
    public synchronized void reset() {
      merged = null;
    }

    @Override
    public synchronized void add(List<ModelComparison> task) {
      if (merged == null || merged.isEmpty()) {
        merged = new ArrayList<>(task);
      } else {
        for (int i = 0; i < task.size(); i++) {
          merged.get(i).merge(task.get(i));
        }
      }
    }

    @Override
    public synchronized void merge(
        AccumulatorV2<List<ModelComparison>, List<ModelComparison>> other) {
      if (!other.isZero()) {
        add(other.value());
      }
    }

    @Override
    public synchronized List<ModelComparison> value() {
      return merged == null ? List.of() : merged;
    }
  }

  /** Counts by key (rejection reasons such as {@code null:mean_radius}). */
  public static final class CountsAccumulator extends AccumulatorV2<String, Map<String, Long>> {
    private static final long serialVersionUID = 1L;
    private final TreeMap<String, Long> counts = new TreeMap<>();

    @Override
    public boolean isZero() {
      return counts.isEmpty();
    }

    @Override
    public CountsAccumulator copy() {
      CountsAccumulator c = new CountsAccumulator();
      synchronized (this) {
        c.counts.putAll(counts);
      }
      return c;
    }

    @Override
    public synchronized void reset() {
      counts.clear();
    }

    @Override
    public synchronized void add(String key) {
      counts.merge(key, 1L, Long::sum);
    }

    @Override
    public synchronized void merge(AccumulatorV2<String, Map<String, Long>> other) {
      other.value().forEach((k, v) -> counts.merge(k, v, Long::sum));
    }

    @Override
    public synchronized Map<String, Long> value() {
      return new TreeMap<>(counts);
    }
  }

  /**
   * Batch latencies in a log-scale histogram (10 buckets per decade from 1 microsecond), merged
   * across tasks; percentiles are read from it within about 12%.
   */
  public static final class LatencyAccumulator extends AccumulatorV2<Long, long[]> {
    private static final long serialVersionUID = 1L;
    static final int BUCKETS = 100;
    private final long[] counts = new long[BUCKETS];

    static int bucket(long nanos) {
      double micros = Math.max(1.0, nanos / 1000.0);
      return (int) Math.min(BUCKETS - 1, Math.floor(Math.log10(micros) * 10));
    }

    /** Upper edge of a bucket in milliseconds. */
    static double upperMillis(int bucket) {
      return Math.pow(10, (bucket + 1) / 10.0) / 1000.0;
    }

    @Override
    public boolean isZero() {
      for (long c : counts) {
        if (c != 0) {
          return false;
        }
      }
      return true;
    }

    @Override
    public LatencyAccumulator copy() {
      LatencyAccumulator c = new LatencyAccumulator();
      synchronized (this) {
        System.arraycopy(counts, 0, c.counts, 0, BUCKETS);
      }
      return c;
    }

    @Override
    public synchronized void reset() {
      java.util.Arrays.fill(counts, 0);
    }

    @Override
    public synchronized void add(Long nanos) {
      counts[bucket(nanos)]++;
    }

    @Override
    public synchronized void merge(AccumulatorV2<Long, long[]> other) {
      long[] o = other.value();
      for (int i = 0; i < BUCKETS; i++) {
        counts[i] += o[i];
      }
    }

    @Override
    public synchronized long[] value() {
      return counts.clone();
    }

    /** The latency (ms, bucket upper edge) below which a fraction {@code q} of batches fell. */
    public static double percentile(long[] counts, double q) {
      long total = 0;
      for (long c : counts) {
        total += c;
      }
      if (total == 0) {
        return 0;
      }
      long rank = (long) Math.ceil(q * total);
      long seen = 0;
      for (int i = 0; i < counts.length; i++) {
        seen += counts[i];
        if (seen >= rank) {
          return upperMillis(i);
        }
      }
      return upperMillis(counts.length - 1);
    }
  }
}
