package io.batchscore.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.batchscore.core.engine.EngineSession;
import io.batchscore.core.engine.Runner;
import io.batchscore.core.model.ModelLoadException;
import io.batchscore.core.model.ModelMetadata;
import io.batchscore.core.model.ModelSignature;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Bounds, reference counts and closing of the model cache, with stand-in sessions. */
class ModelCacheTest {

  static final class FakeSession implements EngineSession {
    boolean closed;

    @Override
    public ModelSignature signature() {
      return new ModelSignature(List.of(), List.of(), ModelMetadata.empty());
    }

    @Override
    public String device() {
      return "cpu";
    }

    @Override
    public String engineDescription() {
      return "fake";
    }

    @Override
    public Runner newRunner() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  private static CacheKey key(String sha) {
    return new CacheKey(sha, "ort", "cpu", "x");
  }

  @Test
  void idleSessionsAreEvictedLeastRecentlyUsedFirstAndClosed() throws Exception {
    ModelCache cache = new ModelCache(2);
    FakeSession a = new FakeSession();
    FakeSession b = new FakeSession();
    FakeSession c = new FakeSession();
    cache.acquire(key("a"), () -> a).close();
    cache.acquire(key("b"), () -> b).close();
    cache.acquire(key("a"), () -> new FakeSession()).close(); // a is now most recent
    cache.acquire(key("c"), () -> c).close();
    assertTrue(b.closed, "b was least recently used");
    assertFalse(a.closed);
    assertFalse(c.closed);
    assertEquals(1, cache.stats().evictions());
    assertEquals(3, cache.stats().loads());
    assertEquals(1, cache.stats().hits());
  }

  @Test
  void sessionInUseIsNotClosedUntilItsLastHandleCloses() throws Exception {
    ModelCache cache = new ModelCache(1);
    FakeSession a = new FakeSession();
    ModelHandle h1 = cache.acquire(key("a"), () -> a);
    ModelHandle h2 = cache.acquire(key("a"), () -> new FakeSession());
    assertSame(a, h2.session());
    cache.acquire(key("b"), FakeSession::new).close(); // a is in use: not evicted
    assertFalse(a.closed);
    cache.closeAll();
    h1.close();
    assertFalse(a.closed, "one handle still open");
    h2.close();
    assertTrue(a.closed);
    h2.close(); // closing twice is harmless
    assertEquals(2, cache.stats().closes(), "b (idle, over the bound) and then a");
  }

  @Test
  void failedLoadIsNotCachedAndIsReportedToEveryWaiter() throws Exception {
    ModelCache cache = new ModelCache(2);
    AtomicInteger attempts = new AtomicInteger();
    ModelLoadException e =
        assertThrows(
            ModelLoadException.class,
            () ->
                cache.acquire(
                    key("bad"),
                    () -> {
                      attempts.incrementAndGet();
                      throw new ModelLoadException("bad.onnx", "corrupt");
                    }));
    assertTrue(e.getMessage().contains("corrupt"));
    assertEquals(0, cache.stats().size());
    FakeSession ok = new FakeSession();
    try (ModelHandle h = cache.acquire(key("bad"), () -> ok)) {
      assertSame(ok, h.session());
    }
    assertEquals(1, attempts.get());
  }

  @Test
  void usingAClosedHandleFails() throws Exception {
    ModelCache cache = new ModelCache(2);
    ModelHandle h = cache.acquire(key("a"), FakeSession::new);
    h.close();
    assertThrows(IllegalStateException.class, h::session);
  }
}
