package io.batchscore.core.engine;

import io.batchscore.core.model.ModelSignature;

/**
 * A loaded model on one engine and device. Thread-safe: many {@link Runner}s, one per thread, share
 * it. Owned by the model cache, which closes it.
 */
public interface EngineSession extends AutoCloseable {
  ModelSignature signature();

  /** The device this session actually runs on: {@code cpu} or {@code cuda:N}. */
  String device();

  /** The engine's name and version, for reports. */
  String engineDescription();

  Runner newRunner();

  @Override
  void close();
}
