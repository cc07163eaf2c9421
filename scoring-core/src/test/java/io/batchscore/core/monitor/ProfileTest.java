package io.batchscore.core.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.batchscore.core.column.Column;
import io.batchscore.core.column.ColumnBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProfileTest {
  @TempDir Path tmp;

  private static double[] gaussian(long seed, int n, double mean, double sd) {
    Random r = new Random(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = r.nextGaussian() * sd + mean;
    }
    return v;
  }

  /** Profiles {@code x} (and labels {@code y}) fed in batches of {@code batch} rows. */
  private static Profile profile(double[] x, String[] y, int from, int to, int batch) {
    Profiler p = Profiler.builder().feature("x").prediction("y").build();
    for (int at = from; at < to; at += batch) {
      int n = Math.min(batch, to - at);
      ColumnBatch in =
          ColumnBatch.builder(n)
              .add("x", Column.ofDoubles(Arrays.copyOfRange(x, at, at + n)))
              .build();
      p.addInputs(in);
      ColumnBatch out =
          ColumnBatch.builder(n)
              .add("y", Column.ofStrings(Arrays.copyOfRange(y, at, at + n)))
              .build();
      p.addOutputs(out, null);
    }
    return p.profile();
  }

  private static String[] labels(long seed, int n, double shareOfA) {
    Random r = new Random(seed);
    String[] y = new String[n];
    for (int i = 0; i < n; i++) {
      y[i] = r.nextDouble() < shareOfA ? "a" : "b";
    }
    return y;
  }

  @ParameterizedTest(name = "{0} values, sorted {1}")
  @CsvSource({"10000, false", "50000, false", "300000, false", "1000000, false", "300000, true"})
  void quantilesAreWithinTheStatedRankErrorOfTheExactOnes(int n, boolean inOrder) {
    double[] x = gaussian(1, n, 20, 10);
    double[] sorted = x.clone();
    Arrays.sort(sorted);
    Profile p = profile((inOrder ? sorted : x).clone(), labels(2, n, 0.5), 0, n, 4096);
    ColumnProfile c = p.column("x");
    assertTrue(c.rankError() <= 0.01, "1% or better at " + n + " values: " + c.rankError());
    for (double rank = 0.01; rank < 1; rank += 0.01) {
      double q = c.quantile(rank);
      // the exact rank of the sketch's quantile in the data
      double exactRank = (double) insertionPoint(sorted, q) / n;
      assertTrue(
          Math.abs(exactRank - rank) <= c.rankError(),
          "rank " + rank + ": the sketch's quantile " + q + " has rank " + exactRank);
    }
    assertEquals(n, c.count());
    assertEquals(Arrays.stream(x).min().getAsDouble(), c.min());
    assertEquals(Arrays.stream(x).max().getAsDouble(), c.max());
    assertEquals(Arrays.stream(x).average().getAsDouble(), c.mean(), 1e-9);
  }

  /** A profile of {@code n} uniform values in [0, 1), fed in batches of 4096. */
  private static ColumnProfile uniform(long n) {
    Profiler p = Profiler.builder().feature("x").build();
    Random r = new Random(5);
    double[] v = new double[4096];
    for (long at = 0; at < n; at += v.length) {
      int k = (int) Math.min(v.length, n - at);
      for (int i = 0; i < k; i++) {
        v[i] = r.nextDouble();
      }
      p.addInputs(ColumnBatch.builder(k).add("x", Column.ofDoubles(Arrays.copyOf(v, k))).build());
    }
    return p.profile().column("x");
  }

  private static int serializedSize(Object o) throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    return bytes.size();
  }

  @Test
  void aColumnsProfileTakesNoMoreMemoryAtTenOrAHundredMillionValuesThanAtOneMillion()
      throws IOException {
    ColumnProfile million = uniform(1_000_000);
    ColumnProfile tenMillion = uniform(10_000_000);
    int small = serializedSize(million);
    int large = serializedSize(tenMillion);
    int hundredMillion = serializedSize(uniform(100_000_000));
    assertTrue(
        large <= small * 1.1 && hundredMillion <= small * 1.1,
        "serialized: "
            + small
            + " bytes at 1M values, "
            + large
            + " at 10M, "
            + hundredMillion
            + " at 100M");
    // Still within its stated error: the rank of u in U(0, 1) is u (the data's own ranks are
    // within 0.1% of that at 10M draws).
    assertTrue(tenMillion.rankError() <= 0.01, "rank error " + tenMillion.rankError());
    for (double rank = 0.01; rank < 1; rank += 0.01) {
      assertEquals(rank, tenMillion.quantile(rank), tenMillion.rankError() + 0.001, "rank " + rank);
    }
  }

  private static int insertionPoint(double[] sorted, double v) {
    int i = Arrays.binarySearch(sorted, v);
    return i >= 0 ? i + 1 : -i - 1;
  }

  @Test
  void aProfileMergedFromEightPartitionsEqualsTheSinglePassOneWithinTheError() {
    int n = 400_000;
    double[] x = gaussian(3, n, 5, 2);
    String[] y = labels(4, n, 0.3);
    Profile whole = profile(x.clone(), y, 0, n, 1000);
    Profile merged = new Profile();
    int part = n / 8;
    for (int k = 0; k < 8; k++) {
      merged.merge(profile(x.clone(), y, k * part, (k + 1) * part, 777));
    }
    ColumnProfile a = whole.column("x");
    ColumnProfile b = merged.column("x");
    assertEquals(a.count(), b.count());
    assertEquals(a.min(), b.min());
    assertEquals(a.max(), b.max());
    assertEquals(a.mean(), b.mean(), 1e-9);
    assertEquals(a.stddev(), b.stddev(), 1e-9);
    for (double rank = 0.05; rank < 1; rank += 0.05) {
      double qa = a.quantile(rank);
      double qb = b.quantile(rank);
      assertEquals(
          a.rank(qa, true), a.rank(qb, true), a.rankError() + b.rankError(), "rank " + rank);
    }
    assertEquals(
        whole.column("y").frequent(), merged.column("y").frequent(), "labels counted exactly");
    assertEquals(whole.rows(), merged.rows());
    assertTrue(!a.distinctExact(), "400,000 numbers: the distinct count is over a sample");
  }

  @Test
  void nullsNanAndArraysAreCountedAsTheySay() {
    Profiler p = Profiler.builder().feature("x").feature("v").prediction("flag").build();
    boolean[] nulls = {false, true, false, false};
    ColumnBatch in =
        ColumnBatch.builder(4)
            .add("x", Column.ofDoubles(new double[] {1, 99, Double.NaN, 3}, nulls, 4))
            .add("v", Column.ofArrays(Column.ofFloats(3, 4, 0, 0, 1, 0, 6, 8), 2, 4))
            .build();
    p.addInputs(in);
    p.addOutputs(
        ColumnBatch.builder(4).add("flag", Column.ofBooleans(true, false, true, true)).build(),
        null);
    ColumnProfile x = p.profile().column("x");
    assertEquals(4, x.count());
    assertEquals(1, x.nulls());
    assertEquals(1, x.nans());
    assertEquals(0.5, x.nullRate());
    assertEquals(2, x.mean());
    ColumnProfile v = p.profile().column("v");
    assertEquals("l2 norm", v.measure());
    assertEquals(5, v.quantile(0.75), 1e-9, "norms 5, 0, 1, 10");
    assertEquals(0, v.min());
    assertEquals(10, v.max());
    assertEquals(Map.of("true", 3L, "false", 1L), p.profile().column("flag").frequent());
  }

  @Test
  void aProfileFileReadsBackAsTheSameProfile() throws IOException {
    int n = 50_000;
    Profile p = profile(gaussian(5, n, 0, 1), labels(6, n, 0.7), 0, n, 1024);
    Path f = tmp.resolve("p.profile.json");
    Profiles.write(f, p, Map.of("model", "m v1"));
    Profile back = Profiles.read(f);
    assertEquals(p.rows(), back.rows());
    ColumnProfile a = p.column("x");
    ColumnProfile b = back.column("x");
    assertEquals(a.count(), b.count());
    assertEquals(a.mean(), b.mean());
    assertEquals(a.stddev(), b.stddev(), 1e-12);
    assertEquals(a.quantile(0.5), b.quantile(0.5));
    assertEquals(p.column("y").frequent(), back.column("y").frequent());
    assertEquals("m v1", Profiles.about(f).get("model"));
  }

  @Test
  void aTruncatedOrForeignProfileFileIsRefusedNamingTheFile() throws IOException {
    int n = 1000;
    Path f = tmp.resolve("p.json");
    Profiles.write(f, profile(gaussian(7, n, 0, 1), labels(8, n, 0.5), 0, n, 100), Map.of());
    String text = Files.readString(f);
    Path truncated =
        Files.writeString(tmp.resolve("truncated.json"), text.substring(0, text.length() / 2));
    IOException e = assertThrows(IOException.class, () -> Profiles.read(truncated));
    assertTrue(e.getMessage().startsWith(truncated + ": not a batchscore profile"), e.getMessage());
    Path other = Files.writeString(tmp.resolve("other.json"), "{\"rows\": 3}");
    e = assertThrows(IOException.class, () -> Profiles.read(other));
    assertTrue(e.getMessage().contains(other + ": not a batchscore profile"), e.getMessage());
    Path corrupt =
        Files.writeString(
            tmp.resolve("corrupt.json"),
            text.replaceFirst(
                "\"kllLevels\" : \\[ \"[A-Za-z0-9+/]{8}", "\"kllLevels\" : [ \"AAAAAAAA"));
    e = assertThrows(IOException.class, () -> Profiles.read(corrupt));
    assertTrue(e.getMessage().contains(corrupt + ": column 'x'"), e.getMessage());
    e = assertThrows(IOException.class, () -> Profiles.read(tmp.resolve("missing.json")));
    assertTrue(e.getMessage().contains("missing.json: profile file not found"), e.getMessage());
  }
}
