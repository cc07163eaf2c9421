package io.batchscore.core.monitor;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import org.apache.datasketches.hll.Union;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.kll.KllSketch;
import org.apache.datasketches.memory.Memory;
import org.apache.datasketches.quantilescommon.DoublesSortedView;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/**
 * Quantiles of a column from a geometric sample of its values: level 0 takes every value of the
 * first {@value #LEVEL}, level 1 one in two of the next {@value #LEVEL} x 2, level j one in 2^j of
 * the next {@value #LEVEL} x 2^j, each level a KLL sketch (k = {@value #KLL_K}). A column of n
 * values costs about {@value #LEVEL} x log2(n / {@value #LEVEL}) sketch updates instead of n (a KLL
 * update costs ~40 ns, which on every value of 30 features would cost a cheap model's stage more
 * than the model), yet every level holds as many values as the first, so the rank error stays below
 * 1% at any n (see {@link #rankError()}). Levels merge level by level: the result does not depend
 * on how the rows were split into tasks beyond the sketches' stated errors.
 *
 * <p>A query weighs level j's items by 2^j: the distribution answered is the data's, not the
 * sample's.
 */
final class SampledQuantiles implements Serializable {
  private static final long serialVersionUID = 1L;

  /** KLL's accuracy parameter. */
  static final int KLL_K = 1000;

  /** Sampled values per level before the next level halves the rate. */
  static final int LEVEL = 16_384;

  /**
   * The fewest a profile that is one of several merged into one samples per level ({@link
   * Profiler.Builder#parts}).
   */
  static final int MIN_LEVEL = 1024;

  /** KLL's normalized rank error, single-sided, at 99% confidence (about 0.28%). */
  static final double KLL_ERROR = KllSketch.getNormalizedRankError(KLL_K, false);

  /**
   * The values the levels may retain together (about 100 KB): past it the oldest level is folded
   * into the next, as {@value #FOLD_POINTS} weighted points, so memory stays the same from a
   * million values on. A folded level holds a small share of the data (the levels double), which
   * its points place within 1/{@value #FOLD_POINTS} of its own rank span (tracked in {@link
   * #coarse}).
   */
  static final int MAX_RETAINED = 12_000;

  static final int FOLD_POINTS = 128;

  /** The two-sided 99% normal quantile. */
  private static final double Z99 = 2.576;

  /** Level j samples one value in 2^j; null until it takes one. */
  private transient List<KllDoublesSketch> levels = new ArrayList<>();

  /** Sampled values per level (fewer in one of many profiles merged into one). */
  private final int levelSize;

  /** The level being filled. */
  private int current;

  /** Where the next sampled value is, counted from the start of the next batch. */
  private int phase;

  /**
   * Values whose place is known only to within this many of them by folding: the rank error folding
   * adds, times the total count.
   */
  private double coarse;

  /** The merged, weighted view the queries read; null after a change. */
  private transient View view;

  /**
   * Adds the first {@code n} values of {@code v}, all finite; the values it samples also go to
   * {@code distinct}.
   */
  void update(double[] v, int n, Union distinct) {
    update(i -> v[i], n, distinct);
  }

  /** As {@link #update(double[], int, Union)}, for floats. */
  void update(float[] v, int n, Union distinct) {
    update(i -> v[i], n, distinct);
  }

  /**
   * Samples the values {@code value} gives for 0 to n - 1. A call per sampled value: a few in a
   * hundred once the first levels are full, where a KLL update costs ~40 ns anyway.
   */
  private void update(IntToDoubleFunction value, int n, Union distinct) {
    if (n == 0) {
      return;
    }
    view = null;
    int i = phase;
    while (i < n) {
      KllDoublesSketch s = level(current);
      int stride = 1 << current;
      long room = levelSize - s.getN();
      int take = (int) Math.min(room, (n - i + stride - 1) / stride);
      for (int t = 0, at = i; t < take; t++, at += stride) {
        double x = value.applyAsDouble(at);
        s.update(x);
        distinct.update(x);
      }
      i += take * stride;
      if (s.getN() >= levelSize && current < 30) {
        current++;
        foldOldLevels();
      }
    }
    phase = i - n;
  }

