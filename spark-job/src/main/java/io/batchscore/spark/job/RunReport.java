package io.batchscore.spark.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.mean;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.stddev;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.batchscore.core.OutputColumn;
import io.batchscore.spark.ScoreMetrics;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The machine-readable report of a run: rows read, scored and rejected (by reason), duration,
 * throughput, batch latency percentiles, and for each prediction column its summary statistics
 * and a histogram (numbers) or most frequent values (labels).
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
   * Statistics of each scalar prediction column of the written output, and the row count: one
   * aggregation for every numeric column's count, min, max, mean and stddev, one for all their
   * histograms, and one group-by per label column. Returns the number of rows written.
   */
  static long predictions(ObjectNode report, Dataset<Row> out, List<OutputColumn> columns) {
    ObjectNode preds = report.putObject("predictions");
    List<String> numeric = new java.util.ArrayList<>();
    List<org.apache.spark.sql.Column> aggs = new java.util.ArrayList<>();
    aggs.add(count(lit(1)));
    for (OutputColumn c : columns) {
      ObjectNode n = preds.putObject(c.name());
      n.put("type", c.type().toString());
      if (!c.type().isScalar()) {
        n.put("note", "array and map columns: no statistics");
      } else if (c.type().element().isNumeric()) {
        String q = "`" + c.name() + "`";
        numeric.add(c.name());
        aggs.add(count(col(q)));
        aggs.add(min(col(q)).cast("double"));
        aggs.add(max(col(q)).cast("double"));
        aggs.add(mean(col(q)));
        aggs.add(stddev(col(q)));
      }
    }
    Row r = out.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new org.apache.spark.sql.Column[0])).first();
    long rows = r.getLong(0);
    List<org.apache.spark.sql.Column> bins = new java.util.ArrayList<>();
    double[][] ranges = new double[numeric.size()][];
    for (int i = 0; i < numeric.size(); i++) {
      ObjectNode n = (ObjectNode) preds.get(numeric.get(i));
      int base = 1 + i * 5;
      long cnt = r.getLong(base);
      n.put("count", cnt);
      if (cnt == 0) {
        continue;
      }
      double lo = r.getDouble(base + 1);
      double hi = r.getDouble(base + 2);
      n.put("min", lo);
      n.put("max", hi);
      n.put("mean", r.getDouble(base + 3));
      n.put("stddev", r.isNullAt(base + 4) ? 0.0 : r.getDouble(base + 4));
      ranges[i] = new double[] {lo, hi};
      String q = "`" + numeric.get(i) + "`";
      double width = (hi - lo) / BINS;
      for (int b = 0; b < BINS; b++) {
        org.apache.spark.sql.Column bin = width > 0
            ? org.apache.spark.sql.functions.expr("least(" + (BINS - 1) + ", cast(floor((" + q + " - (" + lo + ")) / " + width + ") as int))")
            : lit(0);
        bins.add(org.apache.spark.sql.functions.sum(
            org.apache.spark.sql.functions.when(col(q).isNotNull().and(bin.equalTo(b)), 1).otherwise(0)).cast("long"));
      }
    }
    Row h = bins.isEmpty() ? null : out.agg(bins.get(0), bins.subList(1, bins.size()).toArray(new org.apache.spark.sql.Column[0])).first();
    int k = 0;
    for (int i = 0; i < numeric.size(); i++) {
      if (ranges[i] == null) {
        continue;
      }
      ObjectNode hist = ((ObjectNode) preds.get(numeric.get(i))).putObject("histogram");
      var edges = hist.putArray("edges");
      double width = (ranges[i][1] - ranges[i][0]) / BINS;
      for (int b = 0; b <= BINS; b++) {
        edges.add(ranges[i][0] + b * width);
      }
      var counts = hist.putArray("counts");
      for (int b = 0; b < BINS; b++) {
        counts.add(h.getLong(k++));
      }
    }
    for (OutputColumn c : columns) {
      if (!c.type().isScalar() || c.type().element().isNumeric()) {
        continue;
      }
      String q = "`" + c.name() + "`";
      ObjectNode n = (ObjectNode) preds.get(c.name());
      ObjectNode top = n.putObject("topValues");
      long nonNull = 0;
      List<Row> groups = out.groupBy(col(q)).count().orderBy(col("count").desc()).collectAsList();
      for (int g = 0; g < groups.size(); g++) {
        Row gr = groups.get(g);
        if (!gr.isNullAt(0)) {
          nonNull += gr.getLong(1);
          if (top.size() < TOP_VALUES) {
            top.put(String.valueOf(gr.get(0)), gr.getLong(1));
          }
        }
      }
      n.put("count", nonNull);
    }
    return rows;
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
