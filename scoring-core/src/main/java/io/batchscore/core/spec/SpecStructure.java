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
    return p;
  }
}
