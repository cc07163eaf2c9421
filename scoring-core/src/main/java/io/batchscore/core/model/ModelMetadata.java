package io.batchscore.core.model;

import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Metadata stored in an ONNX model: producer, graph name, version and custom key-value pairs.
 *
 * @param version the model's {@code model_version}, or {@link #NO_VERSION} when the model sets none
 */
public record ModelMetadata(
    String producerName,
    String graphName,
    String graphDescription,
    String domain,
    String description,
    long version,
    Map<String, String> custom)
    implements Serializable {

  /**
   * The version of a model that sets no {@code model_version}. ONNX Runtime reports such a model as
   * version {@code Long.MAX_VALUE}, which is read as this.
   */
  public static final long NO_VERSION = -1;

  public ModelMetadata {
    if (version == Long.MAX_VALUE) {
      version = NO_VERSION; // ONNX Runtime's "not set"
    }
    custom = Collections.unmodifiableMap(new TreeMap<>(custom == null ? Map.of() : custom));
  }

  /** Whether the model sets its {@code model_version}. */
  public boolean hasVersion() {
    return version != NO_VERSION;
  }

  public static ModelMetadata empty() {
    return new ModelMetadata("", "", "", "", "", 0, Map.of());
  }
}
