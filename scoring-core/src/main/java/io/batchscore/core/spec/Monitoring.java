package io.batchscore.core.spec;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The spec's {@code monitoring} section: the reference profile a run is compared with (made from
 * the training data by {@code batchscore profile}), whether input features are profiled besides the
 * predictions, and the drift thresholds: the spec's own for every column, and overrides per column.
 *
 * <pre>
 * monitoring:
 *   reference: ../profiles/training.profile.json
 *   features: true
 *   thresholds: {psi: {warn: 0.1, drift: 0.25}}
 *   columns:
 *     mean_radius: {psi: {warn: 0.2, drift: 0.5}}
 * </pre>
 *
 * @param reference the reference profile's path as written (relative to the spec's folder), or null
 * @param features whether input features are profiled (predictions always are)
 * @param thresholds thresholds by metric, for every column
 * @param columns thresholds by metric, for one column
 */
public record Monitoring(
    String reference,
    boolean features,
    Map<String, Threshold> thresholds,
    Map<String, Map<String, Threshold>> columns)
    implements Serializable {

  /**
   * A metric's two levels: a value at or above {@code warn} warns, at or above {@code drift}
   * drifts.
   */
  public record Threshold(double warn, double drift) implements Serializable {}

  /** No reference, features profiled, the default thresholds. */
  public static final Monitoring DEFAULTS = new Monitoring(null, true, Map.of(), Map.of());

  /**
   * The metrics a status is decided on by default, with their thresholds: PSI on the reference's
   * deciles or categories (0.1 / 0.25, the usual), Cramér's V of the chi-squared test between the
   * reference's and the run's categories (0.1 / 0.2), the rise of the null rate (0.05 / 0.2), the
   * share of numbers outside the reference's range (0.01 / 0.05), and of labels the reference never
   * had (0.01 / 0.05).
   */
  public static final Map<String, Threshold> DEFAULT_THRESHOLDS =
      Map.of(
          "psi", new Threshold(0.1, 0.25),
          "cramers_v", new Threshold(0.1, 0.2),
          "null_rate_increase", new Threshold(0.05, 0.2),
          "out_of_range", new Threshold(0.01, 0.05),
          "unseen", new Threshold(0.01, 0.05));

  /**
   * Every metric a drift report computes. Those without a default threshold (the Jensen-Shannon
   * distance, the normalized Wasserstein distance, the Kolmogorov-Smirnov statistic) are reported
   * for information until the spec gives them thresholds.
   */
  public static final Set<String> METRICS =
      Set.of(
          "psi",
          "js",
          "wasserstein",
          "ks",
          "cramers_v",
          "null_rate_increase",
          "out_of_range",
          "unseen");

  public Monitoring {
    thresholds = Map.copyOf(thresholds == null ? Map.of() : thresholds);
    Map<String, Map<String, Threshold>> c = new TreeMap<>();
    (columns == null ? Map.<String, Map<String, Threshold>>of() : columns)
        .forEach((k, v) -> c.put(k, Map.copyOf(v)));
    columns = Map.copyOf(c);
  }

  /**
   * The threshold of a metric for a column: its own, else the spec's, else the default, else null.
   */
  public Threshold threshold(String column, String metric) {
    Map<String, Threshold> own = columns.get(column);
    if (own != null && own.containsKey(metric)) {
      return own.get(metric);
    }
    if (thresholds.containsKey(metric)) {
      return thresholds.get(metric);
    }
    return DEFAULT_THRESHOLDS.get(metric);
  }

  /** The reference's path resolved against the spec's folder, or null without a reference. */
  public Path resolvedReference(Path baseDir) {
    if (reference == null) {
      return null;
    }
    Path p = Path.of(reference);
    return p.isAbsolute() || baseDir == null ? p : baseDir.resolve(p).normalize();
  }
}