  SampledQuantiles(int levelSize) {
    this.levelSize = levelSize;
  }

  /** Whether every value so far was sketched (only level 0 holds any). */
  boolean sampledEverything() {
    return levels.size() <= 1;
  }

  private KllDoublesSketch level(int j) {
    while (levels.size() <= j) {
      levels.add(null);
    }
    KllDoublesSketch s = levels.get(j);
    if (s == null) {
      s = KllDoublesSketch.newHeapInstance(KLL_K);
      levels.set(j, s);
    }
    return s;
  }

  void merge(SampledQuantiles o) {
    view = null;
    for (int j = 0; j < o.levels.size(); j++) {
      KllDoublesSketch s = o.levels.get(j);
      if (s != null && !s.isEmpty()) {
        level(j).merge(s);
      }
    }
    current = Math.max(current, o.current);
    phase = 0;
    coarse += o.coarse;
    foldOldLevels();
  }

  /**
   * Folds the oldest levels into the next while the levels retain more than {@link #MAX_RETAINED}
   * values, keeping two.
   */
  private void foldOldLevels() {
    while (true) {
      int used = 0;
      int retained = 0;
      int oldest = -1;
      for (int j = levels.size() - 1; j >= 0; j--) {
        KllDoublesSketch s = levels.get(j);
        if (s != null && !s.isEmpty()) {
          used++;
          retained += s.getNumRetained();
          oldest = j;
        }
      }
      if (retained <= MAX_RETAINED || used <= 2) {
        return;
      }
      fold(oldest);
    }
  }

  /**
   * Moves level {@code o} into level o + 1 as {@link #FOLD_POINTS} evenly ranked points, each
   * weighted by its share of the level's count in level o + 1's units (half of level o's).
   */
  private void fold(int o) {
    KllDoublesSketch from = levels.get(o);
    KllDoublesSketch to = level(o + 1);
    long n = from.getN();
    double[] ranks = new double[FOLD_POINTS];
    for (int i = 0; i < FOLD_POINTS; i++) {
      ranks[i] = (i + 0.5) / FOLD_POINTS;
    }
    double[] points = from.getQuantiles(ranks, QuantileSearchCriteria.INCLUSIVE);
    long before = 0;
    for (int i = 0; i < FOLD_POINTS; i++) {
      long upTo = n * (i + 1) / FOLD_POINTS / 2;
      if (upTo > before) {
        to.update(points[i], upTo - before);
      }
      before = upTo;
    }
    coarse += (double) n * (1L << o) / FOLD_POINTS;
    levels.set(o, null);
  }

  /**
   * The rank error of a query at 99% confidence: KLL's own ({@link #KLL_ERROR}) plus the sampling
   * error of the levels that sample, 2.576 x sqrt(sum of w_j^2 x (1 - 2^-j) / 4 n_j) for level j's
   * share w_j of the data and its n_j sampled values (the normal bound of a proportion estimated
   * from a stratified sample), plus what folding old levels added. It is largest where the deepest
   * level holds half the data: about 0.6% with 16,384 values per level.
   */
  double rankError() {
    View v = view();
    double var = 0;
    for (int j = 1; j < levels.size(); j++) {
      KllDoublesSketch s = levels.get(j);
      if (s == null || s.isEmpty()) {
        continue;
      }
      double n = s.getN();
      double w = n * (1L << j) / v.total;
      var += w * w * (1 - 1.0 / (1L << j)) / (4 * n);
    }
    return KLL_ERROR + Z99 * Math.sqrt(var) + coarse / v.total;
  }

