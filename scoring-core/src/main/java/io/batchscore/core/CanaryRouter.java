package io.batchscore.core;

import io.batchscore.core.column.Column;
import io.batchscore.core.column.ColumnBatch;
import io.batchscore.core.column.ElementType;
import io.batchscore.core.spec.Challenger;
import io.batchscore.core.spec.NullPolicy;
import io.batchscore.core.spec.ScoringSpec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.datasketches.hash.MurmurHash3;

/**
 * Picks the model that serves each row of a spec with canaries: the key's text form (a whole number
 * as its digits, whatever its width) is hashed with MurmurHash3 (x64, 128 bits, seed {@value
 * #SEED}) into a point of [0, 1); the first canary serves the rows whose point is below its share,
 * the next the following share, and the champion the rest. The same key lands on the same model in
 * every run, on every engine and reader, as long as the shares do not change.
 */
final class CanaryRouter {
  /** The hash's seed: fixed, so that a key's bucket never changes between releases. */
  static final long SEED = 0x62617463L;

  private final String key;
  private final NullPolicy nulls;

  /** The champion's prediction columns, which a canary's rows take from the canary. */
  private final java.util.Set<String> published;

  /** Each challenger's share as [from, to); an empty range for a shadow. */
  private final double[] from;

  private final double[] to;

  CanaryRouter(ScoringPlan plan) {
    ScoringSpec spec = plan.spec();
    this.published =
        plan.modelOutputs().stream()
            .map(OutputColumn::name)
            .collect(java.util.stream.Collectors.toUnmodifiableSet());
    List<Challenger> cs = spec.challengers();
    this.from = new double[cs.size()];
    this.to = new double[cs.size()];
    String k = null;
    double at = 0;
    for (int i = 0; i < cs.size(); i++) {
      Challenger c = cs.get(i);
      from[i] = at;
      if (c.mode() == Challenger.Mode.CANARY) {
        k = c.key();
        at += c.share();
      }
      to[i] = at;
    }
    this.key = k;
    this.nulls = spec.nullPolicy();
  }

  /** True when the spec has a canary. */
  static boolean needed(ScoringSpec spec) {
    return spec.challengers().stream().anyMatch(c -> c.mode() == Challenger.Mode.CANARY);
  }

  /** Whether a column is one of the champion's predictions, merged per row by {@link #merge}. */
  boolean publishes(String column) {
    return published.contains(column);
  }

  /** The point of [0, 1) a key value hashes to. */
  static double point(Object value) {
    String text =
        value instanceof Long || value instanceof Integer || value instanceof Short
            ? Long.toString(((Number) value).longValue())
            : String.valueOf(value);
    long h = MurmurHash3.hash(text.getBytes(StandardCharsets.UTF_8), SEED)[0];
    return (h >>> 11) * 0x1.0p-53;
  }

  /**
   * The model serving each scored row: a challenger's index, or -1 for the champion.
   *
   * @throws BadInputException the key column is missing from the batch, or null under {@code nulls:
   *     fail}
   */
  int[] route(ColumnBatch batch, ScoreResult scored) {
    Column k = batch.column(key);
    if (k == null) {
      throw new BadInputException(
          key, -1, null, "the canary key column '" + key + "' is not in the batch");
    }
    int n = scored.rowsScored();
    int[] route = new int[n];
    for (int j = 0; j < n; j++) {
      int row = scored.inputRow(j);
      route[j] = -1;
      if (k.isNull(row)) {
        if (nulls == NullPolicy.FAIL) {
          throw new BadInputException(
              key,
              row,
              null,
              "the canary key is null, so the row cannot be given to a model (nulls: fail);"
                  + " with nulls: skip or fill the champion serves such rows");
        }
        continue;
      }
      double p = point(k.get(row));
      for (int i = 0; i < from.length; i++) {
        if (p >= from[i] && p < to[i]) {
          route[j] = i;
          break;
        }
      }
    }
    return route;
  }

  /**
   * A published column on routed rows: each row's value from the model serving it ({@code mine} the
   * champion's, {@code theirs[i]} challenger i's, null for a shadow).
   */
  static Column merge(Column mine, Column[] theirs, int[] route) {
    int n = mine.size();
    ElementType t = mine.type().element();
    Object values = Column.allocate(t, n);
    boolean[] nulls = null;
    for (int j = 0; j < n; j++) {
      Column src = route[j] < 0 ? mine : theirs[route[j]];
      if (src.isNull(j)) {
        if (nulls == null) {
          nulls = new boolean[n];
        }
        nulls[j] = true;
        continue;
      }
      switch (t) {
        case FLOAT -> ((float[]) values)[j] = src.getFloat(j);
        case DOUBLE -> ((double[]) values)[j] = src.getDouble(j);
        case INT64 -> ((long[]) values)[j] = src.getLong(j);
        case INT32 -> ((int[]) values)[j] = src.getInt(j);
        case BOOL -> ((boolean[]) values)[j] = src.getBoolean(j);
        case STRING -> ((String[]) values)[j] = src.getString(j);
        default -> throw new IllegalStateException("a canary column of " + t);
      }
    }
    return Column.wrap(t, values, nulls, n);
  }
}
