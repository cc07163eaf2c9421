package io.batchscore.core.cache;

import io.batchscore.core.engine.EngineSession;

/**
 * A counted reference to a cached session. Close it when done; the session stays open while any
 * handle is open, even if the cache has evicted it.
 */
public final class ModelHandle implements AutoCloseable {
  private final ModelCache.Entry entry;
  private boolean closed;

  ModelHandle(ModelCache.Entry entry) {
    this.entry = entry;
  }

  public EngineSession session() {
    if (closed) {
      throw new IllegalStateException("model handle is closed");
    }
    return entry.session();
  }

  public CacheKey key() {
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
