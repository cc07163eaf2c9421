package io.batchscore.core.model;

/** The spec asked for a device ({@code cuda} or {@code cuda:N}) that this process cannot use. */
public class DeviceUnavailableException extends ModelLoadException {
  private static final long serialVersionUID = 1L;

  public DeviceUnavailableException(String model, String message) {
    super(model, message);
  }

  public DeviceUnavailableException(String model, String message, Throwable cause) {
    super(model, message, cause);
  }
}
