package io.batchscore.core.monitor;

import io.batchscore.core.monitor.ColumnProfile.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The report a person reads: one self-contained HTML page (inline CSS and SVG, one line of inline
 * script; nothing from the network) with a summary, for each comparison a drift table sorted by
 * severity and each column's two distributions overlaid, and each column's drift over the last
 * runs.
 *
 * <p>Every number a table shows carries its exact value in a {@code data-value} attribute, and
 * every row its column in {@code data-column}, so a test (or a script) reads the page as data.
 */
public final class HtmlReport {
  /** Columns whose distributions are drawn, at most, per comparison (the most drifted first). */
  static final int CHARTS = 40;

  private final String title;
  private final Map<String, String> summary = new LinkedHashMap<>();
  private DriftStatus status;
  private final List<Comparison> comparisons = new ArrayList<>();
  private final List<ModelComparison> challengers = new ArrayList<>();
  private final Map<String, List<TrendPoint>> trends = new LinkedHashMap<>();
  private String trendMetric = "psi";
  private String trendAgainst = "";

  /** One comparison of a current profile with another. */
  private record Comparison(
      String id,
      String heading,
      Profile reference,
      Profile current,
      DriftReport drift,
      String referenceLabel,
      String currentLabel) {
    Comparison(String id, String heading, Profile reference, Profile current, DriftReport drift) {
      this(id, heading, reference, current, drift, "reference", "current");
    }
  }

  /** A column's metric on one run, for its trend. */
  public record TrendPoint(String run, double value, DriftStatus status) {}

  private HtmlReport(String title) {
    this.title = title;
  }

  public static HtmlReport titled(String title) {
    return new HtmlReport(title);
  }

  /** A line of the summary table. */
  public HtmlReport summary(String what, String value) {
    summary.put(what, value);
    return this;
  }

  /** The run's status, shown first. */
  public HtmlReport status(DriftStatus s) {
    this.status = s;
    return this;
  }

  /**
   * A comparison: its drift table and distributions.
   *
   * @param id a short name for the page's anchors and data attributes ({@code reference}, {@code
   *     previous})
   */
  public HtmlReport comparison(
      String id, String heading, Profile reference, Profile current, DriftReport drift) {
    comparisons.add(new Comparison(id, heading, reference, current, drift));
    return this;
  }

  /**
   * A challenger against the champion: label agreement and confusion, score differences, and the
   * drift between the two models' prediction distributions.
   */
  public HtmlReport challenger(ModelComparison c) {
    challengers.add(c);
    return this;
  }

  /**
   * Each column's {@code metric} over the last runs, oldest first, compared against {@code
   * against}.
   */
  public HtmlReport trends(String metric, String against, Map<String, List<TrendPoint>> byColumn) {
    this.trendMetric = metric;
    this.trendAgainst = against;
    trends.putAll(byColumn);
    return this;
  }

  public String render() {
    StringBuilder h = new StringBuilder(64 * 1024);
    h.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>")
        .append(esc(title))
        .append("</title><style>")
        .append(CSS)
        .append("</style></head>\n<body data-status=\"")
        .append(status == null ? "" : status.label())
        .append("\">\n");
    h.append("<h1>").append(esc(title)).append("</h1>\n");
    h.append("<section id=\"summary\"><table class=\"summary\">");
    if (status != null) {
      h.append("<tr><th>Status</th><td id=\"status\" class=\"s-")
          .append(status.label())
          .append("\">")
          .append(status.label())
          .append("</td></tr>");
    }
    summary.forEach(
        (k, v) ->
            h.append("<tr><th>")
                .append(esc(k))
                .append("</th><td>")
                .append(esc(v))
                .append("</td></tr>"));
    h.append("</table></section>\n");
    for (Comparison c : comparisons) {
      comparison(h, c);
    }
    for (ModelComparison c : challengers) {
      challenger(h, c);
    }
    if (!trends.isEmpty()) {
      h.append("<section id=\"trend\"><h2>")
          .append(esc(label(trendMetric)))
          .append(" over the last runs")
          .append(trendAgainst.isEmpty() ? "" : ", " + esc(trendAgainst))
          .append("</h2><div class=\"charts\">");
      trends.forEach((col, points) -> trend(h, col, points));
      h.append("</div></section>\n");
    }
    h.append(
        "<script>window.addEventListener('error',function(e){document.body.dataset.error="
            + "String(e.message)});document.body.dataset.rendered='yes';</script>\n");
    h.append("</body></html>\n");
    return h.toString();
  }

