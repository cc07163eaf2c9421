package io.batchscore.spark.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
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

  /** Statistics of each scalar prediction column of the written output. */
  static void predictions(ObjectNode report, Dataset<Row> out, List<OutputColumn> columns) {
    ObjectNode preds = report.putObject("predictions");
    for (OutputColumn c : columns) {
      ObjectNode n = preds.putObject(c.name());
      n.put("type", c.type().toString());
      if (!c.type().isScalar()) {
        n.put("note", "array and map columns: no statistics");
        continue;
      }
      String q = "`" + c.name() + "`";
      if (c.type().element().isNumeric()) {
        Row r =
            out.agg(count(col(q)), min(col(q)), max(col(q)), mean(col(q)), stddev(col(q))).first();
        long cnt = r.getLong(0);
        n.put("count", cnt);
        if (cnt == 0) {
          continue;
        }
        double lo = ((Number) r.get(1)).doubleValue();
        double hi = ((Number) r.get(2)).doubleValue();
        n.put("min", lo);
        n.put("max", hi);
        n.put("mean", r.getDouble(3));
        n.put("stddev", r.isNullAt(4) ? 0.0 : r.getDouble(4));
        histogram(n.putObject("histogram"), out, q, lo, hi);
      } else {
        n.put("count", out.filter(col(q).isNotNull()).count());
        ObjectNode top = n.putObject("topValues");
        for (Row r : out.groupBy(col(q)).count().orderBy(col("count").desc()).limit(TOP_VALUES).collectAsList()) {
          top.put(String.valueOf(r.get(0)), r.getLong(1));
        }
      }
    }
  }

  private static void histogram(ObjectNode h, Dataset<Row> out, String q, double lo, double hi) {
    double width = (hi - lo) / BINS;
    var edges = h.putArray("edges");
    for (int i = 0; i <= BINS; i++) {
      edges.add(lo + i * width);
    }
    long[] counts = new long[BINS];
    if (width > 0) {
      String bin =
          "least(" + (BINS - 1) + ", cast(floor((" + q + " - (" + lo + ")) / " + width + ") as int))";
      for (Row r : out.selectExpr(bin + " as b").groupBy("b").count().collectAsList()) {
        if (!r.isNullAt(0)) {
          counts[r.getInt(0)] = r.getLong(1);
        }
      }
    } else {
      counts[0] = out.filter(col(q).isNotNull()).count();
    }
    var c = h.putArray("counts");
    for (long v : counts) {
      c.add(v);
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
