package io.batchscore.core;

/** The engine failed while running a batch. The message names the model and the engine's error. */
public class ScoringException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ScoringException(String message, Throwable cause) {
    super(message, cause);
  }

  public ScoringException(String message) {
    super(message);
  }
}
