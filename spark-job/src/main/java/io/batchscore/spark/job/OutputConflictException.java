package io.batchscore.spark.job;

/** The run's output is in the way (mode error-if-exists); exit code 6. */
public class OutputConflictException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public OutputConflictException(String message) {
    super(message);
  }
}
