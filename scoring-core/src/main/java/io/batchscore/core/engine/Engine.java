package io.batchscore.core.engine;

import io.batchscore.core.model.ModelLoadException;
import java.util.Set;

/** An inference engine that opens sessions. Implementations are found by the scorer's registry. */
public interface Engine {
  /** Opens a session; translates the engine's errors into {@link ModelLoadException}. */
  EngineSession open(SessionRequest request) throws ModelLoadException;

  /** Execution providers this engine can use in this process, such as {@code CPU}, {@code CUDA}. */
  Set<String> availableProviders();
}
