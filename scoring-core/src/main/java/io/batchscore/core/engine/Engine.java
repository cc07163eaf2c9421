package io.batchscore.core.engine;

import io.batchscore.core.ModelLoadException;
import io.batchscore.core.engine.ort.OrtEngine;
import io.batchscore.core.spec.EngineKind;
import java.util.Set;

/** An inference engine that opens sessions. */
public interface Engine {
  /** Opens a session; translates the engine's errors into {@link ModelLoadException}. */
  EngineSession open(SessionRequest request) throws ModelLoadException;

  /** Execution providers this engine can use in this process, such as {@code CPU}, {@code CUDA}. */
  Set<String> availableProviders();

  /** The engine for a spec's {@code engine:} value. */
  static Engine of(EngineKind kind) {
    switch (kind) {
      case ORT:
        return OrtEngine.INSTANCE;
      case DJL:
        return Engines.djl();
      default:
        throw new IllegalArgumentException(kind.toString());
    }
  }
}
