package io.batchscore.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.batchscore.core.column.Column;
import io.batchscore.core.column.ColumnBatch;
import io.batchscore.core.spec.EngineKind;
import io.batchscore.core.spec.NullPolicy;
import io.batchscore.core.spec.ScoringSpec;
import io.batchscore.core.spec.SpecException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A scorer with {@code concurrency} above 1 runs a call's chunks at once and must give exactly what
 * one chunk at a time gives: the same rows in the same order, the same values, the same rejected
 * rows, the same first error.
 */
class ConcurrentChunksTest {
  private final ModelCache cache = new ModelCache(8);

  private ScorerOptions opts(int concurrency) {
    return ScorerOptions.builder().cache(cache).cpuShare(2).concurrency(concurrency).build();
  }

  private static ScoringSpec spec(String name, int batchSize) throws SpecException {
    return ScoringSpec.load(TestData.sample("specs/" + name)).toBuilder()
        .batchSize(batchSize)
        .build();
  }

  private static ColumnBatch csv(String name) {
    return TestData.batch(TestData.readCsv(TestData.sample("data/" + name)));
  }

  private ScoreResult score(ScoringSpec spec, ColumnBatch batch, int concurrency) throws Exception {
    try (BatchScorer s = BatchScorer.open(ScoringPlan.bind(spec, null), opts(concurrency))) {
      return s.score(batch);
    }
  }

  /** Every column, every row, compared by value. */
  private static void assertSameResult(ScoreResult expected, ScoreResult actual) {
    assertEquals(expected.rowsIn(), actual.rowsIn());
    assertEquals(expected.rowsScored(), actual.rowsScored());
    assertEquals(expected.rejections().toString(), actual.rejections().toString());
    Map<String, Column> want = expected.columns().columns();
    Map<String, Column> got = actual.columns().columns();
    assertEquals(want.keySet(), got.keySet());
    for (String name : want.keySet()) {
      for (int r = 0; r < expected.rowsScored(); r++) {
        assertEquals(
            String.valueOf(want.get(name).get(r)),
            String.valueOf(got.get(name).get(r)),
            "column '" + name + "' row " + r);
      }
    }
  }

  @Test
  void concurrentChunksGiveExactlyTheSerialResultsForEveryKindOfOutput() throws Exception {
    // 569 rows in chunks of 16: 36 chunks, the last one short. The logistic regression writes a
    // label, a positive class and an argmax; the forest a ZipMap map column and top_k with scores.
    for (String[] c :
        new String[][] {
          {"breast_cancer.yaml", "breast_cancer.csv"}, {"wine_forest.yaml", "wine.csv"}
        }) {
      ScoringSpec spec = spec(c[0], 16);
      ColumnBatch batch = csv(c[1]);
      ScoreResult serial = score(spec, batch, 1);
      for (int concurrency : new int[] {2, 3, 8}) {
        assertSameResult(serial, score(spec, batch, concurrency));
      }
    }
  }

  @Test
  void fixedWidthArrayOutputsArePlacedByRowAndVariableOnesAppendedInOrder() throws Exception {
    // output_probability [N, 2] as an array column: its width is in the signature, so lanes
    // write their rows in place, and the result is exactly one chunk at a time's.
    ScoringSpec spec =
        spec("breast_cancer.yaml", 16).toBuilder()
            .output(io.batchscore.core.spec.OutputBinding.of("output_probability", "probs"))
            .build();
    ColumnBatch batch = csv("breast_cancer.csv");
    ScoreResult serial = score(spec, batch, 1);
    assertEquals("array<float>[2]", serial.columns().column("probs").type().toString());
    for (int concurrency : new int[] {2, 3}) {
      assertSameResult(serial, score(spec, batch, concurrency));
    }
  }

  @Test
  void djlEngineRunsConcurrentChunksWithTheSameResults() throws Exception {
    ScoringSpec spec = spec("breast_cancer.yaml", 16).toBuilder().engine(EngineKind.DJL).build();
    ColumnBatch batch = csv("breast_cancer.csv");
    ScoreResult serial = score(spec, batch, 1);
    assertSameResult(serial, score(spec, batch, 3));
  }

  @Test
  void aScorerRunsManyConcurrentCallsInARowWithTheSameResults() throws Exception {
    ScoringSpec spec = spec("fashion_mlp.yaml", 32);
    ColumnBatch batch = csv("fashion_mnist_1k.csv");
    ScoreResult serial = score(spec, batch, 1);
    try (BatchScorer s = BatchScorer.open(ScoringPlan.bind(spec, null), opts(2))) {
      for (int round = 0; round < 5; round++) {
        assertSameResult(serial, s.score(batch));
      }
    }
  }

  @Test
  void nanInALaterChunkUnderFailIsNamedWithItsRow() throws Exception {
    ColumnBatch b = csv("breast_cancer.csv");
    float[] v = (b.column("worst_area")).floats().clone();
    v[450] = Float.NaN;
    ColumnBatch bad = replace(b, "worst_area", Column.ofFloats(v));
    try (BatchScorer s =
        BatchScorer.open(ScoringPlan.bind(spec("breast_cancer.yaml", 16), null), opts(2))) {
      BadInputException e = assertThrows(BadInputException.class, () -> s.score(bad));
      assertEquals(450, e.row());
      assertTrue(e.getMessage().contains("column 'worst_area' row 450 is NaN"), e.getMessage());
      assertEquals(569, s.score(b).rowsScored(), "the scorer still scores clean batches");
    }
  }

