package io.batchscore.core.column;

import java.util.HashMap;
import java.util.function.Function;

/**
 * Encodes strings for a writer once each instead of once per row: string predictions are mostly
 * class labels from a small set. Stops remembering after {@value #MAX_REMEMBERED} distinct
 * strings (free-text outputs are then encoded per row, as without it). For one thread.
 *
 * @param <T> the writer's encoded form (Spark's {@code UTF8String}, Parquet's {@code Binary})
 */
public final class EncodedStrings<T> {
  public static final int MAX_REMEMBERED = 4096;
  private final Function<String, T> encode;
  private final HashMap<String, T> seen = new HashMap<>();

  public EncodedStrings(Function<String, T> encode) {
    this.encode = encode;
  }

  public T get(String value) {
    T e = seen.get(value);
    if (e == null) {
      e = encode.apply(value);
      if (seen.size() < MAX_REMEMBERED) {
        seen.put(value, e);
      }
    }
    return e;
  }
}
