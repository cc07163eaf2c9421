package io.batchscore.core.column;

import java.util.HashMap;
import java.util.function.Function;

/**
 * Encodes strings for a writer once each instead of once per row: string predictions are mostly
 * class labels from a small set. Stops remembering after {@value #MAX_REMEMBERED} distinct strings
 * (free-text outputs are then encoded per row, as without it). For one thread.
 *
 * @param <T> the writer's encoded form (Spark's {@code UTF8String}, Parquet's {@code Binary})
 */
public final class EncodedStrings<T> {
  public static final int MAX_REMEMBERED = 4096;
  private final Function<String, T> encode;
  private final HashMap<String, T> seen = new HashMap<>();

  /**
   * The last few strings by identity: labels from model metadata are the same instances every row.
   */
  private final String[] recentKeys = new String[8];

  private final Object[] recentValues = new Object[8];
  private int next;

  public EncodedStrings(Function<String, T> encode) {
    this.encode = encode;
  }

  @SuppressWarnings("unchecked")
  public T get(String value) {
    for (int i = 0; i < recentKeys.length; i++) {
      if (recentKeys[i] == value && value != null) {
        return (T) recentValues[i];
      }
    }
    T e = seen.get(value);
    if (e == null) {
      e = encode.apply(value);
      if (seen.size() < MAX_REMEMBERED) {
        seen.put(value, e);
      }
    }
    recentKeys[next] = value;
    recentValues[next] = e;
    next = (next + 1) % recentKeys.length;
    return e;
  }
}
