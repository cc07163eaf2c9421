package io.batchscore.core.monitor;

import io.batchscore.core.monitor.ColumnProfile.Kind;
import io.batchscore.core.spec.Monitoring;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;

/**
 * Compares a current profile with a reference one, column by column, from their sketches alone.
 *
 * <p>Numbers: the population stability index (PSI) and the Jensen-Shannon distance (base 2, in [0,
 * 1]) over the reference's deciles; the 1-Wasserstein distance divided by the reference's standard
 * deviation; the two-sample Kolmogorov-Smirnov statistic; the share of values outside the
 * reference's range. Labels: PSI and the Jensen-Shannon distance over the categories both saw, the
 * chi-squared test of homogeneity with its p-value and Cramér's V (which, unlike the statistic and
 * the p-value, does not grow with the row count), the share of values in categories the reference
 * never had. Both: the rise of the null rate. Each is computed from the sketches, within their
 * errors (quantiles within {@link ColumnProfile#rankError()} in rank).
 *
 * <p>A metric past a threshold ({@link Monitoring#threshold}) gives the column {@code warn} or
 * {@code drift}; the report's status is the worst of its columns'.
 */
public final class Drift {
  /** PSI and Jensen-Shannon compare shares no smaller than this (an empty bin is not infinite). */
  static final double FLOOR = 1e-4;

  /** Points of the quantile functions the Wasserstein distance is integrated over. */
  static final int WASSERSTEIN_POINTS = 200;

  /** Points of each side's distribution the Kolmogorov-Smirnov statistic is read at. */
  static final int KS_POINTS = 256;

  private Drift() {}

  /**
   * Compares every column the two profiles share.
   *
   * @param monitoring thresholds; {@link Monitoring#DEFAULTS} for the documented defaults
   */
  public static DriftReport compare(Profile reference, Profile current, Monitoring monitoring) {
    List<ColumnDrift> out = new ArrayList<>();
    for (ColumnProfile c : current.columns().values()) {
      ColumnProfile r = reference.column(c.name());
      if (r != null && r.kind() == c.kind()) {
        out.add(column(r, c, monitoring));
      }
    }
    return new DriftReport(out);
  }

  /** The drift of one column. */
  static ColumnDrift column(ColumnProfile ref, ColumnProfile cur, Monitoring monitoring) {
    Map<String, Double> m = new LinkedHashMap<>();
    List<String> reasons = new ArrayList<>();
    if (ref.valid() == 0 || cur.valid() == 0) {
      reasons.add(ref.valid() == 0 ? "the reference has no values" : "no values to compare");
    } else if (cur.kind() == Kind.NUMERIC) {
      numbers(ref, cur, m);
    } else {
      labels(ref, cur, m);
    }
    m.put("null_rate_increase", cur.nullRate() - ref.nullRate());
    DriftStatus status = DriftStatus.OK;
    for (Map.Entry<String, Double> e : m.entrySet()) {
      Monitoring.Threshold t = monitoring.threshold(cur.name(), e.getKey());
      double v = e.getValue();
      if (t == null || Double.isNaN(v)) {
        continue;
      }
      DriftStatus s = v >= t.drift() ? DriftStatus.DRIFT : v >= t.warn() ? DriftStatus.WARN : null;
      if (s != null) {
        status = status.worst(s);
        reasons.add(
            String.format(
                Locale.ROOT,
                "%s %.3g >= %.3g",
                e.getKey(),
                v,
                s == DriftStatus.DRIFT ? t.drift() : t.warn()));
      }
    }
    return new ColumnDrift(cur.name(), cur.kind(), cur.role(), status, m, reasons);
  }

  // ------------------------------------------------------------------ numbers

  private static void numbers(ColumnProfile ref, ColumnProfile cur, Map<String, Double> m) {
    double[] splits = decileSplits(ref);
    double[] p = shares(ref.cdf(splits));
    double[] q = shares(cur.cdf(splits));
    m.put("psi", psi(p, q));
    m.put("js", jensenShannon(p, q));
    double sd = ref.stddev();
    double w = wasserstein(ref, cur);
    m.put("wasserstein", sd > 0 ? w / sd : w);
    m.put("ks", kolmogorovSmirnov(ref, cur));
    double below = cur.rank(ref.min(), false);
    double above = 1 - cur.rank(ref.max(), true);
    m.put("out_of_range", Math.max(0, below) + Math.max(0, above));
  }

  /** The reference's deciles, without repeats (a column with few values has fewer bins). */
  static double[] decileSplits(ColumnProfile ref) {
    Set<Double> s = new LinkedHashSet<>();
    for (int i = 1; i < 10; i++) {
      s.add(ref.quantile(i / 10.0));
    }
    return s.stream().mapToDouble(Double::doubleValue).sorted().toArray();
  }

  /** Bin shares from a CDF at the split points (the last entry is 1). */
  static double[] shares(double[] cdf) {
    double[] out = new double[cdf.length];
    double prev = 0;
    for (int i = 0; i < cdf.length; i++) {
      out[i] = Math.max(0, cdf[i] - prev);
      prev = cdf[i];
    }
    return out;
  }

