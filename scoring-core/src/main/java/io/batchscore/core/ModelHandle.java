package io.batchscore.core;

import io.batchscore.core.engine.EngineSession;

/**
 * A counted reference to a cached session. Close it when done; the session stays open while any
 * handle is open, even if the cache has evicted it.
 */
final class ModelHandle implements AutoCloseable {
  private final ModelCache.Entry entry;
  private final boolean loaded;
  private boolean closed;

  ModelHandle(ModelCache.Entry entry, boolean loaded) {
    this.entry = entry;
    this.loaded = loaded;
  }

  /** True when acquiring this handle loaded the session (a miss), false when it was cached. */
  boolean loaded() {
    return loaded;
  }

  EngineSession session() {
    if (closed) {
      throw new IllegalStateException("model handle is closed");
    }
    return entry.session();
  }

  CacheKey key() {
    return entry.key();
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      entry.release();
    }
  }
}
