package io.batchscore.spark.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.batchscore.core.OutputColumn;
import io.batchscore.core.ScoringPlan;
import io.batchscore.core.column.ElementType;
import io.batchscore.core.monitor.ColumnProfile;
import io.batchscore.core.monitor.ModelComparison;
import io.batchscore.core.monitor.Profile;
import io.batchscore.core.spec.Challenger;
import io.batchscore.spark.ScoreMetrics;
import java.util.List;
import java.util.Map;

/**
 * The machine-readable report of a run: rows read, scored and rejected (by reason), duration,
 * throughput, batch latency percentiles, and for each prediction column its summary statistics and
 * a histogram (numbers) or most frequent values (labels).
 */
public final class RunReport {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final int BINS = 10;
  private static final int TOP_VALUES = 20;

  private RunReport() {}

  /** Counts and latencies from the run's accumulators. */
  static void rows(
      ObjectNode report, ScoreMetrics m, long scored, double seconds, double scoreSeconds) {
    ObjectNode rows = report.putObject("rows");
    long rejected = 0;
    for (long v : m.rejected.value().values()) {
      rejected += v;
    }
    rows.put("read", m.rowsIn.value());
    rows.put("scored", scored);
    rows.put("rejected", rejected);
    ObjectNode reasons = rows.putObject("rejectedByReason");
    m.rejected.value().forEach(reasons::put);
    report.put("durationSeconds", round(seconds));
    report.put("rowsPerSecond", seconds > 0 ? Math.round(scored / seconds) : 0);
    // The run's wall time above includes the input's listing, the model's inspection, Spark's
    // planning and the report; the score-and-write stage alone is what scales with the rows.
    report.put("scoreAndWriteSeconds", round(scoreSeconds));
    report.put(
        "rowsPerSecondScoreAndWrite", scoreSeconds > 0 ? Math.round(scored / scoreSeconds) : 0);
    ObjectNode loads = report.putObject("modelLoadsByExecutor");
    m.modelLoads.value().forEach(loads::put);
    long[] lat = m.latency.value();
    ObjectNode l = report.putObject("batchLatencyMs");
    l.put("batches", m.batches.value());
    l.put("p50", round(ScoreMetrics.LatencyAccumulator.percentile(lat, 0.50)));
    l.put("p90", round(ScoreMetrics.LatencyAccumulator.percentile(lat, 0.90)));
    l.put("p99", round(ScoreMetrics.LatencyAccumulator.percentile(lat, 0.99)));
    l.put("max", round(ScoreMetrics.LatencyAccumulator.percentile(lat, 1.0)));
    l.put("note", "upper edges of log-scale buckets (10 per decade)");
  }

  /**
   * Set-up times: the driver's (reading the model's signature, binding the spec, planning the
   * query) and each task's until its first batch (opening the scorer; a task that loaded the model
   * counts its load).
   */
  static void setup(ObjectNode report, ScoreMetrics m, double driverMillis) {
    ObjectNode s = report.putObject("setupMs");
    s.put("driver", round(driverMillis));
    ObjectNode t = s.putObject("task");
    long[] h = m.taskSetup.value();
    t.put("tasks", m.taskSetupNanos.count());
    t.put("mean", round(m.taskSetupNanos.count() == 0 ? 0 : m.taskSetupNanos.avg() / 1e6));
    t.put("p50", round(ScoreMetrics.LatencyAccumulator.percentile(h, 0.50)));
    t.put("p99", round(ScoreMetrics.LatencyAccumulator.percentile(h, 0.99)));
    t.put("max", round(ScoreMetrics.LatencyAccumulator.percentile(h, 1.0)));
  }

  /**
   * The report's {@code challengers}: each challenger against the champion ({@link
   * ModelComparison#toJson}), or, where no task scored a row, the challenger's name, mode and
   * model.
   */
  static void challengers(ObjectNode report, ScoringPlan plan, List<ModelComparison> comparisons) {
    List<Challenger> cs = plan.spec().challengers();
    if (cs.isEmpty()) {
      return;
    }
    com.fasterxml.jackson.databind.node.ArrayNode out = report.putArray("challengers");
    for (int i = 0; i < cs.size(); i++) {
      if (i < comparisons.size()) {
        try {
          out.add(JSON.readTree(comparisons.get(i).toJson()));
        } catch (java.io.IOException e) {
          throw new IllegalStateException(e);
        }
      } else {
        ObjectNode n = out.addObject();
        n.put("name", cs.get(i).name()).put("mode", cs.get(i).mode().specName());
        n.putObject("model")
            .put("version", plan.challengers().get(i).modelVersion())
            .put("sha256", plan.challengers().get(i).model().sha256());
        n.put("rows", 0);
      }
    }
  }