  @Test
  void skipPolicyLeavesOutTheSameRowsAsOneChunkAtATime() throws Exception {
    ColumnBatch b = csv("breast_cancer.csv");
    float[] v = (b.column("worst_area")).floats().clone();
    v[20] = Float.NaN;
    v[300] = Float.NaN;
    v[568] = Float.NaN;
    ColumnBatch bad = replace(b, "worst_area", Column.ofFloats(v));
    ScoringSpec spec =
        spec("breast_cancer.yaml", 16).toBuilder().nullPolicy(NullPolicy.SKIP).build();
    ScoreResult serial = score(spec, bad, 1);
    ScoreResult concurrent = score(spec, bad, 3);
    assertEquals(566, concurrent.rowsScored());
    assertSameResult(serial, concurrent);
  }

  @Test
  void theEarliestBadRowIsReportedWhenChunksFailAtOnce() throws Exception {
    // Rows 37 and 900 hold 783 pixels; with chunks of 32 on three threads both chunks may fail
    // at once: the error must name row 37, as one chunk at a time would.
    int rows = 1000;
    int[] offsets = new int[rows + 1];
    for (int r = 0; r < rows; r++) {
      offsets[r + 1] = offsets[r] + (r == 37 || r == 900 ? 783 : 784);
    }
    ColumnBatch batch =
        ColumnBatch.builder(rows)
            .add(
                "pixels",
                Column.ofArrays(offsets, Column.ofFloats(new float[offsets[rows]]), null, rows))
            .build();
    ScoringSpec spec = spec("fashion_mlp_pixels.yaml", 32);
    String serial;
    try (BatchScorer s = BatchScorer.open(ScoringPlan.bind(spec, null), opts(1))) {
      serial = assertThrows(BadInputException.class, () -> s.score(batch)).getMessage();
    }
    assertTrue(serial.contains("row 37"), serial);
    for (int round = 0; round < 5; round++) {
      try (BatchScorer s = BatchScorer.open(ScoringPlan.bind(spec, null), opts(3))) {
        assertEquals(
            serial, assertThrows(BadInputException.class, () -> s.score(batch)).getMessage());
      }
    }
  }

  @Test
  void closingTheScorerStopsItsThreads() throws Exception {
    try (BatchScorer s =
        BatchScorer.open(ScoringPlan.bind(spec("breast_cancer.yaml", 16), null), opts(3))) {
      s.score(csv("breast_cancer.csv"));
      assertTrue(laneThreads() >= 2, "two helper threads ran chunks");
    }
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (laneThreads() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(0, laneThreads(), "no helper thread outlives its scorer");
  }

  @Test
  void oneChunkRunsOnTheCallingThreadAlone() throws Exception {
    try (BatchScorer s =
        BatchScorer.open(ScoringPlan.bind(spec("breast_cancer.yaml", 4096), null), opts(2))) {
      assertEquals(569, s.score(csv("breast_cancer.csv")).rowsScored());
      assertFalse(laneThreads() > 0, "a call with one chunk starts no thread");
    }
  }

  @Test
  void concurrencySplitsTheCpuShareIntoIntraOpThreads() throws Exception {
    // cpuShare 4 at concurrency 2: sessions with 2 intra-op threads, a different cached session
    // from cpuShare 4 at concurrency 1 (4 threads), and the same one as cpuShare 2 alone.
    ModelCache own = new ModelCache(4);
    ScoringSpec spec = spec("breast_cancer.yaml", 64);
    try (BatchScorer a =
            BatchScorer.open(
                ScoringPlan.bind(spec, null),
                ScorerOptions.builder().cache(own).cpuShare(4).concurrency(2).build());
        BatchScorer b =
            BatchScorer.open(
                ScoringPlan.bind(spec, null),
                ScorerOptions.builder().cache(own).cpuShare(2).build())) {
      assertEquals(
          1,
          own.stats().loads(),
          "4 cores / 2 batches at once = 2 intra-op threads, as cpuShare 2");
      assertArrayEquals(
          probabilities(a.score(csv("breast_cancer.csv"))),
          probabilities(b.score(csv("breast_cancer.csv"))));
    }
    try (BatchScorer c =
        BatchScorer.open(
            ScoringPlan.bind(spec, null), ScorerOptions.builder().cache(own).cpuShare(4).build())) {
      assertEquals(2, own.stats().loads(), "4 intra-op threads is another session");
    }
  }

  @Test
  void concurrencyBelowOneIsRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ScorerOptions.builder().concurrency(0));
    assertTrue(e.getMessage().contains("concurrency must be at least 1"), e.getMessage());
  }

  private static float[] probabilities(ScoreResult r) {
    return (r.columns().column("p_benign")).floats();
  }

  private static long laneThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("batchscore-lane-"))
        .count();
  }

  private static ColumnBatch replace(ColumnBatch b, String name, Column c) {
    ColumnBatch.Builder out = ColumnBatch.builder(b.rowCount());
    b.columns().forEach((n, col) -> out.add(n, n.equals(name) ? c : col));
    return out.build();
  }
}
