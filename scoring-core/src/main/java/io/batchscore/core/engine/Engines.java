package io.batchscore.core.engine;

/** Lookup of optional engines. */
final class Engines {
  private Engines() {}

  static Engine djl() {
    throw new UnsupportedOperationException(
        "engine 'djl' is not available in this build yet; use engine: ort");
  }
}
