package io.batchscore.core.model;

/**
 * A model could not be loaded: the file is missing or corrupt, the engine refused it, or the device
 * asked for is not available. The message names the model.
 */
public class ModelLoadException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String model;

  public ModelLoadException(String model, String message) {
    super(model + ": " + message);
    this.model = model;
  }

  public ModelLoadException(String model, String message, Throwable cause) {
    super(model + ": " + message, cause);
    this.model = model;
  }

  /** The model's path or name. */
  public String model() {
    return model;
  }
}
