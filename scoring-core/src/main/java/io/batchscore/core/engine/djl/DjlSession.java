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

  DjlSession(Model model, ModelSignature signature, String name, String device) {
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
  }
}
