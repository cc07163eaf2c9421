package io.batchscore.spark.job;

import java.util.Locale;

/** The table formats the job writes: their Spark provider names. */
public enum TableFormat {
  ICEBERG,
  DELTA;

  /** {@code iceberg} or {@code delta} (any case); null for anything else. */
  public static TableFormat parse(String s) {
    if (s == null) {
      return null;
    }
    return switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "iceberg" -> ICEBERG;
      case "delta" -> DELTA;
      default -> null;
    };
  }

  /** The provider name Spark knows the format by ({@code USING iceberg}). */
  public String provider() {
    return name().toLowerCase(Locale.ROOT);
  }
}
