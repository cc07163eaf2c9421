package io.batchscore.core;

import io.batchscore.core.engine.Engine;
import io.batchscore.core.engine.djl.DjlEngine;
import io.batchscore.core.engine.ort.OrtEngine;
import io.batchscore.core.spec.EngineKind;

/**
 * The engines a spec's {@code engine:} value names. The scorer is the one place that knows the
 * implementations; the engine interface does not.
 */
final class Engines {
  private Engines() {}

  /**
   * The engine for a spec's {@code engine:} value.
   *
   * @throws UnsupportedOperationException the engine's library is not on the classpath
   */
  static Engine of(EngineKind kind) {
    switch (kind) {
      case ORT:
        return OrtEngine.INSTANCE;
      case DJL:
        try {
          Class.forName("ai.djl.Model", false, Engines.class.getClassLoader());
        } catch (ClassNotFoundException e) {
          throw new UnsupportedOperationException(
              "engine 'djl' needs DJL (ai.djl:api, ai.djl.onnxruntime:onnxruntime-engine) on the"
                  + " classpath");
        }
        return DjlEngine.INSTANCE;
      default:
        throw new IllegalArgumentException(kind.toString());
    }
  }
}
