package io.batchscore.core.model;

import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** Metadata stored in an ONNX model: producer, graph name, version and custom key-value pairs. */
public record ModelMetadata(
    String producerName,
    String graphName,
    String graphDescription,
    String domain,
    String description,
    long version,
    Map<String, String> custom)
    implements Serializable {

  public ModelMetadata {
    custom = Collections.unmodifiableMap(new TreeMap<>(custom == null ? Map.of() : custom));
  }

  public static ModelMetadata empty() {
    return new ModelMetadata("", "", "", "", "", 0, Map.of());
  }
}
