package io.batchscore.core.spec;

import java.util.Collection;
import java.util.Locale;

/**
 * One thing wrong with a spec: where it is ({@code inputs[0].columns[3]}, {@code model.path}) and
 * what is wrong, with what was expected.
 */
public record Problem(String where, String message) {
  @Override
  public String toString() {
    return where.isEmpty() ? message : where + ": " + message;
  }

  /**
   * The usual ending of a message about a name that is not there: {@code " (did you mean
   * 'mean_radius'?)"} when one of {@code known} is close to {@code name}, else "".
   */
  public static String didYouMean(String name, Collection<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    String n = name.toLowerCase(Locale.ROOT);
    for (String c : known) {
      int d = distance(n, c.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    int allowed = Math.max(2, Math.min(3, name.length() / 3));
    return best != null && bestDistance <= allowed ? " (did you mean '" + best + "'?)" : "";
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
