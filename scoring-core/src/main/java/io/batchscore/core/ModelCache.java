package io.batchscore.core;

import io.batchscore.core.engine.EngineSession;
import io.batchscore.core.model.ModelLoadException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-JVM cache of engine sessions: one session per (model SHA-256, engine, device, session
 * options), shared by every thread (every Spark task) in the process.
 *
 * <ul>
 *   <li>Loading is single-flight: threads asking for a key that is loading wait for that load.
 *   <li>Handles are reference-counted; a session is closed when it has been evicted (or the cache
 *       cleared) and its last handle is closed, never while in use.
 *   <li>Bounded, least recently used first: past {@code maxEntries}, idle sessions are evicted.
 *       Sessions in use are not, so the cache may exceed its bound while they are.
 *   <li>The global cache closes every session at JVM exit.
 * </ul>
 *
 * The bound of the global cache is the system property {@code batchscore.cache.maxModels} (default
 * 4).
 */
final class ModelCache {
  private static final Logger LOG = LoggerFactory.getLogger(ModelCache.class);
  private static volatile ModelCache global;

  /** Opens a session for a key; runs outside the cache's lock. */
  @FunctionalInterface
  interface Loader {
    EngineSession load() throws ModelLoadException;
  }

  private final int maxEntries;
  private final LinkedHashMap<CacheKey, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  private long loads;
  private long hits;
  private long evictions;
  private long closes;

  ModelCache(int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be at least 1");
    }
    this.maxEntries = maxEntries;
  }

  /** The process-wide cache, closed at JVM exit. */
  static ModelCache global() {
    ModelCache c = global;
    if (c == null) {
      synchronized (ModelCache.class) {
        c = global;
        if (c == null) {
          int max = Integer.getInteger("batchscore.cache.maxModels", 4);
          ModelCache created = new ModelCache(max);
          Runtime.getRuntime()
              .addShutdownHook(new Thread(created::closeAll, "batchscore-model-cache-close"));
          global = created;
          c = created;
        }
      }
    }
    return c;
  }

  /**
   * A handle to the session for {@code key}, loading it with {@code loader} if no thread has. Each
   * call must be matched by closing the returned handle.
   */
  ModelHandle acquire(CacheKey key, Loader loader) throws ModelLoadException {
    Entry entry;
    boolean mustLoad = false;
    synchronized (this) {
      entry = entries.get(key);
      if (entry == null) {
        entry = new Entry(key);
        entries.put(key, entry);
        mustLoad = true;
      } else {
        hits++;
      }
      entry.refs++;
    }
    if (mustLoad) {
      try {
        EngineSession s = loader.load();
        synchronized (this) {
          loads++;
        }
        entry.future.complete(s);
        LOG.info("loaded model {} on {}", key, s.device());
      } catch (ModelLoadException | RuntimeException | Error e) {
        synchronized (this) {
          entries.remove(key, entry);
          entry.refs--;
        }
        entry.future.completeExceptionally(e);
        throw e;
      }
      evictIdle();
    } else {
      try {
        entry.future.get();
      } catch (InterruptedException e) {
        entry.release();
        Thread.currentThread().interrupt();
        throw new ModelLoadException(key.toString(), "interrupted while the model loaded", e);
      } catch (ExecutionException e) {
        synchronized (this) {
          entry.refs--;
        }
        Throwable c = e.getCause();
        if (c instanceof ModelLoadException m) {
          throw m;
        }
        throw new ModelLoadException(key.toString(), "loading failed: " + c.getMessage(), c);
      }
    }
    return new ModelHandle(entry, mustLoad);
  }

  private void evictIdle() {
    List<Entry> toClose = new ArrayList<>();
    synchronized (this) {
      Iterator<Map.Entry<CacheKey, Entry>> it = entries.entrySet().iterator();
      while (entries.size() > maxEntries && it.hasNext()) {
        Entry e = it.next().getValue();
        if (e.refs == 0 && e.future.isDone()) {
          it.remove();
          evictions++;
          e.evicted = true;
          toClose.add(e);
        }
      }
      if (entries.size() > maxEntries) {
        LOG.warn(
            "model cache holds {} sessions in use, above its bound of {}",
            entries.size(),
            maxEntries);
      }
    }
    toClose.forEach(Entry::closeSession);
  }

  /** Counters since the cache was made. */
  synchronized CacheStats stats() {
    return new CacheStats(loads, hits, evictions, closes, entries.size());
  }

  /** Drops every session; idle ones close now, those in use when their last handle closes. */
  void closeAll() {
    List<Entry> toClose = new ArrayList<>();
    synchronized (this) {
      for (Entry e : entries.values()) {
        e.evicted = true;
        if (e.refs == 0) {
          toClose.add(e);
        }
      }
      entries.clear();
    }
    toClose.forEach(Entry::closeSession);
  }

  /** A cached session and its reference count. Guarded by the cache's lock. */
  final class Entry {
    private final CacheKey key;
    private final CompletableFuture<EngineSession> future = new CompletableFuture<>();
    private int refs;
    private boolean evicted;
    private boolean sessionClosed;

    Entry(CacheKey key) {
      this.key = key;
    }

    CacheKey key() {
      return key;
    }

    EngineSession session() {
      return future.getNow(null);
    }

    void release() {
      boolean close;
      synchronized (ModelCache.this) {
        refs--;
        close = refs == 0 && evicted;
      }
      if (close) {
        closeSession();
      } else {
        evictIdle();
      }
    }

    void closeSession() {
      EngineSession s;
      synchronized (ModelCache.this) {
        if (sessionClosed || !future.isDone() || future.isCompletedExceptionally()) {
          return;
        }
        sessionClosed = true;
        closes++;
        s = future.getNow(null);
      }
      try {
        s.close();
        LOG.debug("closed model {}", key);
      } catch (RuntimeException e) {
        LOG.warn("closing model {} failed: {}", key, e.getMessage());
      }
    }
  }
}