  // ------------------------------------------------------------------ challengers

  private void challenger(StringBuilder h, ModelComparison c) {
    String id = "challenger-" + c.name();
    h.append("<section class=\"challenger\" id=\"")
        .append(esc(id))
        .append("\" data-challenger=\"")
        .append(esc(c.name()))
        .append("\" data-mode=\"")
        .append(esc(c.mode()))
        .append("\"><h2>Challenger ")
        .append(esc(c.name()))
        .append(" v")
        .append(esc(c.version()))
        .append(" (")
        .append(esc(c.mode()))
        .append(") against the champion</h2>\n<p class=\"counts\">")
        .append(c.rows())
        .append(" rows scored by both");
    if ("canary".equals(c.mode())) {
      h.append("; ")
          .append(c.servedRows())
          .append(" served by the challenger (share ")
          .append(format(c.share()))
          .append(")");
    }
    h.append("</p>\n");
    if (!c.labelColumns().isEmpty()) {
      h.append("<h3>Labels</h3><table class=\"agreement\"><thead><tr><th>column</th>")
          .append("<th>agreement</th></tr></thead><tbody>");
      for (String col : c.labelColumns()) {
        double a = c.agreement(col);
        h.append("<tr data-column=\"")
            .append(esc(col))
            .append("\" data-agreement=\"")
            .append(Double.isNaN(a) ? "" : Double.toString(a))
            .append("\"><td>")
            .append(esc(col))
            .append("</td><td>")
            .append(format(a))
            .append("</td></tr>");
      }
      h.append("</tbody></table>\n");
      for (String col : c.labelColumns()) {
        confusion(h, col, c.confusion(col));
      }
    }
    if (!c.scoreColumns().isEmpty()) {
      h.append("<h3>Scores: absolute difference</h3><table class=\"difference\"><thead><tr>")
          .append("<th>column</th><th>mean</th><th>p50</th><th>p99</th><th>max</th>")
          .append("</tr></thead><tbody>");
      for (String col : c.scoreColumns()) {
        Map<String, Double> d = c.difference(col);
        h.append("<tr data-column=\"").append(esc(col)).append("\"><td>").append(esc(col));
        for (String m : List.of("mean", "p50", "p99", "max")) {
          double v = d.getOrDefault(m, Double.NaN);
          h.append("</td><td data-metric=\"")
              .append(m)
              .append("\" data-value=\"")
              .append(Double.isNaN(v) ? "" : Double.toString(v))
              .append("\">")
              .append(format(v));
        }
        h.append("</td></tr>");
      }
      h.append("</tbody></table>\n");
    }
    h.append("</section>\n");
    comparison(
        h,
        new Comparison(
            id + "-drift",
            "Predictions of " + c.name() + " against the champion's",
            c.championPredictions(),
            c.challengerPredictions(),
            c.drift(),
            "champion",
            c.name()));
  }

  /** A confusion matrix: the champion's labels down, the challenger's across. */
  private static void confusion(StringBuilder h, String col, Map<String, Map<String, Long>> m) {
    java.util.TreeSet<String> across = new java.util.TreeSet<>();
    m.values().forEach(r -> across.addAll(r.keySet()));
    h.append("<table class=\"confusion\" data-column=\"")
        .append(esc(col))
        .append("\"><caption>")
        .append(esc(col))
        .append(": champion (rows) by challenger (columns)</caption><thead><tr><th></th>");
    across.forEach(b -> h.append("<th>").append(esc(b)).append("</th>"));
    h.append("</tr></thead><tbody>");
    m.forEach(
        (a, row) -> {
          h.append("<tr><th>").append(esc(a)).append("</th>");
          for (String b : across) {
            long k = row.getOrDefault(b, 0L);
            h.append("<td data-champion=\"")
                .append(esc(a))
                .append("\" data-challenger=\"")
                .append(esc(b))
                .append("\"")
                .append(a.equals(b) ? " class=\"agree\"" : "")
                .append(">")
                .append(k)
                .append("</td>");
          }
          h.append("</tr>");
        });
    h.append("</tbody></table>\n");
  }

  // ------------------------------------------------------------------ drift tables

  private static final String[][] NUMBER_COLUMNS = {
    {"psi", "PSI"},
    {"js", "JS distance"},
    {"wasserstein", "Wasserstein / sd"},
    {"ks", "KS"},
    {"out_of_range", "outside ref. range"},
    {"null_rate_increase", "null rate +"}
  };
  private static final String[][] LABEL_COLUMNS = {
    {"psi", "PSI"},
    {"js", "JS distance"},
    {"cramers_v", "Cramér's V"},
    {"chi2_p", "χ² p-value"},
    {"unseen", "unseen"},
    {"null_rate_increase", "null rate +"}
  };

