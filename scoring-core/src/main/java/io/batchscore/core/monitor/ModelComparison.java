package io.batchscore.core.monitor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.batchscore.core.column.Column;
import io.batchscore.core.column.ColumnBatch;
import io.batchscore.core.column.ElementType;
import io.batchscore.core.spec.Monitoring;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;

/**
 * A challenger's predictions against the champion's, on the same rows: for each column both write,
 * the agreement rate and confusion matrix of labels (whole numbers, text, booleans), the mean, p50,
 * p99 and largest absolute difference of scores (floating point), and the profiles of both sides'
 * predictions, whose drift ({@link #drift}) says how far apart the two distributions are.
 *
 * <p>Built batch by batch where the models score ({@link #add}), merged across tasks ({@link
 * #merge}), bounded in memory: a confusion matrix keeps at most {@value #MAX_LABELS} labels a side
 * (the rest counted as {@value #OTHER}), a difference's quantiles come from a KLL sketch (rank
 * error {@code ~1.3%} at its k of 200, as DataSketches states it).
 */
public final class ModelComparison implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Labels a confusion matrix keeps on each side; the rest are counted under {@link #OTHER}. */
  public static final int MAX_LABELS = 50;

  /** Where a confusion matrix counts labels past the first {@link #MAX_LABELS}. */
  public static final String OTHER = "(other)";

  private final String challenger;
  private final String mode;
  private final double share;
  private final String version;
  private final String sha256;
  private long rows;
  private long served;
  private final Map<String, Labels> labels = new LinkedHashMap<>();
  private final Map<String, Scores> scores = new LinkedHashMap<>();
  private final Profile championProfile;
  private final Profile challengerProfile;

  /** Where this part's batches are profiled; not kept once shipped to be merged. */
  private final transient Profiler championSide;

  private final transient Profiler challengerSide;

  /**
   * @param challenger the challenger's name
   * @param mode {@code shadow} or {@code canary}
   * @param share a canary's share of rows; 0 for a shadow
   * @param version the challenger model's version as written to the output
   * @param sha256 the challenger model's SHA-256
   * @param columns the prediction columns both models write, by the champion's names
   * @param parts the profiles merged into one (see {@link Profiler.Builder#parts})
   */
  public ModelComparison(
      String challenger,
      String mode,
      double share,
      String version,
      String sha256,
      List<String> columns,
      int parts) {
    this.challenger = challenger;
    this.mode = mode;
    this.share = share;
    this.version = version;
    this.sha256 = sha256;
    Profiler.Builder a = Profiler.builder().parts(parts);
    Profiler.Builder b = Profiler.builder().parts(parts);
    for (String c : columns) {
      a.prediction(c);
      b.prediction(c);
    }
    this.championSide = a.build();
    this.challengerSide = b.build();
    this.championProfile = championSide.profile();
    this.challengerProfile = challengerSide.profile();
  }

  /**
   * Adds a batch: the same rows' predictions from the champion and from the challenger, by the
   * champion's column names, and how many of them the challenger served (a canary; 0 for a shadow).
   */
  public void add(ColumnBatch champion, ColumnBatch challenger, int servedRows) {
    int n = champion.rowCount();
    rows += n;
    served += servedRows;
    championSide.addOutputs(champion, null);
    challengerSide.addOutputs(challenger, null);
    for (Map.Entry<String, Column> e : champion.columns().entrySet()) {
      Column theirs = challenger.column(e.getKey());
      Column mine = e.getValue();
      if (theirs == null || !mine.type().isScalar() || !theirs.type().isScalar()) {
        continue;
      }
      ElementType t = mine.type().element();
      if (t == ElementType.FLOAT || t == ElementType.DOUBLE) {
        scores.computeIfAbsent(e.getKey(), k -> new Scores()).add(mine, theirs, n);
      } else {
        labels.computeIfAbsent(e.getKey(), k -> new Labels()).add(mine, theirs, n);
      }
    }
  }

  /** Adds another part's comparison of the same challenger (another task's). */
  public ModelComparison merge(ModelComparison other) {
    rows += other.rows;
    served += other.served;
    championProfile.merge(other.championProfile);
    challengerProfile.merge(other.challengerProfile);
    other.labels.forEach((k, v) -> labels.computeIfAbsent(k, x -> new Labels()).merge(v));
    other.scores.forEach((k, v) -> scores.computeIfAbsent(k, x -> new Scores()).merge(v));
    return this;
  }

  /** The challenger's name. */
  public String name() {
    return challenger;
  }

  /** {@code shadow} or {@code canary}. */
  public String mode() {
    return mode;
  }

  /** The challenger model's version. */
  public String version() {
    return version;
  }

  /** A canary's share of rows; 0 for a shadow. */
  public double share() {
    return share;
  }

  /** The challenger model's SHA-256. */
  public String sha256() {
    return sha256;
  }

  /** Rows both models scored. */
  public long rows() {
    return rows;
  }

  /** Rows whose published predictions came from the challenger (a canary's share). */
  public long servedRows() {
    return served;
  }

  /** The share of rows where a label column agrees, or NaN if not a compared label column. */
  public double agreement(String column) {
    Labels l = labels.get(column);
    return l == null || l.compared == 0 ? Double.NaN : (double) l.agree / l.compared;
  }

