package io.batchscore.core;

/**
 * What makes two sessions interchangeable: the model's bytes, the engine, the device and the
 * session options.
 */
record CacheKey(String sha256, String engine, String device, String sessionOptions) {
  @Override
  public String toString() {
    return sha256.substring(0, Math.min(12, sha256.length()))
        + "/"
        + engine
        + "/"
        + device
        + "/"
        + sessionOptions;
  }
}
