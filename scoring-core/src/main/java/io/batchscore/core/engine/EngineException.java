package io.batchscore.core.engine;

/**
 * An engine failed while running a batch. Runners throw it; the scorer turns it into the library's
 * {@code ScoringException} at the engine boundary, keeping the message, which names the model and
 * the engine's error.
 */
public class EngineException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EngineException(String message, Throwable cause) {
    super(message, cause);
  }

  public EngineException(String message) {
    super(message);
  }
}
