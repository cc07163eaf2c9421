package io.batchscore.core.spec;

import java.io.Serializable;
import java.util.Locale;

/**
 * The device a spec asks for: {@code auto}, {@code cpu}, {@code cuda} (the GPU the caller was
 * given, or GPU 0) or {@code cuda:N}.
 */
public record DeviceRequest(Kind kind, int deviceId) implements Serializable {
  /** The kinds of request. */
  public enum Kind {
    AUTO,
    CPU,
    CUDA
  }

  /** Device id of a {@code cuda} request that names no GPU: the caller's assigned one is used. */
  public static final int ANY = -1;

  public static final DeviceRequest AUTO = new DeviceRequest(Kind.AUTO, ANY);
  public static final DeviceRequest CPU = new DeviceRequest(Kind.CPU, ANY);

  /** Parses {@code auto}, {@code cpu}, {@code cuda} or {@code cuda:N}. */
  public static DeviceRequest parse(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    switch (s) {
      case "auto":
        return AUTO;
      case "cpu":
        return CPU;
      case "cuda":
      case "gpu":
        return new DeviceRequest(Kind.CUDA, ANY);
      default:
        if (s.startsWith("cuda:")) {
          try {
            int id = Integer.parseInt(s.substring(5));
            if (id >= 0) {
              return new DeviceRequest(Kind.CUDA, id);
            }
          } catch (NumberFormatException e) {
            // fall through to the error below
          }
        }
        throw new IllegalArgumentException(
            "device '" + text + "' is not one of auto, cpu, cuda, cuda:N (N >= 0)");
    }
  }

  @Override
  public String toString() {
    if (kind == Kind.CUDA) {
      return deviceId == ANY ? "cuda" : "cuda:" + deviceId;
    }
    return kind.name().toLowerCase(Locale.ROOT);
  }
}
