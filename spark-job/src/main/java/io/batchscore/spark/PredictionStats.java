package io.batchscore.spark;

import io.batchscore.core.column.Column;
import io.batchscore.core.column.ColumnBatch;
import io.batchscore.core.column.ColumnType;
import io.batchscore.core.column.ElementType;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Summary statistics of prediction columns, gathered batch by batch as they are scored and
 * mergeable across tasks and processes, so a run's report never re-reads its output.
 *
 * <p>Numbers: exact count, min, max, mean and standard deviation (Chan's parallel merge of
 * Welford's sums), NaN count, and a log-linear sketch of the distribution (64 buckets per power of
 * two: every value is placed within 1.1% of itself) from which the report draws a histogram of
 * equal-width bins between min and max; a value within about 1% of a bin edge may be counted in the
 * neighbouring bin. Labels (strings and booleans): exact counts of up to {@value #MAX_DISTINCT}
 * distinct values per column; more distinct values are counted as "other".
 */
public final class PredictionStats implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final int MAX_DISTINCT = 10_000;

  private final Map<String, Numeric> numbers = new LinkedHashMap<>();
  private final Map<String, Labels> labels = new LinkedHashMap<>();

  /** Adds the named columns of a batch of predictions; other columns are ignored. */
  public void add(ColumnBatch batch, List<String> numericColumns, List<String> labelColumns) {
    for (String name : numericColumns) {
      Column c = batch.column(name);
      if (c != null) {
        numbers.computeIfAbsent(name, n -> new Numeric()).add(c);
      }
    }
    for (String name : labelColumns) {
      Column c = batch.column(name);
      if (c != null) {
        labels.computeIfAbsent(name, n -> new Labels()).add(c);
      }
    }
  }

  /** Adds another's statistics to these. */
  public void merge(PredictionStats other) {
    other.numbers.forEach((k, v) -> numbers.computeIfAbsent(k, n -> new Numeric()).merge(v));
    other.labels.forEach((k, v) -> labels.computeIfAbsent(k, n -> new Labels()).merge(v));
  }

  public boolean isEmpty() {
    return numbers.isEmpty() && labels.isEmpty();
  }

  public PredictionStats copy() {
    PredictionStats c = new PredictionStats();
    c.merge(this);
    return c;
  }

  public Numeric numeric(String column) {
    return numbers.get(column);
  }

  public Labels labels(String column) {
    return labels.get(column);
  }

  /** A number column's statistics. */
  public static final class Numeric implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Sign bit, 8 exponent bits and the 6 high mantissa bits of the value as a float. */
    private static final int SHIFT = 17;

    private static final int BUCKETS = 1 << (32 - SHIFT);

    private long count;
    private long nans;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private double mean;
    private double m2;
    private transient long[] sketch = new long[BUCKETS];

    /** The batch's values as doubles, reused from batch to batch (not serialized). */
    private transient double[] scratch;

    void add(Column c) {
      int n = c.size();
      double[] v = asDoubles(c, n);
      boolean[] nulls = c.mayHaveNulls() ? c.nullMask() : null;
      // Batch sums first (tight loops over a double array, nothing allocated), then one merge
      // into the running totals; the second pass makes the batch's squared deviations exact.
      long bc = 0;
      double bmin = Double.POSITIVE_INFINITY;
      double bmax = Double.NEGATIVE_INFINITY;
      double sum = 0;
      long[] sk = sketch;
      for (int i = 0; i < n; i++) {
        double x = v[i];
        if (nulls != null && nulls[i]) {
          v[i] = Double.NaN;
          continue;
        }
        if (x != x) {
          nans++;
          continue;
        }
        bc++;
        sum += x;
        bmin = Math.min(bmin, x);
        bmax = Math.max(bmax, x);
        sk[Float.floatToRawIntBits((float) x) >>> SHIFT]++;
      }
      if (bc == 0) {
        return;
      }
      double bmean = sum / bc;
      double bm2 = 0;
      for (int i = 0; i < n; i++) {
        double x = v[i];
        if (x == x) {
          double d = x - bmean;
          bm2 += d * d;
        }
      }
      combine(bc, bmin, bmax, bmean, bm2);
    }

    /**
     * The column's first {@code n} values as doubles, in a scratch array: one loop per column type,
     * so the loops above read a plain array instead of asking each value's type.
     */
    private double[] asDoubles(Column c, int n) {
      if (scratch == null || scratch.length < n) {
        scratch = new double[Math.max(n, 1024)];
      }
      double[] d = scratch;
      if (!c.type().isScalar()) {
        throw new IllegalArgumentException("not a number column: " + c.type());
      }
      switch (c.type().element()) {
        case DOUBLE:
          System.arraycopy(c.doubles(), 0, d, 0, n);
          break;
        case FLOAT:
          {
            float[] v = c.floats();
            for (int i = 0; i < n; i++) {
              d[i] = v[i];
            }
            break;
          }
        case INT64:
          {
            long[] v = c.longs();
            for (int i = 0; i < n; i++) {
              d[i] = v[i];
            }
            break;
          }
        case INT32:
          {
            int[] v = c.ints();
            for (int i = 0; i < n; i++) {
              d[i] = v[i];
            }
            break;
          }
        default:
          throw new IllegalArgumentException("not a number column: " + c.type());
      }
      return d;
    }

    private void combine(long n, double lo, double hi, double m, double sq) {
      long total = count + n;
      double delta = m - mean;
      mean += delta * n / total;
      m2 += sq + delta * delta * ((double) count * n / total);
      count = total;
      min = Math.min(min, lo);
      max = Math.max(max, hi);
    }

    void merge(Numeric o) {
      nans += o.nans;
      for (int b = 0; b < BUCKETS; b++) {
        sketch[b] += o.sketch[b];
      }
      if (o.count > 0) {
        combine(o.count, o.min, o.max, o.mean, o.m2);
      }
    }

    public long count() {
      return count;
    }

    public long nans() {
      return nans;
    }

    public double min() {
      return min;
    }

    public double max() {
      return max;
    }

    public double mean() {
      return mean;
    }

    /** Sample standard deviation (n - 1), 0 for a single value. */
    public double stddev() {
      return count > 1 ? Math.sqrt(m2 / (count - 1)) : 0;
    }

    /**
     * Counts in {@code bins} equal-width bins from min to max (the last bin includes max); each
     * sketch bucket is counted in the bin holding its middle, clamped to [min, max].
     */
    public long[] histogram(int bins) {
      long[] out = new long[bins];
      if (count == 0) {
        return out;
      }
      double width = (max - min) / bins;
      for (int b = 0; b < BUCKETS; b++) {
        if (sketch[b] == 0) {
          continue;
        }
        float lo = Float.intBitsToFloat(b << SHIFT);
        float hi = Float.intBitsToFloat((b << SHIFT) | ((1 << SHIFT) - 1));
        double mid = Math.min(max, Math.max(min, ((double) lo + hi) / 2));
        int bin = width > 0 ? (int) Math.min(bins - 1, Math.floor((mid - min) / width)) : 0;
        out[bin] += sketch[b];
      }
      return out;
    }

    /** The sketch travels sparse: a task's buckets are mostly empty. */
    private void writeObject(ObjectOutputStream out) throws IOException {
      out.defaultWriteObject();
      int used = 0;
      for (long v : sketch) {
        used += v != 0 ? 1 : 0;
      }
      out.writeInt(used);
      for (int b = 0; b < BUCKETS; b++) {
        if (sketch[b] != 0) {
          out.writeInt(b);
          out.writeLong(sketch[b]);
        }
      }
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      in.defaultReadObject();
      sketch = new long[BUCKETS];
      int used = in.readInt();
      for (int i = 0; i < used; i++) {
        int b = in.readInt();
        sketch[b] = in.readLong();
      }
    }
  }

  /** A label column's value counts. */
  public static final class Labels implements Serializable {
    private static final long serialVersionUID = 1L;
    private final HashMap<String, Long> counts = new HashMap<>();
    private long other;
    private long count;

    void add(Column c) {
      int n = c.size();
      // Labels repeat, and the same label is most often the same String object: count each
      // distinct object of the batch in a small array first (an identity compare per row), then
      // add those counts to the map once per batch.
      String[] seen = new String[8];
      long[] times = new long[8];
      int k = 0;
      boolean nulls = c.mayHaveNulls();
      String[] strings =
          c.type().equals(ColumnType.scalar(ElementType.STRING)) ? c.strings() : null;
      for (int i = 0; i < n; i++) {
        if (nulls && c.isNull(i)) {
          continue;
        }
        String v = strings != null ? strings[i] : String.valueOf(c.get(i));
        int j = 0;
        while (j < k && seen[j] != v) {
          j++;
        }
        if (j == k) {
          if (k == seen.length) { // many distinct objects: flush, start over
            for (int x = 0; x < k; x++) {
              put(seen[x], times[x]);
            }
            java.util.Arrays.fill(times, 0);
            k = 0;
            j = 0;
          }
          seen[k++] = v;
        }
        times[j]++;
      }
      for (int x = 0; x < k; x++) {
        put(seen[x], times[x]);
      }
    }

    private void put(String v, long n) {
      if (v == null || n == 0) {
        return;
      }
      count += n;
      Long have = counts.get(v);
      if (have != null) {
        counts.put(v, have + n);
      } else if (counts.size() < MAX_DISTINCT) {
        counts.put(v, n);
      } else {
        other += n;
      }
    }

    void merge(Labels o) {
      o.counts.forEach((k, v) -> put(k, v));
      other += o.other;
      count += o.other;
    }

    /** Non-null values counted. */
    public long count() {
      return count;
    }

    /** Values beyond the first {@value #MAX_DISTINCT} distinct ones, counted together. */
    public long other() {
      return other;
    }

    /** The {@code k} most frequent values, most frequent first (ties by value). */
    public List<Map.Entry<String, Long>> top(int k) {
      List<Map.Entry<String, Long>> all = new ArrayList<>(counts.entrySet());
      all.sort(
          Map.Entry.<String, Long>comparingByValue()
              .reversed()
              .thenComparing(Map.Entry.comparingByKey()));
      return all.subList(0, Math.min(k, all.size()));
    }
  }
}