  /** The 1-Wasserstein distance: the mean gap between the two quantile functions. */
  private static double wasserstein(ColumnProfile ref, ColumnProfile cur) {
    double sum = 0;
    for (int j = 0; j < WASSERSTEIN_POINTS; j++) {
      double rank = (j + 0.5) / WASSERSTEIN_POINTS;
      sum += Math.abs(ref.quantile(rank) - cur.quantile(rank));
    }
    return sum / WASSERSTEIN_POINTS;
  }

  /** The largest gap between the two CDFs, read at both sides' quantiles. */
  private static double kolmogorovSmirnov(ColumnProfile ref, ColumnProfile cur) {
    double[] points = new double[2 * KS_POINTS];
    for (int j = 0; j < KS_POINTS; j++) {
      double rank = (j + 0.5) / KS_POINTS;
      points[2 * j] = ref.quantile(rank);
      points[2 * j + 1] = cur.quantile(rank);
    }
    double[] x = Arrays.stream(points).distinct().sorted().toArray();
    double[] a = ref.cdf(x);
    double[] b = cur.cdf(x);
    double d = 0;
    for (int i = 0; i < x.length; i++) {
      d = Math.max(d, Math.abs(a[i] - b[i]));
    }
    return d;
  }

  // ------------------------------------------------------------------ labels

  private static void labels(ColumnProfile ref, ColumnProfile cur, Map<String, Double> m) {
    Map<String, Long> rf = ref.frequent();
    Map<String, Long> cf = cur.frequent();
    Set<String> cats = new LinkedHashSet<>(rf.keySet());
    cats.addAll(cf.keySet());
    int k = cats.size() + 1; // and "every other value"
    double[] a = new double[k];
    double[] b = new double[k];
    int i = 0;
    long unseen = 0;
    for (String c : cats) {
      a[i] = rf.getOrDefault(c, 0L);
      b[i] = cf.getOrDefault(c, 0L);
      if (a[i] == 0 && !rf.isEmpty() && ref.frequentError() == 0) {
        unseen += (long) b[i];
      }
      i++;
    }
    a[k - 1] = Math.max(0, ref.valid() - Arrays.stream(a).sum());
    b[k - 1] = Math.max(0, cur.valid() - Arrays.stream(b).sum());
    double[] p = normalize(a);
    double[] q = normalize(b);
    m.put("psi", psi(p, q));
    m.put("js", jensenShannon(p, q));
    chiSquared(a, b, m);
    m.put("unseen", (double) unseen / cur.valid());
  }

  /**
   * The chi-squared test of homogeneity of the two rows of counts: the statistic, its p-value
   * (degrees of freedom: categories with any count, less one), and Cramér's V = sqrt(chi2 / n).
   */
  static void chiSquared(double[] a, double[] b, Map<String, Double> m) {
    double na = Arrays.stream(a).sum();
    double nb = Arrays.stream(b).sum();
    double n = na + nb;
    double chi2 = 0;
    int used = 0;
    for (int i = 0; i < a.length; i++) {
      double col = a[i] + b[i];
      if (col == 0) {
        continue;
      }
      used++;
      double ea = na * col / n;
      double eb = nb * col / n;
      chi2 += (a[i] - ea) * (a[i] - ea) / ea + (b[i] - eb) * (b[i] - eb) / eb;
    }
    int df = used - 1;
    m.put("chi2", chi2);
    m.put(
        "chi2_p",
        df < 1 ? 1.0 : 1 - new ChiSquaredDistribution(null, df).cumulativeProbability(chi2));
    m.put("cramers_v", n == 0 || df < 1 ? 0 : Math.sqrt(chi2 / n));
  }

  private static double[] normalize(double[] v) {
    double sum = Arrays.stream(v).sum();
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = sum == 0 ? 0 : v[i] / sum;
    }
    return out;
  }

  // ------------------------------------------------------------------ shares

  /** PSI = sum (q - p) ln(q / p), shares floored at {@link #FLOOR}. */
  static double psi(double[] p, double[] q) {
    double s = 0;
    for (int i = 0; i < p.length; i++) {
      double a = Math.max(p[i], FLOOR);
      double b = Math.max(q[i], FLOOR);
      s += (b - a) * Math.log(b / a);
    }
    return s;
  }

  /** The Jensen-Shannon distance: the square root of the divergence, base 2, in [0, 1]. */
  static double jensenShannon(double[] p, double[] q) {
    double d = 0;
    for (int i = 0; i < p.length; i++) {
      double mid = (p[i] + q[i]) / 2;
      if (p[i] > 0) {
        d += 0.5 * p[i] * Math.log(p[i] / mid);
      }
      if (q[i] > 0) {
        d += 0.5 * q[i] * Math.log(q[i] / mid);
      }
    }
    return Math.sqrt(Math.max(0, d / Math.log(2)));
  }
}
