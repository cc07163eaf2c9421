package io.batchscore.spark.job;

/** What a run does when its run date's partition already exists. */
public enum WriteMode {
  /** Replace exactly that date's partition (the default; re-runs are idempotent). */
  OVERWRITE,
  /** Add this run's rows to the date's partition. */
  APPEND,
  /** Fail with exit code 6 and leave the partition as it is. */
  ERROR_IF_EXISTS;

  /** Parses {@code overwrite}, {@code append}, {@code error-if-exists}. */
  public static WriteMode parse(String s) {
    return WriteMode.valueOf(s.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
  }

  public String optionName() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