  /** The value at {@code rank} in [0, 1]: the smallest whose inclusive rank reaches it. */
  double quantile(double rank) {
    View v = view();
    double target = rank * v.total;
    int lo = 0;
    int hi = v.values.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (v.cumulative[mid] >= target) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return v.values[lo];
  }

  /** The share of values below {@code x}, or at or below it with {@code inclusive}. */
  double rank(double x, boolean inclusive) {
    View v = view();
    // The number of items below x (or at or below): the first index past them.
    int lo = 0;
    int hi = v.values.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (inclusive ? v.values[mid] <= x : v.values[mid] < x) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo == 0 ? 0 : v.cumulative[lo - 1] / v.total;
  }

  /** The inclusive rank of each split point, then 1. */
  double[] cdf(double[] splits) {
    double[] out = new double[splits.length + 1];
    for (int i = 0; i < splits.length; i++) {
      out[i] = rank(splits[i], true);
    }
    out[splits.length] = 1;
    return out;
  }

  /** The sketched values the levels retain, weighted by what each stands for, in order. */
  private View view() {
    if (view != null) {
      return view;
    }
    int size = 0;
    List<DoublesSortedView> views = new ArrayList<>();
    for (KllDoublesSketch s : levels) {
      DoublesSortedView sv = s == null || s.isEmpty() ? null : s.getSortedView();
      views.add(sv);
      size += sv == null ? 0 : sv.getQuantiles().length;
    }
    double[] values = new double[size];
    double[] weights = new double[size];
    int at = 0;
    for (int j = 0; j < views.size(); j++) {
      DoublesSortedView sv = views.get(j);
      if (sv == null) {
        continue;
      }
      double[] q = sv.getQuantiles();
      long[] cum = sv.getCumulativeWeights();
      for (int i = 0; i < q.length; i++) {
        values[at] = q[i];
        weights[at] = (double) (cum[i] - (i == 0 ? 0 : cum[i - 1])) * (1L << j);
        at++;
      }
    }
    Integer[] order = new Integer[size];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
    View out = new View(size);
    double sum = 0;
    for (int i = 0; i < size; i++) {
      out.values[i] = values[order[i]];
      sum += weights[order[i]];
      out.cumulative[i] = sum;
    }
    out.total = sum;
    view = out;
    return out;
  }

  private static final class View {
    final double[] values;
    final double[] cumulative;
    double total;

    View(int size) {
      values = new double[size];
      cumulative = new double[size];
    }
  }

  // ------------------------------------------------------------------ persistence

  /** Each level's KLL bytes, level j at index j; null where a level is empty. */
  List<byte[]> toBytes() {
    List<byte[]> out = new ArrayList<>();
    for (KllDoublesSketch s : levels) {
      out.add(s == null || s.isEmpty() ? null : s.toByteArray());
    }
    return out;
  }

  /** The rank error folding added, in values (see {@link #coarse}). */
  double coarse() {
    return coarse;
  }

  static SampledQuantiles fromBytes(List<byte[]> bytes, double coarse) {
    if (coarse < 0 || Double.isNaN(coarse)) {
      throw new IllegalArgumentException("a negative coarseness: " + coarse);
    }
    SampledQuantiles q = new SampledQuantiles(LEVEL);
    q.restoreLevels(bytes);
    q.coarse = coarse;
    return q;
  }

  private void restoreLevels(List<byte[]> bytes) {
    levels = new ArrayList<>();
    for (int j = 0; j < bytes.size(); j++) {
      byte[] b = bytes.get(j);
      levels.add(b == null ? null : KllDoublesSketch.heapify(Memory.wrap(b)));
      if (b != null) {
        current = j;
      }
    }
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    out.writeObject(new ArrayList<>(toBytes()));
  }

  @SuppressWarnings("unchecked")
  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    int cur = current;
    restoreLevels((List<byte[]>) in.readObject());
    current = cur;
  }
}
