package io.batchscore.core.model;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A model's inputs and outputs, in the model's order, and its metadata. */
public final class ModelSignature implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Map<String, ValueInfo> inputs;
  private final Map<String, ValueInfo> outputs;
  private final ModelMetadata metadata;

  public ModelSignature(List<ValueInfo> inputs, List<ValueInfo> outputs, ModelMetadata metadata) {
    this.inputs = index(inputs);
    this.outputs = index(outputs);
    this.metadata = metadata;
  }

  private static Map<String, ValueInfo> index(List<ValueInfo> values) {
    Map<String, ValueInfo> m = new LinkedHashMap<>();
    for (ValueInfo v : values) {
      m.put(v.name(), v);
    }
    return Collections.unmodifiableMap(m);
  }

  public Map<String, ValueInfo> inputs() {
    return inputs;
  }

  public Map<String, ValueInfo> outputs() {
    return outputs;
  }

  public ValueInfo input(String name) {
    return inputs.get(name);
  }

  public ValueInfo output(String name) {
    return outputs.get(name);
  }

  public ModelMetadata metadata() {
    return metadata;
  }

  @Override
  public String toString() {
    return "inputs " + inputs.values() + ", outputs " + outputs.values();
  }
}
