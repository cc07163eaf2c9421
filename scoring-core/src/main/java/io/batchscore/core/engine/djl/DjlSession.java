package io.batchscore.core.engine.djl;

import ai.djl.Model;
import io.batchscore.core.engine.EngineSession;
import io.batchscore.core.engine.Runner;
import io.batchscore.core.model.ModelSignature;

/** A DJL model shared by all threads; each thread runs through its own predictor. */
final class DjlSession implements EngineSession {
  private final Model model;
  private final ModelSignature signature;
  private final String name;
  private final String device;
  private final java.util.Map<String, Object[]> mapKeys;
  private final Runnable onClose;

  DjlSession(
      Model model,
      ModelSignature signature,
      String name,
      String device,
      java.util.Map<String, Object[]> mapKeys,
      Runnable onClose) {
    this.mapKeys = mapKeys;
    this.onClose = onClose;
    this.model = model;
    this.signature = signature;
    this.name = name;
    this.device = device;
  }

  Model model() {
    return model;
  }

  String name() {
    return name;
  }

  /** The class keys of a ZipMap output, in the column order of the tensor DJL returns, or null. */
  Object[] mapKeys(String output) {
    return mapKeys.get(output);
  }

  @Override
  public ModelSignature signature() {
    return signature;
  }

  @Override
  public String device() {
    return device;
  }

  @Override
  public String engineDescription() {
    return "djl " + ai.djl.engine.Engine.getDjlVersion() + " (OnnxRuntime)";
  }

  @Override
  public Runner newRunner() {
    return new DjlRunner(this);
  }

  @Override
  public void close() {
    model.close();
    onClose.run();
  }
}