  private void comparison(StringBuilder h, Comparison c) {
    h.append("<section class=\"comparison\" id=\"")
        .append(esc(c.id))
        .append("\" data-against=\"")
        .append(esc(c.id))
        .append("\"><h2>")
        .append(esc(c.heading))
        .append(" <span class=\"s-")
        .append(c.drift.status().label())
        .append("\">")
        .append(c.drift.status().label())
        .append("</span></h2>\n");
    h.append("<p class=\"counts\">")
        .append(c.drift.count(DriftStatus.DRIFT))
        .append(" drift, ")
        .append(c.drift.count(DriftStatus.WARN))
        .append(" warn, ")
        .append(c.drift.count(DriftStatus.OK))
        .append(" ok</p>\n");
    List<ColumnDrift> sorted = c.drift.bySeverity();
    table(h, c, sorted, Kind.NUMERIC, NUMBER_COLUMNS, "Numbers");
    table(h, c, sorted, Kind.CATEGORICAL, LABEL_COLUMNS, "Labels");
    h.append("<div class=\"charts\">");
    int drawn = 0;
    for (ColumnDrift d : sorted) {
      if (drawn++ == CHARTS) {
        break;
      }
      ColumnProfile r = c.reference.column(d.column());
      ColumnProfile now = c.current.column(d.column());
      if (r != null && now != null && r.valid() > 0 && now.valid() > 0) {
        chart(h, d, r, now, c.referenceLabel(), c.currentLabel());
      }
    }
    h.append("</div></section>\n");
  }

  private static void table(
      StringBuilder h,
      Comparison c,
      List<ColumnDrift> rows,
      Kind kind,
      String[][] metrics,
      String heading) {
    List<ColumnDrift> mine = rows.stream().filter(r -> r.kind() == kind).toList();
    if (mine.isEmpty()) {
      return;
    }
    h.append("<h3>")
        .append(heading)
        .append("</h3><table class=\"drift\" data-kind=\"")
        .append(kind.name().toLowerCase(Locale.ROOT))
        .append("\"><thead><tr><th>column</th><th>role</th><th>status</th>");
    for (String[] m : metrics) {
      h.append("<th>").append(esc(m[1])).append("</th>");
    }
    h.append("<th>why</th></tr></thead><tbody>");
    for (ColumnDrift d : mine) {
      h.append("<tr data-column=\"")
          .append(esc(d.column()))
          .append("\" data-status=\"")
          .append(d.status().label())
          .append("\"><td>")
          .append(esc(d.column()))
          .append(measure(c, d))
          .append("</td><td>")
          .append(d.role().name().toLowerCase(Locale.ROOT))
          .append("</td><td class=\"s-")
          .append(d.status().label())
          .append("\">")
          .append(d.status().label())
          .append("</td>");
      for (String[] m : metrics) {
        double v = d.metric(m[0]);
        h.append("<td data-metric=\"")
            .append(m[0])
            .append("\" data-value=\"")
            .append(Double.isNaN(v) ? "" : Double.toString(v))
            .append("\">")
            .append(format(v))
            .append("</td>");
      }
      h.append("<td class=\"why\">")
          .append(esc(String.join("; ", d.reasons())))
          .append("</td></tr>");
    }
    h.append("</tbody></table>\n");
  }

  private static String measure(Comparison c, ColumnDrift d) {
    ColumnProfile p = c.current.column(d.column());
    return p == null || p.measure() == null ? "" : " <small>(" + esc(p.measure()) + ")</small>";
  }

  /** A number as the page shows it: three significant digits, or "–" when there is none. */
  public static String format(double v) {
    if (Double.isNaN(v)) {
      return "–";
    }
    if (v == 0) {
      return "0";
    }
    double a = Math.abs(v);
    if (a >= 1e5 || a < 1e-3) {
      return String.format(Locale.ROOT, "%.2e", v);
    }
    return new java.math.BigDecimal(v)
        .round(new java.math.MathContext(3))
        .stripTrailingZeros()
        .toPlainString();
  }

  // ------------------------------------------------------------------ charts

  private static final int W = 320;
  private static final int H = 120;
  private static final int BINS = 24;

