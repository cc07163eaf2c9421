package io.batchscore.spark.job;

/**
 * The options do not fit what the run found (a table to create without a format, a catalog that is
 * not configured); exit code 2, as a usage error found while parsing.
 */
public class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }
}
