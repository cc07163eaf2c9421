package io.batchscore.core.spec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What is wrong with a spec on its own, before any model or input is seen: sizes, names,
 * duplicates. {@link ScoringSpec.Builder#build()} runs these; everything that needs the model or
 * the input's schema is checked when the spec is bound ({@code ScoringPlan.bind}).
 */
final class SpecStructure {
  private SpecStructure() {}

  /** Problems that can be seen without the model: sizes, names, duplicates. */
  static List<Problem> check(ScoringSpec s) {
    List<Problem> p = new ArrayList<>();
    if (s.modelPath() == null || s.modelPath().isBlank()) {
      p.add(new Problem("model.path", "missing: the model's file path or URI"));
    }
    if (s.batchSize() < 1) {
      p.add(new Problem("batchSize", "must be at least 1, got " + s.batchSize()));
    }
    SessionConfig c = s.session();
    if (c.intraOpThreads() != null && c.intraOpThreads() < 1) {
      p.add(new Problem("session.intraOpThreads", "must be at least 1"));
    }
    if (c.interOpThreads() < 1) {
      p.add(new Problem("session.interOpThreads", "must be at least 1"));
    }
    if (s.inputs().isEmpty() && s.text() == null) {
      p.add(new Problem("inputs", "at least one input binding is needed"));
    }
    if (s.text() != null) {
      if (s.text().column().isBlank()) {
        p.add(new Problem("text.column", "missing: the text column"));
      }
      if (s.text().tokenizer().isBlank()) {
        p.add(new Problem("text.tokenizer", "missing: the path of the model's tokenizer.json"));
      }
      if (s.text().maxLength() != TextConfig.FROM_TOKENIZER && s.text().maxLength() < 2) {
        p.add(new Problem("text.maxLength", "must be at least 2 (the special tokens count)"));
      }
    }
    if (s.outputs().isEmpty()) {
      p.add(new Problem("outputs", "at least one output binding is needed"));
    }
    Set<String> seenInputs = new HashSet<>();
    for (int i = 0; i < s.inputs().size(); i++) {
      InputBinding b = s.inputs().get(i);
      if (!b.input().isEmpty() && !seenInputs.add(b.input())) {
        p.add(
            new Problem("inputs[" + i + "].input", "model input '" + b.input() + "' bound twice"));
      }
      for (int j = 0; j < b.columns().size(); j++) {
        if (b.columns().get(j).isBlank()) {
          p.add(new Problem("inputs[" + i + "].columns[" + j + "]", "empty column name"));
        }
      }
      if (b.shape() != null) {
        for (int d : b.shape()) {
          if (d < 1) {
            p.add(new Problem("inputs[" + i + "].shape", "dimensions must be at least 1"));
            break;
          }
        }
      }
    }
    Set<String> columns = new HashSet<>(s.passthrough());
    if (columns.size() != s.passthrough().size()) {
      p.add(new Problem("passthrough", "a column is listed twice"));
    }
    for (int i = 0; i < s.outputs().size(); i++) {
      OutputBinding o = s.outputs().get(i);
      String at = "outputs[" + i + "]";
      for (String col :
          o.scoresColumn() == null ? List.of(o.column()) : List.of(o.column(), o.scoresColumn())) {
        if (col.isBlank()) {
          continue;
        }
        if (!columns.add(col)) {
          p.add(
              new Problem(
                  at + ".column",
                  "column '" + col + "' is written twice (by another output or passthrough)"));
        }
      }
      if (o.transform() == Transform.TOP_K && o.k() < 1) {
        p.add(new Problem(at + ".k", "top_k needs k of at least 1"));
      }
      if (o.transform() != Transform.TOP_K && o.scoresColumn() != null) {
        p.add(new Problem(at + ".scoresColumn", "only top_k writes a scores column"));
      }
    }
    checkChallengers(s, columns, p);
    return p;
  }

  /** The written columns of a binding list: each output's column and top_k's scores column. */
  static List<String> writtenColumns(List<OutputBinding> outputs) {
    List<String> out = new ArrayList<>();
    for (OutputBinding o : outputs) {
      out.add(o.column());
      if (o.scoresColumn() != null) {
        out.add(o.scoresColumn());
      }
    }
    return out;
  }

  /**
   * Challengers: unique names, canary shares in [0, 1] that add up to at most 1 and one key column,
   * canaries publishing the champion's columns, and no column written twice.
   *
   * @param written the champion's and passthrough columns
   */
  private static void checkChallengers(ScoringSpec s, Set<String> written, List<Problem> p) {
    Set<String> names = new HashSet<>();
    names.add(s.name());
    double canaryShare = 0;
    String key = null;
    List<String> champion = writtenColumns(s.outputs());
    Set<String> all = new HashSet<>(written);
    all.add(Challenger.SERVED_BY);
    for (int i = 0; i < s.challengers().size(); i++) {
      Challenger c = s.challengers().get(i);
      String at = "challengers[" + i + "]";
      if (!c.name().matches("[A-Za-z0-9_.-]+")) {
        p.add(
            new Problem(
                at + ".name",
                "'"
                    + c.name()
                    + "' may hold only letters, digits, '_', '.' and '-' (it names columns,"
                    + " folders and report sections)"));
      }
      if (!names.add(c.name())) {
        p.add(
            new Problem(
                at + ".name",
                "'"
                    + c.name()
                    + "' names another model of this spec; each model needs its own name"));
      }
      List<String> cols = writtenColumns(c.spec().outputs());
      if (c.mode() == Challenger.Mode.CANARY) {
        if (!(c.share() >= 0 && c.share() <= 1)) {
          p.add(new Problem(at + ".share", "must be in [0, 1], got " + c.share()));
        } else {
          canaryShare += c.share();
        }
        if (c.key() == null || c.key().isBlank()) {
          p.add(
              new Problem(
                  at + ".key",
                  "missing: the column whose hash picks the canary's rows (an id that is stable"
                      + " across runs)"));
        } else if (key == null) {
          key = c.key();
        } else if (!key.equals(c.key())) {
          p.add(
              new Problem(
                  at + ".key",
                  "'" + c.key() + "' differs from the first canary's key '" + key + "'"));
        }
        if (!new HashSet<>(cols).equals(new HashSet<>(champion))) {
          p.add(
              new Problem(
                  at + ".outputs",
                  "a canary publishes in the champion's columns "
                      + champion
                      + " but writes "
                      + cols
                      + "; use the same column names, or score it as a shadow"));
        }
        if (written.contains(Challenger.SERVED_BY)) {
          p.add(
              new Problem(
                  "passthrough",
                  "'" + Challenger.SERVED_BY + "' is the column a canary spec adds"));
        }
      } else {
        if (c.prefix() == null || c.prefix().isEmpty()) {
          p.add(
              new Problem(
                  at + ".prefix",
                  "a shadow's columns need a prefix to stay apart from the champion's"));
          continue;
        }
        for (String col : cols) {
          if (!all.add(c.publishedName(col))) {
            p.add(
                new Problem(
                    at + ".outputs",
                    "column '"
                        + c.publishedName(col)
                        + "' is written twice (by the champion, passthrough or another model);"
                        + " give this shadow another prefix"));
          }
        }
      }
    }
    if (canaryShare > 1 + 1e-9) {
      p.add(
          new Problem(
              "challengers", "the canaries' shares add up to " + canaryShare + ", above 1"));
    }
  }
}