  /**
   * The confusion matrix of a label column: champion label -> challenger label -> rows, labels in
   * order; empty if not a compared label column.
   */
  public Map<String, Map<String, Long>> confusion(String column) {
    Labels l = labels.get(column);
    if (l == null) {
      return Map.of();
    }
    Map<String, Map<String, Long>> out = new TreeMap<>();
    l.confusion.forEach((k, v) -> out.put(k, Collections.unmodifiableMap(new TreeMap<>(v))));
    return Collections.unmodifiableMap(out);
  }

  /** The compared label columns, in order. */
  public List<String> labelColumns() {
    return List.copyOf(labels.keySet());
  }

  /** The compared score columns, in order. */
  public List<String> scoreColumns() {
    return List.copyOf(scores.keySet());
  }

  /**
   * The absolute difference of a score column: {@code mean}, {@code p50}, {@code p99}, {@code max};
   * empty if not a compared score column.
   */
  public Map<String, Double> difference(String column) {
    Scores s = scores.get(column);
    if (s == null || s.compared == 0) {
      return Map.of();
    }
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("mean", s.sum / s.compared);
    out.put("p50", s.sketch.getQuantile(0.5));
    out.put("p99", s.sketch.getQuantile(0.99));
    out.put("max", s.max);
    return out;
  }

  /** The profile of the champion's predictions on these rows. */
  public Profile championPredictions() {
    return championProfile;
  }

  /** The profile of the challenger's predictions on these rows. */
  public Profile challengerPredictions() {
    return challengerProfile;
  }

  /** How far the challenger's prediction distributions are from the champion's, per column. */
  public DriftReport drift() {
    return Drift.compare(championPredictions(), challengerPredictions(), Monitoring.DEFAULTS);
  }

  /**
   * As JSON: {@code {name, mode, share, model: {version, sha256}, rows, servedRows, labels:
   * {column: {compared, agreement, confusion}}, scores: {column: {compared, meanAbsDiff,
   * p50AbsDiff, p99AbsDiff, maxAbsDiff}}, drift}} ({@code share} and {@code servedRows} for a
   * canary).
   */
  public String toJson() {
    ObjectMapper json = new ObjectMapper();
    ObjectNode n = json.createObjectNode();
    n.put("name", challenger).put("mode", mode);
    if ("canary".equals(mode)) {
      n.put("share", share);
    }
    n.putObject("model").put("version", version).put("sha256", sha256);
    n.put("rows", rows);
    if ("canary".equals(mode)) {
      n.put("servedRows", served);
    }
    ObjectNode ls = n.putObject("labels");
    for (String c : labels.keySet()) {
      ObjectNode l = ls.putObject(c);
      l.put("compared", labels.get(c).compared);
      l.put("agreement", agreement(c));
      ObjectNode m = l.putObject("confusion");
      confusion(c).forEach((k, v) -> v.forEach(m.putObject(k)::put));
    }
    ObjectNode ss = n.putObject("scores");
    for (String c : scores.keySet()) {
      ObjectNode s = ss.putObject(c);
      s.put("compared", scores.get(c).compared);
      difference(c).forEach((k, v) -> s.put(k + "AbsDiff", v));
    }
    try {
      n.set("drift", json.readTree(drift().toJson()));
      return json.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Agreement and confusion of one label column. */
  private static final class Labels implements Serializable {
    private static final long serialVersionUID = 1L;
    long compared;
    long agree;
    final Map<String, Map<String, Long>> confusion = new LinkedHashMap<>();

    void add(Column mine, Column theirs, int n) {
      for (int i = 0; i < n; i++) {
        if (mine.isNull(i) || theirs.isNull(i)) {
          continue;
        }
        String a = String.valueOf(mine.get(i));
        String b = String.valueOf(theirs.get(i));
        compared++;
        if (a.equals(b)) {
          agree++;
        }
        count(a, b, 1);
      }
    }

    private void count(String a, String b, long k) {
      Map<String, Long> row =
          confusion.containsKey(a) || confusion.size() < MAX_LABELS
              ? confusion.computeIfAbsent(a, x -> new LinkedHashMap<>())
              : confusion.computeIfAbsent(OTHER, x -> new LinkedHashMap<>());
      String col = row.containsKey(b) || row.size() < MAX_LABELS ? b : OTHER;
      row.merge(col, k, Long::sum);
    }

    void merge(Labels o) {
      compared += o.compared;
      agree += o.agree;
      o.confusion.forEach((a, row) -> row.forEach((b, k) -> count(a, b, k)));
    }
  }

  /** The absolute difference of one score column. */
  private static final class Scores implements Serializable {
    private static final long serialVersionUID = 1L;
    long compared;
    double sum;
    double max;
    transient KllDoublesSketch sketch = KllDoublesSketch.newHeapInstance(200);

    void add(Column mine, Column theirs, int n) {
      for (int i = 0; i < n; i++) {
        if (mine.isNull(i) || theirs.isNull(i)) {
          continue;
        }
        double d = Math.abs(mine.getNumber(i) - theirs.getNumber(i));
        if (Double.isNaN(d)) {
          continue;
        }
        compared++;
        sum += d;
        max = Math.max(max, d);
        sketch.update(d);
      }
    }

    void merge(Scores o) {
      compared += o.compared;
      sum += o.sum;
      max = Math.max(max, o.max);
      sketch.merge(o.sketch);
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
      out.defaultWriteObject();
      out.writeObject(sketch.toByteArray());
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      in.defaultReadObject();
      sketch = KllDoublesSketch.heapify(Memory.wrap((byte[]) in.readObject()));
    }
  }
}
