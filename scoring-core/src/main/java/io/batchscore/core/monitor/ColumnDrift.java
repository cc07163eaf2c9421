package io.batchscore.core.monitor;

import java.util.List;
import java.util.Map;

/**
 * How one column moved between a reference profile and a current one.
 *
 * @param column the column's name
 * @param kind numbers or labels
 * @param role feature or prediction
 * @param status the worst status any thresholded metric reached
 * @param metrics each metric computed, by name (see {@code Monitoring.METRICS}), plus for labels
 *     {@code chi2} (the statistic) and {@code chi2_p} (its p-value)
 * @param reasons why the status is not ok, one line per metric past a threshold, e.g. {@code "psi
 *     0.31 >= 0.25"}; or why nothing could be compared (no values on one side)
 */
public record ColumnDrift(
    String column,
    ColumnProfile.Kind kind,
    ColumnProfile.Role role,
    DriftStatus status,
    Map<String, Double> metrics,
    List<String> reasons) {
  public ColumnDrift {
    metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
    reasons = List.copyOf(reasons);
  }

  /** A metric's value, or NaN when it was not computed. */
  public double metric(String name) {
    Double v = metrics.get(name);
    return v == null ? Double.NaN : v;
  }
}
