package io.batchscore.core.monitor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.batchscore.core.column.Column;
import io.batchscore.core.column.ColumnBatch;
import io.batchscore.core.column.ElementType;
import io.batchscore.core.spec.Monitoring;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A challenger's predictions against the champion's, on the same rows: for each column both write,
 * the agreement rate and confusion matrix of labels (whole numbers, text, booleans), the mean, p50,
 * p99 and largest absolute difference of scores (floating point), and the profiles of both sides'
 * predictions, whose drift ({@link #drift}) says how far apart the two distributions are.
 *
 * <p>Built batch by batch where the models score ({@link #add}), merged across tasks ({@link
 * #merge}), bounded in memory: a confusion matrix keeps at most {@value #MAX_LABELS} labels a side
 * (the rest counted as {@value #OTHER}); the absolute differences are profiled as a number column
 * is (mean and max exact, quantiles from the sampled KLL levels with the rank error a profile
 * states, {@link #differences()}).
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
  private final java.util.Set<String> scores = new java.util.LinkedHashSet<>();

  /** The absolute differences of the score columns, profiled as numbers by the column's name. */
  private final Profile differences;

  private final transient Profiler differenceSide;
  private transient double[] scratch;
  private transient boolean[] scratchNulls;
  private final Profile championProfile;
  private final Profile challengerProfile;

  /** Where this part's batches are profiled; not kept once shipped to be merged. */
  /**
   * The challenger's column in the run's profile by the champion's, or null (see the constructor).
   */
  private final Map<String, String> inRun;

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
   * @param inRun where the run's own profile already holds both sides' predictions (a shadow's
   *     columns, when no canary changes the champion's): each compared column's name in it for the
   *     challenger; the comparison then profiles neither side itself and takes them from the run's
   *     profile ({@link #withRunProfile}). Null to profile both sides here.
   */
  public ModelComparison(
      String challenger,
      String mode,
      double share,
      String version,
      String sha256,
      List<String> columns,
      int parts,
      Map<String, String> inRun) {
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
    Profiler.Builder d = Profiler.builder().parts(parts);
    for (String c : columns) {
      d.prediction(c);
    }
    this.inRun = inRun == null ? null : Map.copyOf(inRun);
    this.championSide = inRun == null ? a.build() : null;
    this.challengerSide = inRun == null ? b.build() : null;
    this.differenceSide = d.build();
    this.differences = differenceSide.profile();
    this.championProfile = inRun == null ? championSide.profile() : new Profile();
    this.challengerProfile = inRun == null ? challengerSide.profile() : new Profile();
  }

  /**
   * Adds a batch: the same rows' predictions from the champion and from the challenger, by the
   * champion's column names, and how many of them the challenger served (a canary; 0 for a shadow).
   */
  public void add(ColumnBatch champion, ColumnBatch challenger, int servedRows) {
    int n = champion.rowCount();
    rows += n;
    served += servedRows;
    if (inRun == null) {
      championSide.addOutputs(champion, null);
      challengerSide.addOutputs(challenger, null);
    }
    for (Map.Entry<String, Column> e : champion.columns().entrySet()) {
      Column theirs = challenger.column(e.getKey());
      Column mine = e.getValue();
      if (theirs == null || !mine.type().isScalar() || !theirs.type().isScalar()) {
        continue;
      }
      ElementType t = mine.type().element();
      if (t == ElementType.FLOAT || t == ElementType.DOUBLE) {
        scores.add(e.getKey());
        differenceSide.addOutputs(difference(e.getKey(), mine, theirs, n), null);
      } else {
        labels.computeIfAbsent(e.getKey(), k -> new Labels()).add(mine, theirs, n);
      }
    }
  }

  /** A batch's absolute differences of one score column, as a one-column batch of that name. */
  private ColumnBatch difference(String name, Column mine, Column theirs, int n) {
    if (scratch == null || scratch.length < n) {
      scratch = new double[n];
      scratchNulls = new boolean[n];
    }
    boolean anyNull = false;
    for (int i = 0; i < n; i++) {
      boolean missing = mine.isNull(i) || theirs.isNull(i);
      scratchNulls[i] = missing;
      anyNull |= missing;
      scratch[i] = missing ? 0 : Math.abs(mine.getNumber(i) - theirs.getNumber(i));
    }
    return ColumnBatch.builder(n)
        .add(name, Column.ofDoubles(scratch, anyNull ? scratchNulls : null, n))
        .build();
  }

  /** Adds another part's comparison of the same challenger (another task's). */
  public ModelComparison merge(ModelComparison other) {
    rows += other.rows;
    served += other.served;
    if (inRun == null) {
      championProfile.merge(other.championProfile);
      challengerProfile.merge(other.challengerProfile);
    }
    other.labels.forEach((k, v) -> labels.computeIfAbsent(k, x -> new Labels()).merge(v));
    scores.addAll(other.scores);
    differences.merge(other.differences);
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
    return List.copyOf(scores);
  }

  /**
   * The absolute difference of a score column: {@code mean}, {@code p50}, {@code p99}, {@code max};
   * empty if not a compared score column.
   */
  public Map<String, Double> difference(String column) {
    ColumnProfile p = differences.column(column);
    if (p == null || p.valid() == 0) {
      return Map.of();
    }
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("mean", p.mean());
    out.put("p50", p.quantile(0.5));
    out.put("p99", p.quantile(0.99));
    out.put("max", p.max());
    return out;
  }

  /** The absolute differences of the score columns, one numeric column profile each. */
  public Profile differences() {
    return differences;
  }

  /**
   * Takes both sides' prediction profiles from the run's profile where it holds them (see the
   * constructor's {@code inRun}): call it with the whole run's profile (the job: the merged one)
   * before reading {@link #championPredictions}, {@link #challengerPredictions} or {@link #drift}.
   * Does nothing for a comparison that profiles its sides itself. Returns this.
   */
  public ModelComparison withRunProfile(Profile run) {
    if (inRun != null) {
      inRun.forEach(
          (mine, theirs) -> {
            ColumnProfile a = run.column(mine);
            ColumnProfile b = run.column(theirs);
            if (a != null && b != null) {
              championProfile.put(a.copy());
              challengerProfile.put(b.renamed(mine));
            }
          });
    }
    return this;
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
    for (String c : scores) {
      ObjectNode s = ss.putObject(c);
      s.put("compared", differences.column(c) == null ? 0 : differences.column(c).valid());
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

    /** The distinct labels of each side in the batch, and the pairs' counts, by code. */
    private transient Codes mineCodes;

    private transient Codes theirCodes;
    private transient int[] cells;

    /**
     * Counts a batch: each side's labels are coded by their first appearance in the batch (a scan
     * of at most {@value Codes#LIMIT} values, by reference first), the pairs counted in a dense
     * matrix and folded into the confusion map once per batch; no value is boxed or made text per
     * row. Labels past the limit in one batch are counted one by one.
     */
    void add(Column mine, Column theirs, int n) {
      if (cells == null) {
        mineCodes = new Codes();
        theirCodes = new Codes();
        cells = new int[Codes.LIMIT * Codes.LIMIT];
      }
      mineCodes.reset(mine.type().element());
      theirCodes.reset(theirs.type().element());
      boolean sameKind = mineCodes.text == theirCodes.text;
      for (int i = 0; i < n; i++) {
        if (mine.isNull(i) || theirs.isNull(i)) {
          continue;
        }
        compared++;
        int a = mineCodes.code(mine, i);
        int b = theirCodes.code(theirs, i);
        if (a < 0 || b < 0 || !sameKind) {
          String x = mineCodes.text(mine, i);
          String y = theirCodes.text(theirs, i);
          agree += x.equals(y) ? 1 : 0;
          count(x, y, 1);
          continue;
        }
        if (mineCodes.equal(a, theirCodes, b)) {
          agree++;
        }
        cells[a * Codes.LIMIT + b]++;
      }
      for (int a = 0; a < mineCodes.size; a++) {
        for (int b = 0; b < theirCodes.size; b++) {
          int k = cells[a * Codes.LIMIT + b];
          if (k > 0) {
            count(mineCodes.label(a), theirCodes.label(b), k);
            cells[a * Codes.LIMIT + b] = 0;
          }
        }
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

  /** A batch's distinct labels of one column, as small codes. */
  private static final class Codes {
    static final int LIMIT = 64;
    final long[] numbers = new long[LIMIT];
    final String[] strings = new String[LIMIT];
    int size;
    boolean text;
    ElementType type;

    void reset(ElementType t) {
      type = t;
      text = t == ElementType.STRING;
      java.util.Arrays.fill(strings, 0, size, null);
      size = 0;
    }

    /** The row's code, or -1 when the batch has more than LIMIT distinct labels. */
    int code(Column c, int i) {
      if (text) {
        String v = c.getString(i);
        for (int k = 0; k < size; k++) {
          if (strings[k] == v || strings[k].equals(v)) {
            return k;
          }
        }
        if (size == LIMIT) {
          return -1;
        }
        strings[size] = v;
        return size++;
      }
      long v = number(c, i);
      for (int k = 0; k < size; k++) {
        if (numbers[k] == v) {
          return k;
        }
      }
      if (size == LIMIT) {
        return -1;
      }
      numbers[size] = v;
      return size++;
    }

    private long number(Column c, int i) {
      return switch (type) {
        case INT64 -> c.getLong(i);
        case INT32 -> c.getInt(i);
        case BOOL -> c.getBoolean(i) ? 1 : 0;
        default -> (long) c.getNumber(i);
      };
    }

    boolean equal(int a, Codes other, int b) {
      return text ? strings[a].equals(other.strings[b]) : numbers[a] == other.numbers[b];
    }

    String label(int k) {
      if (text) {
        return strings[k];
      }
      return type == ElementType.BOOL
          ? Boolean.toString(numbers[k] == 1)
          : Long.toString(numbers[k]);
    }

    /** A row's label as text, without coding it. */
    String text(Column c, int i) {
      if (text) {
        return c.getString(i);
      }
      long v = number(c, i);
      return type == ElementType.BOOL ? Boolean.toString(v == 1) : Long.toString(v);
    }
  }
}