  /** The two distributions of a column overlaid: the reference filled, the current outlined. */
  private static void chart(
      StringBuilder h,
      ColumnDrift d,
      ColumnProfile r,
      ColumnProfile now,
      String referenceLabel,
      String currentLabel) {
    h.append("<figure data-column=\"")
        .append(esc(d.column()))
        .append("\"><figcaption>")
        .append(esc(d.column()))
        .append(" <span class=\"s-")
        .append(d.status().label())
        .append("\">")
        .append(d.status().label())
        .append("</span></figcaption>");
    if (d.kind() == Kind.NUMERIC) {
      numberChart(h, r, now);
    } else {
      labelChart(h, r, now);
    }
    h.append("<div class=\"legend\"><span class=\"ref\">")
        .append(esc(referenceLabel))
        .append("</span><span class=\"cur\">")
        .append(esc(currentLabel))
        .append("</span></div></figure>");
  }

  private static void numberChart(StringBuilder h, ColumnProfile r, ColumnProfile now) {
    double lo = Math.min(r.quantile(0.001), now.quantile(0.001));
    double hi = Math.max(r.quantile(0.999), now.quantile(0.999));
    if (!(hi > lo)) {
      hi = lo + 1;
    }
    double[] edges = new double[BINS - 1];
    for (int i = 0; i < edges.length; i++) {
      edges[i] = lo + (hi - lo) * (i + 1) / BINS;
    }
    double[] a = Drift.shares(r.cdf(edges));
    double[] b = Drift.shares(now.cdf(edges));
    double top = 0;
    for (int i = 0; i < BINS; i++) {
      top = Math.max(top, Math.max(a[i], b[i]));
    }
    h.append("<svg viewBox=\"0 0 ")
        .append(W)
        .append(' ')
        .append(H + 16)
        .append("\" role=\"img\"><path class=\"ref\" d=\"")
        .append(steps(a, top, true))
        .append("\"/><path class=\"cur\" d=\"")
        .append(steps(b, top, false))
        .append("\"/>")
        .append("<text x=\"0\" y=\"")
        .append(H + 13)
        .append("\">")
        .append(esc(format(lo)))
        .append("</text><text x=\"")
        .append(W)
        .append("\" y=\"")
        .append(H + 13)
        .append("\" text-anchor=\"end\">")
        .append(esc(format(hi)))
        .append("</text></svg>");
  }

  private static String steps(double[] share, double top, boolean closed) {
    StringBuilder p = new StringBuilder();
    double bw = (double) W / share.length;
    p.append("M0 ").append(H);
    for (int i = 0; i < share.length; i++) {
      double y = H - (top == 0 ? 0 : share[i] / top * (H - 4));
      p.append(String.format(Locale.ROOT, " L%.1f %.1f L%.1f %.1f", i * bw, y, (i + 1) * bw, y));
    }
    p.append(" L").append(W).append(' ').append(H);
    if (closed) {
      p.append(" Z");
    }
    return p.toString();
  }

  private static void labelChart(StringBuilder h, ColumnProfile r, ColumnProfile now) {
    Map<String, Long> rf = r.frequent();
    Map<String, Long> cf = now.frequent();
    Set<String> cats = new LinkedHashSet<>();
    cf.keySet().stream().limit(8).forEach(cats::add);
    rf.keySet().stream().limit(8).forEach(cats::add);
    List<String> shown = new ArrayList<>(cats).subList(0, Math.min(10, cats.size()));
    int rowH = 18;
    int height = Math.max(rowH, shown.size() * rowH);
    h.append("<svg viewBox=\"0 0 ").append(W).append(' ').append(height).append("\" role=\"img\">");
    int y = 0;
    for (String c : shown) {
      double a = rf.getOrDefault(c, 0L) / (double) r.valid();
      double b = cf.getOrDefault(c, 0L) / (double) now.valid();
      h.append("<text x=\"0\" y=\"")
          .append(y + 12)
          .append("\">")
          .append(esc(shorten(c)))
          .append("</text>");
      h.append(
          String.format(
              Locale.ROOT,
              "<rect class=\"ref\" x=\"110\" y=\"%d\" width=\"%.1f\" height=\"7\"/>"
                  + "<rect class=\"cur\" x=\"110\" y=\"%d\" width=\"%.1f\" height=\"7\"/>",
              y + 2,
              a * (W - 150),
              y + 9,
              b * (W - 150)));
      h.append("<text x=\"")
          .append(W)
          .append("\" y=\"")
          .append(y + 12)
          .append("\" text-anchor=\"end\">")
          .append(esc(format(b)))
          .append("</text>");
      y += rowH;
    }
    h.append("</svg>");
  }

