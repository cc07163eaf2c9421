package io.batchscore.core.monitor;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.datasketches.common.ArrayOfStringsSerDe;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.Union;
import org.apache.datasketches.memory.Memory;

/**
 * What one column held: its count, nulls and NaN, and for numbers the exact min, max, mean and
 * standard deviation with a quantile sketch, for labels and strings the most frequent values; a
 * cardinality estimate for both. Built a batch at a time with bounded memory whatever the row
 * count, and mergeable: a profile merged from any partitioning of the rows equals the profile of
 * all of them, within the sketches' stated errors.
 *
 * <p>The sketches are Apache DataSketches': KLL for quantiles, over a geometric sample of the
 * values ({@link SampledQuantiles}: a quantile's rank is within {@link #rankError()}, below 1%, of
 * the true one with 99% confidence), frequent items for labels (up to {@value #ITEMS} tracked
 * values; exact while a column has fewer distinct values), HLL for distinct values (lgK {@value
 * #HLL_LG_K}: about 1.6% relative error).
 */
public final class ColumnProfile implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Values a frequent-items sketch tracks (a power of two). */
  static final int ITEMS = 256;

  static final int HLL_LG_K = 12;

  /** What a column holds. */
  public enum Kind {
    /** Numbers: quantiles, moments. Array columns are profiled by their rows' L2 norm. */
    NUMERIC,
    /** Labels, strings, booleans: frequent values. */
    CATEGORICAL
  }

  /** Where a column comes from. */
  public enum Role {
    /** A column the model reads (or, for arrays and text, a number derived from it). */
    FEATURE,
    /** A column the scorer writes. */
    PREDICTION
  }

  private final String name;
  private final Kind kind;
  private final Role role;

  /** What the profiled number is, when it is not the column's value: "l2 norm", "tokens". */
  private final String measure;

  private long count;
  private long nulls;
  private long nans;
  private double min = Double.POSITIVE_INFINITY;
  private double max = Double.NEGATIVE_INFINITY;
  private double mean;
  private double m2;

  /** The first value seen: the sums of the moments are taken around it. */
  private double shift;

  private boolean shifted;

  /** Numbers: the quantiles; null for labels. */
  private SampledQuantiles quantiles;

  private transient ItemsSketch<String> items;
  private transient Union distinct;

  ColumnProfile(String name, Kind kind, Role role, String measure) {
    this(name, kind, role, measure, SampledQuantiles.LEVEL);
  }

  /** {@code levelSize}: values sampled per quantile level ({@link SampledQuantiles}). */
  ColumnProfile(String name, Kind kind, Role role, String measure, int levelSize) {
    this.name = name;
    this.kind = kind;
    this.role = role;
    this.measure = measure;
    init(levelSize);
  }

  private void init(int levelSize) {
    if (kind == Kind.NUMERIC) {
      quantiles = new SampledQuantiles(levelSize);
    } else {
      items = new ItemsSketch<>(ITEMS);
    }
    distinct = new Union(HLL_LG_K);
  }

  public String name() {
    return name;
  }

  public Kind kind() {
    return kind;
  }

  public Role role() {
    return role;
  }

  /** What the profile's numbers measure when not the column's own values, else null. */
  public String measure() {
    return measure;
  }

  /** Rows seen, nulls included. */
  public long count() {
    return count;
  }

  public long nulls() {
    return nulls;
  }

  /** NaN and infinite values (numbers); they are counted, not sketched. */
  public long nans() {
    return nans;
  }

  /** Values in the sketches: rows that were neither null nor NaN. */
  public long valid() {
    return count - nulls - nans;
  }

  /** The share of rows that were null, NaN included; 0 when no row was seen. */
  public double nullRate() {
    return count == 0 ? 0 : (double) (nulls + nans) / count;
  }

  public double min() {
    return valid() == 0 ? Double.NaN : min;
  }

  public double max() {
    return valid() == 0 ? Double.NaN : max;
  }

  public double mean() {
    return valid() == 0 ? Double.NaN : mean;
  }

  /** The sample standard deviation (n - 1), as Spark's {@code stddev} and pandas give it. */
  public double stddev() {
    long n = valid();
    return n == 0 ? Double.NaN : n == 1 ? 0 : Math.sqrt(m2 / (n - 1));
  }

  /** Distinct values, estimated. */
  public double distinct() {
    return distinct.getEstimate();
  }

  /** The value at {@code rank} in [0, 1] (numbers), within {@link #rankError()} of it. */
  public double quantile(double rank) {
    return valid() == 0 ? Double.NaN : quantiles.quantile(rank);
  }

  /** The share of values at or below each split point (numbers). */
  public double[] cdf(double[] splits) {
    if (valid() == 0) {
      double[] out = new double[splits.length + 1];
      java.util.Arrays.fill(out, Double.NaN);
      return out;
    }
    return quantiles.cdf(splits);
  }

  /**
   * The share of values below {@code x} (numbers), or at or below it with {@code inclusive}, within
   * {@link #rankError()}.
   */
  public double rank(double x, boolean inclusive) {
    if (valid() == 0) {
      return Double.NaN;
    }
    return quantiles.rank(x, inclusive);
  }

  /** The most frequent values (labels), most frequent first, with their estimated counts. */
  public Map<String, Long> frequent() {
    Map<String, Long> out = new LinkedHashMap<>();
    if (items == null || items.isEmpty()) {
      return out;
    }
    for (ItemsSketch.Row<String> r : items.getFrequentItems(ErrorType.NO_FALSE_POSITIVES)) {
      out.put(r.getItem(), r.getEstimate());
    }
    return out;
  }

  /** The largest error of a count in {@link #frequent()}: 0 while every value is tracked. */
  public long frequentError() {
    return items == null ? 0 : items.getMaximumError();
  }

  // ------------------------------------------------------------------ building

  /**
   * Adds {@code n} numbers; {@code isNull} (may be null) marks null rows. Count, nulls, NaN, min,
   * max, mean and variance take every value; the sketches are fed as {@link #sketch} says: a sketch
   * update costs ~40 ns, which on every value of 30 features would cost a cheap model's stage more
   * than the model (docs/performance.md).
   */
  void addNumbers(double[] v, boolean[] isNull, int n) {
    count += n;
    if (isNull == null && addIfFinite(v, n)) {
      return;
    }
    int k = 0;
    for (int i = 0; i < n; i++) {
      double x = v[i];
      if (isNull != null && isNull[i]) {
        nulls++;
      } else if (x - x != 0) {
        nans++;
      } else {
        v[k++] = x; // compacts in place: v is the caller's scratch
      }
    }
    if (!addIfFinite(v, k)) {
      // Finite values whose squares overflow: the moments are infinite, the rest holds.
      combine(k, min(v, k), max(v, k), Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
      quantiles.update(v, k, distinct);
    }
  }

  /**
   * Adds {@code n} floats with no nulls: as {@link #addNumbers}, reading the floats where they are
   * (a copy into doubles first cost a tenth of profiling); {@code scratch} holds at least n
   * doubles, for a batch with NaN or infinite values.
   */
  void addFloats(float[] v, int n, double[] scratch) {
    count += n;
    if (addIfFinite(v, n)) {
      return;
    }
    count -= n;
    for (int i = 0; i < n; i++) {
      scratch[i] = v[i];
    }
    addNumbers(scratch, null, n);
  }

  /**
   * As {@link #addIfFinite(double[], int)}, for floats: the same loop, as Java has no loop over
   * either array type that runs as fast as one over each.
   */
  private boolean addIfFinite(float[] v, int k) {
    if (k == 0) {
      return true;
    }
    double c = shifted ? shift : v[0];
    double lo0 = v[0];
    double hi0 = v[0];
    double lo1 = v[0];
    double hi1 = v[0];
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    double q0 = 0;
    double q1 = 0;
    double q2 = 0;
    double q3 = 0;
    int i = 0;
    for (; i + 3 < k; i += 4) {
      double x0 = v[i];
      double x1 = v[i + 1];
      double x2 = v[i + 2];
      double x3 = v[i + 3];
      lo0 = x0 < lo0 ? x0 : lo0;
      hi0 = x0 > hi0 ? x0 : hi0;
      lo1 = x1 < lo1 ? x1 : lo1;
      hi1 = x1 > hi1 ? x1 : hi1;
      lo0 = x2 < lo0 ? x2 : lo0;
      hi0 = x2 > hi0 ? x2 : hi0;
      lo1 = x3 < lo1 ? x3 : lo1;
      hi1 = x3 > hi1 ? x3 : hi1;
      double d0 = x0 - c;
      double d1 = x1 - c;
      double d2 = x2 - c;
      double d3 = x3 - c;
      s0 += d0;
      s1 += d1;
      s2 += d2;
      s3 += d3;
      q0 += d0 * d0;
      q1 += d1 * d1;
      q2 += d2 * d2;
      q3 += d3 * d3;
    }
    for (; i < k; i++) {
      double x = v[i];
      lo0 = x < lo0 ? x : lo0;
      hi0 = x > hi0 ? x : hi0;
      double d = x - c;
      s0 += d;
      q0 += d * d;
    }
    double sum = (s0 + s1) + (s2 + s3);
    double squares = (q0 + q1) + (q2 + q3);
    if (sum - sum != 0 || squares - squares != 0) {
      return false;
    }
    moments(k, Math.min(lo0, lo1), Math.max(hi0, hi1), c, sum, squares);
    quantiles.update(v, k, distinct);
    return true;
  }

  /**
   * Adds {@code k} values if every one is finite, else adds nothing and returns false. One pass,
   * four lanes: min, max, and the sums of d and d^2 for d = x - shift (a shift near the data keeps
   * the variance exact where mean >> sd); a NaN or infinite value makes the sums non-finite.
   */
  private boolean addIfFinite(double[] v, int k) {
    if (k == 0) {
      return true;
    }
    double c = shifted ? shift : v[0];
    double lo0 = v[0];
    double hi0 = v[0];
    double lo1 = v[0];
    double hi1 = v[0];
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    double q0 = 0;
    double q1 = 0;
    double q2 = 0;
    double q3 = 0;
    int i = 0;
    for (; i + 3 < k; i += 4) {
      double x0 = v[i];
      double x1 = v[i + 1];
      double x2 = v[i + 2];
      double x3 = v[i + 3];
      lo0 = x0 < lo0 ? x0 : lo0;
      hi0 = x0 > hi0 ? x0 : hi0;
      lo1 = x1 < lo1 ? x1 : lo1;
      hi1 = x1 > hi1 ? x1 : hi1;
      lo0 = x2 < lo0 ? x2 : lo0;
      hi0 = x2 > hi0 ? x2 : hi0;
      lo1 = x3 < lo1 ? x3 : lo1;
      hi1 = x3 > hi1 ? x3 : hi1;
      double d0 = x0 - c;
      double d1 = x1 - c;
      double d2 = x2 - c;
      double d3 = x3 - c;
      s0 += d0;
      s1 += d1;
      s2 += d2;
      s3 += d3;
      q0 += d0 * d0;
      q1 += d1 * d1;
      q2 += d2 * d2;
      q3 += d3 * d3;
    }
    for (; i < k; i++) {
      double x = v[i];
      lo0 = x < lo0 ? x : lo0;
      hi0 = x > hi0 ? x : hi0;
      double d = x - c;
      s0 += d;
      q0 += d * d;
    }
    double sum = (s0 + s1) + (s2 + s3);
    double squares = (q0 + q1) + (q2 + q3);
    if (sum - sum != 0 || squares - squares != 0) {
      return false;
    }
    moments(k, Math.min(lo0, lo1), Math.max(hi0, hi1), c, sum, squares);
    quantiles.update(v, k, distinct);
    return true;
  }

  /** Adds a batch's {@code k} values by their sums of d and d^2 for d = x - c. */
  private void moments(int k, double lo, double hi, double c, double sum, double squares) {
    shift = c;
    shifted = true;
    double mean = sum / k;
    combine(k, lo, hi, mean + c, Math.max(0, squares - sum * mean));
  }

  private static double min(double[] v, int k) {
    double m = Double.POSITIVE_INFINITY;
    for (int i = 0; i < k; i++) {
      m = Math.min(m, v[i]);
    }
    return m;
  }

  private static double max(double[] v, int k) {
    double m = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < k; i++) {
      m = Math.max(m, v[i]);
    }
    return m;
  }

  /**
   * The rank error of this column's quantiles, at 99% confidence: below 1% at any row count (see
   * {@link SampledQuantiles#rankError()}); 0 for labels, whose counts are exact or bounded by
   * {@link #frequentError()}.
   */
  public double rankError() {
    return quantiles == null || valid() == 0 ? 0 : quantiles.rankError();
  }

  /** Whether the distinct estimate saw every value (false: it counts the sampled ones only). */
  public boolean distinctExact() {
    return quantiles == null || quantiles.sampledEverything();
  }

  /** Adds {@code n} labels; a null entry, or a true entry of {@code isNull}, is a null row. */
  void addLabels(String[] v, boolean[] isNull, int n) {
    count += n;
    // Labels repeat, and are mostly the same few objects: count each object's rows in the batch,
    // then update the sketches once per label (an items update costs ~30 ns).
    if (labelScratch == null) {
      labelScratch = new String[8];
      labelCounts = new long[8];
    }
    String[] seen = labelScratch;
    long[] counts = labelCounts;
    int distinctInBatch = 0;
    for (int i = 0; i < n; i++) {
      String x = v[i];
      if (x == null || (isNull != null && isNull[i])) {
        nulls++;
        continue;
      }
      int j = 0;
      while (j < distinctInBatch && seen[j] != x) {
        j++;
      }
      if (j < distinctInBatch) {
        counts[j]++;
      } else if (distinctInBatch < seen.length) {
        seen[distinctInBatch] = x;
        counts[distinctInBatch++] = 1;
      } else {
        items.update(x);
        distinct.update(x);
      }
    }
    for (int j = 0; j < distinctInBatch; j++) {
      items.update(seen[j], counts[j]);
      distinct.update(seen[j]);
      seen[j] = null;
    }
  }

  /** The labels one batch counts by identity before updating the sketches ({@link #addLabels}). */
  private transient String[] labelScratch;

  private transient long[] labelCounts;

  private void combine(long n, double lo, double hi, double m, double sq) {
    long before = valid() - n; // count already includes this batch
    long total = before + n;
    double delta = m - mean;
    mean += delta * n / total;
    m2 += sq + delta * delta * ((double) before * n / total);
    min = Math.min(min, lo);
    max = Math.max(max, hi);
  }

  /** Adds another profile of the same column. */
  void merge(ColumnProfile o) {
    if (o.kind != kind) {
      throw new IllegalArgumentException(
          "column '" + name + "' is " + kind + " here but " + o.kind + " in the profile merged in");
    }
    long before = valid();
    long n = o.valid();
    count += o.count;
    nulls += o.nulls;
    nans += o.nans;
    if (n > 0) {
      long total = before + n;
      double delta = o.mean - mean;
      mean += delta * n / total;
      m2 += o.m2 + delta * delta * ((double) before * n / total);
      min = Math.min(min, o.min);
      max = Math.max(max, o.max);
    }
    if (quantiles != null) {
      quantiles.merge(o.quantiles);
    }
    if (items != null) {
      items.merge(o.items);
    }
    distinct.update(o.distinct.getResult());
  }

  ColumnProfile copy() {
    return renamed(name);
  }

  /** A copy under another name (a challenger's column compared under the champion's name). */
  ColumnProfile renamed(String as) {
    ColumnProfile c = new ColumnProfile(as, kind, role, measure);
    c.merge(this);
    return c;
  }

  // ------------------------------------------------------------------ persistence

  /** Numbers: each quantile level's KLL bytes (see {@link SampledQuantiles#toBytes()}). */
  List<byte[]> quantileBytes() {
    return quantiles == null ? null : quantiles.toBytes();
  }

  /** Numbers: the rank error folding added, in values (see {@link SampledQuantiles}). */
  double quantileCoarseness() {
    return quantiles == null ? 0 : quantiles.coarse();
  }

  /** Labels: the frequent-items sketch's bytes. */
  byte[] itemBytes() {
    return items == null ? null : items.toByteArray(new ArrayOfStringsSerDe());
  }

  byte[] distinctBytes() {
    return distinct.getResult().toCompactByteArray();
  }

  static ColumnProfile restore(
      String name,
      Kind kind,
      Role role,
      String measure,
      long count,
      long nulls,
      long nans,
      double min,
      double max,
      double mean,
      double m2,
      List<byte[]> quantileLevels,
      double coarse,
      byte[] itemBytes,
      byte[] distinctBytes) {
    ColumnProfile c = new ColumnProfile(name, kind, role, measure);
    c.count = count;
    c.nulls = nulls;
    c.nans = nans;
    c.min = c.valid() == 0 ? Double.POSITIVE_INFINITY : min;
    c.max = c.valid() == 0 ? Double.NEGATIVE_INFINITY : max;
    c.mean = c.valid() == 0 ? 0 : mean;
    c.m2 = c.valid() == 0 ? 0 : m2;
    if (kind == Kind.NUMERIC) {
      c.quantiles = SampledQuantiles.fromBytes(quantileLevels, coarse);
    } else {
      c.items = ItemsSketch.getInstance(Memory.wrap(itemBytes), new ArrayOfStringsSerDe());
    }
    c.distinct = new Union(HLL_LG_K);
    c.distinct.update(HllSketch.heapify(distinctBytes));
    return c;
  }

  /** The sum of squared deviations from the mean, for persistence. */
  double m2() {
    return m2;
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    out.writeObject(itemBytes());
    out.writeObject(distinctBytes());
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    byte[] itemBytes = (byte[]) in.readObject();
    if (itemBytes != null) {
      items = ItemsSketch.getInstance(Memory.wrap(itemBytes), new ArrayOfStringsSerDe());
    }
    distinct = new Union(HLL_LG_K);
    distinct.update(HllSketch.heapify((byte[]) in.readObject()));
  }

  /** Evenly spaced quantiles for a person to read: the 1st, 5th, 25th, 50th, 75th, 95th, 99th. */
  static final double[] SUMMARY_RANKS = {0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99};

  List<Double> summaryQuantiles() {
    List<Double> out = new ArrayList<>();
    for (double r : SUMMARY_RANKS) {
      out.add(quantile(r));
    }
    return out;
  }

  @Override
  public String toString() {
    return name + " (" + kind.name().toLowerCase(java.util.Locale.ROOT) + ", " + count + " rows)";
  }
}
