package io.batchscore.core.spec;

import java.util.Locale;

/** Post-processing applied to a model output before it becomes a column. */
public enum Transform {
  /** The output as it is: a scalar, an array per row, or a map per row (ZipMap). */
  NONE,
  /** Softmax over each row's values: {@code array<float>}. */
  SOFTMAX,
  /** Index (or map key, or label name) of each row's largest value. */
  ARGMAX,
  /** The {@code k} largest classes per row, best first (labels or indices). */
  TOP_K,
  /** One class's probability per row: {@code float}. */
  POSITIVE_CLASS,
  /** Mean of token vectors [N, seq, H] over the attention mask: {@code array<float>[H]}. */
  MEAN_POOLING,
  /** The first token's vector ([CLS]) of [N, seq, H]: {@code array<float>[H]}. */
  CLS_POOLING;

  public static Transform parse(String s) {
    String n = s.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    if (n.equals("TOPK")) {
      return TOP_K;
    }
    return Transform.valueOf(n);
  }

  public String specName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
