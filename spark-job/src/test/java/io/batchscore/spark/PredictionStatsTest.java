package io.batchscore.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.batchscore.core.column.Column;
import io.batchscore.core.column.ColumnBatch;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PredictionStatsTest {
  private static final List<String> NUM = List.of("p");
  private static final List<String> LAB = List.of("label");

  private static ColumnBatch batch(double[] p, String[] label) {
    return ColumnBatch.builder(p.length)
        .add("p", Column.ofDoubles(p))
        .add("label", Column.ofStrings(label))
        .build();
  }

  private static PredictionStats roundTrip(PredictionStats s) throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (ObjectOutputStream o = new ObjectOutputStream(b)) {
      o.writeObject(s);
    }
    try (ObjectInputStream i = new ObjectInputStream(new ByteArrayInputStream(b.toByteArray()))) {
      return (PredictionStats) i.readObject();
    }
  }

  @Test
  void statisticsMergedAcrossTasksEqualThoseOfAllRowsAtOnce() throws Exception {
    Random r = new Random(3);
    int n = 50_000;
    double[] p = new double[n];
    String[] label = new String[n];
    for (int i = 0; i < n; i++) {
      p[i] = r.nextGaussian() * 3 + 10;
      label[i] = p[i] > 12 ? "high" : p[i] > 8 ? "mid" : "low";
    }
    PredictionStats whole = new PredictionStats();
    whole.add(batch(p, label), NUM, LAB);
    // Three "tasks" of uneven batches, each serialized as an accumulator would be.
    PredictionStats merged = new PredictionStats();
    int[] cuts = {0, 7, 20_000, 20_001, 37_000, n};
    for (int c = 0; c + 1 < cuts.length; c++) {
      PredictionStats task = new PredictionStats();
      task.add(
          batch(
              Arrays.copyOfRange(p, cuts[c], cuts[c + 1]),
              Arrays.copyOfRange(label, cuts[c], cuts[c + 1])),
          NUM,
          LAB);
      merged.merge(roundTrip(task));
    }
    double mean = Arrays.stream(p).average().orElseThrow();
    double var = Arrays.stream(p).map(v -> (v - mean) * (v - mean)).sum() / (n - 1);
    for (PredictionStats s : List.of(whole, merged)) {
      PredictionStats.Numeric num = s.numeric("p");
      assertEquals(n, num.count());
      assertEquals(Arrays.stream(p).min().orElseThrow(), num.min());
      assertEquals(Arrays.stream(p).max().orElseThrow(), num.max());
      assertEquals(mean, num.mean(), 1e-9);
      assertEquals(Math.sqrt(var), num.stddev(), 1e-9);
      assertEquals(n, s.labels("label").count());
      assertEquals(
          Arrays.stream(label).filter("mid"::equals).count(),
          s.labels("label").top(3).get(0).getValue());
      assertEquals("mid", s.labels("label").top(3).get(0).getKey());
    }
    // The histogram: exact binning, except values within 1.1% of an edge.
    PredictionStats.Numeric num = merged.numeric("p");
    long[] h = num.histogram(10);
    long[] exact = new long[10];
    double width = (num.max() - num.min()) / 10;
    long nearEdge = 0;
    for (double v : p) {
      double pos = (v - num.min()) / width;
      exact[(int) Math.min(9, Math.floor(pos))]++;
      double edge = Math.rint(pos);
      if (Math.abs(v - (num.min() + edge * width)) <= Math.abs(v) * 0.011) {
        nearEdge++;
      }
    }
    assertEquals(n, Arrays.stream(h).sum());
    long moved = 0;
    for (int b = 0; b < 10; b++) {
      moved += Math.abs(h[b] - exact[b]);
    }
    assertTrue(moved <= 2 * nearEdge, "moved " + moved + ", near an edge " + nearEdge);
  }

  @Test
  void nullsAndNanAreLeftOutOfStatisticsAndNaNIsCounted() {
    double[] p = {1, Double.NaN, 3, 5};
    boolean[] nulls = {false, false, false, true};
    PredictionStats s = new PredictionStats();
    s.add(ColumnBatch.builder(4).add("p", Column.ofDoubles(p, nulls, 4)).build(), NUM, List.of());
    assertEquals(2, s.numeric("p").count());
    assertEquals(1, s.numeric("p").nans());
    assertEquals(2.0, s.numeric("p").mean());
    assertEquals(3.0, s.numeric("p").max());
  }

  @Test
  void everyNumberColumnTypeGivesTheStatisticsOfItsValuesAsDoubles() {
    // Backing arrays longer than the columns: only the first five rows count. Row 1 is null.
    boolean[] nulls = {false, true, false, false, false, false};
    List<io.batchscore.core.column.Column> columns =
        List.of(
            Column.ofDoubles(new double[] {1, 99, -2, 3, 0, 77}, nulls, 5),
            io.batchscore.core.column.Column.ofFloats(new float[] {1, 99, -2, 3, 0, 77}, nulls, 5),
            io.batchscore.core.column.Column.ofLongs(new long[] {1, 99, -2, 3, 0, 77}, nulls, 5),
            io.batchscore.core.column.Column.ofInts(new int[] {1, 99, -2, 3, 0, 77}, nulls, 5));
    for (io.batchscore.core.column.Column c : columns) {
      PredictionStats s = new PredictionStats();
      s.add(ColumnBatch.builder(5).add("p", c).build(), NUM, List.of());
      s.add(ColumnBatch.builder(5).add("p", c).build(), NUM, List.of());
      PredictionStats.Numeric num = s.numeric("p");
      String type = c.type().toString();
      assertEquals(8, num.count(), type);
      assertEquals(0, num.nans(), type);
      assertEquals(-2.0, num.min(), type);
      assertEquals(3.0, num.max(), type);
      assertEquals(0.5, num.mean(), 1e-12, type);
      assertEquals(
          Math.sqrt((2 * 0.25 + 2 * 6.25 + 2 * 6.25 + 2 * 0.25) / 7), num.stddev(), 1e-12, type);
      assertEquals(8, Arrays.stream(num.histogram(5)).sum(), type);
    }
  }

  @Test
  void equalLabelsAreCountedTogetherWhetherOrNotTheyAreTheSameObject() {
    int n = 1000;
    String[] label = new String[n];
    boolean[] nulls = new boolean[n];
    for (int i = 0; i < n; i++) {
      // A String object of its own per row (equal labels, distinct objects), 9 distinct values.
      label[i] = new String(i % 3 == 0 ? "benign" : i % 3 == 1 ? "malignant" : "v" + (i % 7));
      nulls[i] = i % 10 == 9;
    }
    PredictionStats s = new PredictionStats();
    s.add(
        ColumnBatch.builder(n).add("label", Column.ofStrings(label, nulls, n)).build(),
        List.of(),
        LAB);
    java.util.Map<String, Long> counts = new java.util.HashMap<>();
    for (int i = 0; i < n; i++) {
      if (!nulls[i]) {
        counts.merge(label[i], 1L, Long::sum);
      }
    }
    assertEquals(
        counts.values().stream().mapToLong(Long::longValue).sum(), s.labels("label").count());
    for (var e : s.labels("label").top(20)) {
      assertEquals(counts.get(e.getKey()), e.getValue(), e.getKey());
    }
    assertEquals(counts.size(), s.labels("label").top(20).size());
  }

  @Test
  void labelsBeyondTheDistinctCapAreCountedAsOther() {
    int n = PredictionStats.MAX_DISTINCT + 5;
    String[] label = new String[n];
    for (int i = 0; i < n; i++) {
      label[i] = "v" + i;
    }
    PredictionStats s = new PredictionStats();
    s.add(ColumnBatch.builder(n).add("label", Column.ofStrings(label)).build(), List.of(), LAB);
    assertEquals(n, s.labels("label").count());
    assertEquals(5, s.labels("label").other());
  }
}
