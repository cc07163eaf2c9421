package io.batchscore.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.batchscore.core.column.ColumnBatch;
import io.batchscore.core.spec.ScoringSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Eight threads through one cached session give exactly the serial results; one load. */
class SharedSessionConcurrencyTest {

  @Test
  void eightThreadsShareOneSessionAndMatchSerialResultsExactly() throws Exception {
    ScoringSpec spec =
        ScoringSpec.load(TestData.sample("specs/fashion_mlp.yaml")).toBuilder()
            .batchSize(64)
            .build();
    ColumnBatch batch =
        TestData.batch(TestData.readCsv(TestData.sample("data/fashion_mnist_1k.csv")));
    ModelCache cache = new ModelCache(4);
    ScorerOptions opts = ScorerOptions.builder().cache(cache).build();

    float[] serial;
    try (BatchScorer s = BatchScorer.open(ScoringPlan.bind(spec, null), opts)) {
      serial = probabilities(s.score(batch));
    }
    CacheStats afterSerial = cache.stats();
    assertEquals(1, afterSerial.loads());

    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<float[]>> results = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      results.add(
          pool.submit(
              () -> {
                start.await();
                try (BatchScorer s = BatchScorer.open(ScoringPlan.bind(spec, null), opts)) {
                  float[] last = null;
                  for (int round = 0; round < 3; round++) {
                    last = probabilities(s.score(batch));
                  }
                  return last;
                }
              }));
    }
    start.countDown();
    for (Future<float[]> f : results) {
      assertArrayEquals(serial, f.get());
    }
    pool.shutdown();
    CacheStats stats = cache.stats();
    assertEquals(1, stats.loads(), "the model is loaded once");
    assertEquals(threads, stats.hits(), "every other open is a hit");
    assertEquals(1, stats.size());
  }

  @Test
  void concurrentFirstOpensLoadOnce() throws Exception {
    ScoringSpec spec = ScoringSpec.load(TestData.sample("specs/breast_cancer.yaml"));
    ModelCache cache = new ModelCache(4);
    ScorerOptions opts = ScorerOptions.builder().cache(cache).build();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<String>> devices = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      devices.add(
          pool.submit(
              () -> {
                start.await();
                try (BatchScorer s = BatchScorer.open(ScoringPlan.bind(spec, null), opts)) {
                  return s.device();
                }
              }));
    }
    start.countDown();
    for (Future<String> f : devices) {
      assertEquals("cpu", f.get());
    }
    pool.shutdown();
    assertEquals(1, cache.stats().loads());
    assertEquals(7, cache.stats().hits());
  }

  private static float[] probabilities(ScoreResult r) {
    return r.columns().column("probabilities").elements().floats().clone();
  }
}
