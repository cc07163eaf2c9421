package io.batchscore.core;

import io.batchscore.core.column.ColumnType;
import io.batchscore.core.column.ElementType;
import io.batchscore.core.column.InputSchema;
import io.batchscore.core.spec.Challenger;
import io.batchscore.core.spec.NullPolicy;
import io.batchscore.core.spec.Problem;
import io.batchscore.core.spec.ScoringSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a challenger must agree on with its champion to share one pass: the element type of each
 * column both read, the rows they keep under the {@code skip} null policy, and, for a canary, the
 * type of each published column and a key column in the input.
 */
final class Challengers {
  private Challengers() {}

  /**
   * Adds the problems of one bound challenger against the bound champion.
   *
   * @param at where the challenger is in the spec, {@code challengers[i].}
   */
  static void check(
      ScoringSpec champion,
      Map<String, ElementType> championFeatures,
      List<OutputColumn> championOutputs,
      Challenger c,
      ScoringPlan plan,
      InputSchema schema,
      String at,
      List<Problem> problems) {
    for (Map.Entry<String, ElementType> e : plan.featureColumns().entrySet()) {
      ElementType mine = championFeatures.get(e.getKey());
      if (mine != null && mine != e.getValue()) {
        problems.add(
            new Problem(
                at + "inputs",
                "column '"
                    + e.getKey()
                    + "' feeds this model as "
                    + e.getValue()
                    + " but the champion as "
                    + mine
                    + "; one pass reads a column once, as one type"));
      }
    }
    if (champion.nullPolicy() == NullPolicy.SKIP
        && !new HashSet<>(plan.featureColumns().keySet()).equals(championFeatures.keySet())) {
      problems.add(
          new Problem(
              at + "inputs",
              "under nulls: skip every model must read the same columns, so that they skip the"
                  + " same rows; this one reads "
                  + plan.featureColumns().keySet()
                  + ", the champion "
                  + championFeatures.keySet()));
    }
    if (c.mode() != Challenger.Mode.CANARY) {
      return;
    }
    for (OutputColumn mine : championOutputs) {
      OutputColumn theirs =
          plan.modelOutputs().stream()
              .filter(o -> o.name().equals(mine.name()))
              .findFirst()
              .orElse(null);
      if (theirs == null) {
        continue; // reported by the spec's structure check
      }
      if (!mine.type().isScalar()) {
        problems.add(
            new Problem(
                at + "outputs",
                "column '"
                    + mine.name()
                    + "' holds "
                    + mine.type()
                    + "; a canary publishes single values (numbers, labels), score this model as"
                    + " a shadow"));
      } else if (!Objects.equals(mine.type(), theirs.type())) {
        problems.add(
            new Problem(
                at + "outputs",
                "column '"
                    + mine.name()
                    + "' holds "
                    + theirs.type()
                    + " from this model but "
                    + mine.type()
                    + " from the champion; a canary publishes in the champion's types"));
      }
    }
    if (schema != null) {
      ColumnType key = schema.type(c.key());
      if (key == null) {
        problems.add(
            new Problem(
                at + "key",
                "column '"
                    + c.key()
                    + "' is not in the input"
                    + Problem.didYouMean(c.key(), schema.names())));
      } else if (!key.isScalar()) {
        problems.add(
            new Problem(
                at + "key",
                "column '" + c.key() + "' holds " + key + "; a key is a number or text"));
      }
    }
  }
}
