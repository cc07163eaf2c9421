package io.batchscore.core.engine;

/** Lookup of optional engines. */
final class Engines {
  private Engines() {}

  static Engine djl() {
    try {
      Class.forName("ai.djl.Model", false, Engines.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new UnsupportedOperationException(
          "engine 'djl' needs DJL (ai.djl:api, ai.djl.onnxruntime:onnxruntime-engine) on the classpath");
    }
    return io.batchscore.core.engine.djl.DjlEngine.INSTANCE;
  }
}