  /**
   * Statistics of each prediction column from the run's profile (gathered by the scoring tasks; the
   * written output is not read again): count, NaN, min, max, mean and stddev (exact), a histogram
   * of ten equal bins between min and max (from the quantile sketch), or the most frequent labels.
   * Array columns are summarised by their rows' L2 norm.
   */
  static void predictions(ObjectNode report, Profile profile, List<OutputColumn> columns) {
    ObjectNode preds = report.putObject("predictions");
    for (OutputColumn c : columns) {
      ObjectNode n = preds.putObject(c.name());
      n.put("type", c.type().toString());
      ColumnProfile p = profile.column(c.name());
      if (p == null) {
        n.put("note", "map columns: no statistics");
        continue;
      }
      if (p.measure() != null) {
        n.put("measure", p.measure());
      }
      if (p.kind() == ColumnProfile.Kind.NUMERIC) {
        n.put("count", p.valid());
        if (p.nans() > 0) {
          n.put("nan", p.nans());
        }
        if (p.valid() == 0) {
          continue;
        }
        n.put("min", p.min());
        n.put("max", p.max());
        n.put("mean", p.mean());
        n.put("stddev", p.stddev());
        String note =
            "counts from the quantile sketch: each within about "
                + Math.round(p.rankError() * 1000) / 10.0
                + "% of the rows of its true count";
        if (isWhole(c) && p.max() - p.min() < TOP_VALUES) {
          // labels as numbers (0/1, class ids): a count per value, not bins between them
          ObjectNode values = n.putObject("values");
          int k = (int) (p.max() - p.min());
          double[] splits = new double[k];
          for (int i = 0; i < k; i++) {
            splits[i] = p.min() + i + 0.5;
          }
          long[] counts = counts(p.cdf(splits), p.valid());
          for (int i = 0; i <= k; i++) {
            if (counts[i] > 0) {
              values.put(Long.toString((long) p.min() + i), counts[i]);
            }
          }
          n.put("note", note);
          continue;
        }
        ObjectNode hist = n.putObject("histogram");
        var edges = hist.putArray("edges");
        double width = (p.max() - p.min()) / BINS;
        double[] inner = new double[BINS - 1];
        for (int b = 0; b <= BINS; b++) {
          double edge = b == 0 ? p.min() : b == BINS ? p.max() : tidy(p.min() + b * width);
          edges.add(edge);
          if (b > 0 && b < BINS) {
            inner[b - 1] = edge;
          }
        }
        var counts = hist.putArray("counts");
        for (long v : counts(p.cdf(inner), p.valid())) {
          counts.add(v);
        }
        hist.put("note", note);
      } else {
        ObjectNode top = n.putObject("topValues");
        n.put("count", p.valid());
        long shown = 0;
        int k = 0;
        for (Map.Entry<String, Long> e : p.frequent().entrySet()) {
          if (k++ == TOP_VALUES) {
            break;
          }
          top.put(e.getKey(), e.getValue());
          shown += e.getValue();
        }
        if (p.valid() > shown) {
          n.put("otherValues", p.valid() - shown);
        }
        if (p.frequentError() > 0) {
          n.put(
              "note",
              "more distinct values than the sketch tracks: counts are estimates, each"
                  + " within "
                  + p.frequentError());
        }
      }
    }
  }

  /** Whether a column holds whole numbers: int64, int32 or booleans, one per row. */
  private static boolean isWhole(OutputColumn c) {
    if (!c.type().isScalar()) {
      return false;
    }
    ElementType e = c.type().element();
    return e == ElementType.INT64 || e == ElementType.INT32 || e == ElementType.BOOL;
  }

  /**
   * A bin edge to 12 significant digits: {@code min + b * width} carries the float noise of its
   * arithmetic ({@code 0.30000000000000004}), which says nothing about the data.
   */
  static double tidy(double v) {
    if (v == 0 || !Double.isFinite(v)) {
      return v;
    }
    return new java.math.BigDecimal(v)
        .round(new java.math.MathContext(12, java.math.RoundingMode.HALF_EVEN))
        .doubleValue();
  }

  /**
   * Counts per bin from a CDF, rounded so that they add up to {@code total} (largest remainder).
   */
  static long[] counts(double[] cdf, long total) {
    int k = cdf.length;
    long[] out = new long[k];
    double[] rest = new double[k];
    long sum = 0;
    double prev = 0;
    for (int i = 0; i < k; i++) {
      double exact = Math.max(0, cdf[i] - prev) * total;
      prev = cdf[i];
      out[i] = (long) Math.floor(exact);
      rest[i] = exact - out[i];
      sum += out[i];
    }
    while (sum < total) {
      int best = 0;
      for (int i = 1; i < k; i++) {
        if (rest[i] > rest[best]) {
          best = i;
        }
      }
      out[best]++;
      rest[best] = -1;
      sum++;
    }
    return out;
  }

  static double round(double v) {
    return Math.round(v * 1000.0) / 1000.0;
  }

  static String toJson(ObjectNode report) {
    try {
      return JSON.writeValueAsString(report);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, Object> asMap(String json) {
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = JSON.readValue(json, Map.class);
      return m;
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
