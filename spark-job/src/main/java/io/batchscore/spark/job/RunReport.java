package io.batchscore.spark.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.batchscore.core.OutputColumn;
import io.batchscore.spark.PredictionStats;
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
  static void rows(ObjectNode report, ScoreMetrics m, long scored, double seconds) {
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
   * Statistics of each scalar prediction column, as the scoring tasks gathered them (see {@link
   * PredictionStats}): count, min, max, mean and stddev, a histogram of numbers, the most frequent
   * labels. The written output is not read again for them.
   */
  static void predictions(ObjectNode report, PredictionStats stats, List<OutputColumn> columns) {
    ObjectNode preds = report.putObject("predictions");
    for (OutputColumn c : columns) {
      ObjectNode n = preds.putObject(c.name());
      n.put("type", c.type().toString());
      if (!c.type().isScalar()) {
        n.put("note", "array and map columns: no statistics");
      } else if (c.type().element().isNumeric()) {
        PredictionStats.Numeric s = stats.numeric(c.name());
        long cnt = s == null ? 0 : s.count();
        n.put("count", cnt);
        if (s != null && s.nans() > 0) {
          n.put("nan", s.nans());
        }
        if (cnt == 0) {
          continue;
        }
        n.put("min", s.min());
        n.put("max", s.max());
        n.put("mean", s.mean());
        n.put("stddev", s.stddev());
        ObjectNode hist = n.putObject("histogram");
        var edges = hist.putArray("edges");
        double width = (s.max() - s.min()) / BINS;
        for (int b = 0; b <= BINS; b++) {
          edges.add(s.min() + b * width);
        }
        var counts = hist.putArray("counts");
        for (long v : s.histogram(BINS)) {
          counts.add(v);
        }
        hist.put("note", "values within about 1% of an edge may fall in the neighbouring bin");
      } else {
        PredictionStats.Labels l = stats.labels(c.name());
        ObjectNode top = n.putObject("topValues");
        n.put("count", l == null ? 0 : l.count());
        if (l == null) {
          continue;
        }
        for (Map.Entry<String, Long> e : l.top(TOP_VALUES)) {
          top.put(e.getKey(), e.getValue());
        }
        if (l.other() > 0) {
          n.put("otherValues", l.other());
          n.put(
              "note",
              "more than "
                  + PredictionStats.MAX_DISTINCT
                  + " distinct values; the rest are counted in otherValues");
        }
      }
    }
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