  private static void trend(StringBuilder h, String col, List<TrendPoint> points) {
    if (points.isEmpty()) {
      return;
    }
    double top = 0;
    for (TrendPoint p : points) {
      top = Math.max(top, Double.isNaN(p.value()) ? 0 : p.value());
    }
    top = top == 0 ? 1 : top;
    int w = 200;
    int ht = 48;
    h.append("<figure class=\"trend\" data-column=\"")
        .append(esc(col))
        .append("\"><figcaption>")
        .append(esc(col))
        .append("</figcaption><svg viewBox=\"0 0 ")
        .append(w)
        .append(' ')
        .append(ht + 14)
        .append("\" role=\"img\"><polyline points=\"");
    double step = points.size() == 1 ? 0 : (double) (w - 8) / (points.size() - 1);
    for (int i = 0; i < points.size(); i++) {
      double v = Double.isNaN(points.get(i).value()) ? 0 : points.get(i).value();
      h.append(String.format(Locale.ROOT, "%.1f,%.1f ", 4 + i * step, ht - v / top * (ht - 6)));
    }
    h.append("\"/>");
    for (int i = 0; i < points.size(); i++) {
      TrendPoint p = points.get(i);
      double v = Double.isNaN(p.value()) ? 0 : p.value();
      h.append(
          String.format(
              Locale.ROOT,
              "<circle class=\"s-%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\">"
                  + "<title>%s: %s</title></circle>",
              p.status().label(),
              4 + i * step,
              ht - v / top * (ht - 6),
              esc(p.run()),
              esc(format(p.value()))));
    }
    TrendPoint last = points.get(points.size() - 1);
    h.append("<text x=\"0\" y=\"")
        .append(ht + 12)
        .append("\">")
        .append(esc(points.get(0).run()))
        .append("</text><text x=\"")
        .append(w)
        .append("\" y=\"")
        .append(ht + 12)
        .append("\" text-anchor=\"end\">")
        .append(esc(last.run()))
        .append(": ")
        .append(esc(format(last.value())))
        .append("</text></svg></figure>");
  }

  private static String shorten(String s) {
    return s.length() <= 16 ? s : s.substring(0, 15) + "…";
  }

  private static String label(String metric) {
    for (String[][] t : new String[][][] {NUMBER_COLUMNS, LABEL_COLUMNS}) {
      for (String[] m : t) {
        if (m[0].equals(metric)) {
          return m[1];
        }
      }
    }
    return metric;
  }

  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  private static final String CSS =
      "body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1200px}"
          + "h1{font-size:20px}h2{font-size:17px;margin-top:28px}h3{font-size:15px}"
          + "table{border-collapse:collapse;margin:8px 0}th,td{padding:3px 8px;border-bottom:1px solid #ddd;"
          + "text-align:left;font-variant-numeric:tabular-nums;white-space:nowrap}td.why{white-space:normal}td[data-metric]{text-align:right}"
          + ".summary th{font-weight:600;padding-right:16px}td.why{color:#555;font-size:12px}"
          + ".s-ok{color:#1a7f37}.s-warn{color:#9a6700;font-weight:600}.s-drift{color:#cf222e;"
          + "font-weight:700}circle.s-ok{fill:#1a7f37}circle.s-warn{fill:#bf8700}circle.s-drift{fill:#cf222e}"
          + ".charts{display:flex;flex-wrap:wrap;gap:16px}figure{margin:0;width:320px}"
          + "figcaption{font-weight:600;margin-bottom:4px}svg{width:100%;height:auto;font-size:10px}"
          + "path.ref,rect.ref{fill:#c8d1dc;stroke:#8c959f}path.cur{fill:none;stroke:#0969da;"
          + "stroke-width:2}rect.cur{fill:#0969da}polyline{fill:none;stroke:#57606a;stroke-width:1.5}"
          + "figure.trend{width:200px}.legend span{margin-right:12px;font-size:12px}"
          + ".legend .ref:before{content:'';display:inline-block;width:10px;height:10px;"
          + "background:#c8d1dc;margin-right:4px}.legend .cur:before{content:'';display:inline-block;"
          + "width:10px;height:10px;background:#0969da;margin-right:4px}"
          + "table.confusion td{text-align:right}td.agree{font-weight:600;background:#eef6ee}"
          + "caption{text-align:left;font-weight:600;padding:4px 0;white-space:nowrap}";
}
