package io.batchscore.core.engine;

import java.util.Map;
import java.util.Set;

/**
 * Runs batches on a shared {@link EngineSession} for one thread. Holds the reusable input and
 * output buffers. Not thread-safe; create one per thread.
 */
public interface Runner extends AutoCloseable {
  /**
   * A host tensor for model input {@code name} with this shape, for the caller to fill before
   * {@link #run}. The same memory is handed out again for the same shape.
   */
  HostTensor input(String name, long[] shape);

  /**
   * Runs the model on the inputs last handed out and returns the named outputs. The values are
   * valid until the next run or close.
   */
  Map<String, OutputValue> run(Set<String> outputs);

  @Override
  void close();
}
