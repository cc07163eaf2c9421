package io.batchscore.core.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.batchscore.core.column.Column;
import io.batchscore.core.column.ColumnBatch;
import io.batchscore.core.spec.Monitoring;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Drift metrics from sketches against the same metrics computed exactly from the raw data. */
class DriftTest {
  private static final int N = 1_000_000;

  private record Sample(double[] x, double[] z, String[] label) {}

  private static Sample sample(long seed, double shiftSd, double shareOfA) {
    Random r = new Random(seed);
    double[] x = new double[N];
    double[] z = new double[N];
    String[] label = new String[N];
    for (int i = 0; i < N; i++) {
      x[i] = 20 + 10 * (r.nextGaussian() + shiftSd);
      z[i] = r.nextDouble() * 3;
      label[i] = r.nextDouble() < shareOfA ? "benign" : "malignant";
    }
    return new Sample(x, z, label);
  }

  private static Profile profile(Sample s) {
    Profiler p = Profiler.builder().feature("x").feature("z").prediction("label").build();
    int batch = 4096;
    for (int at = 0; at < N; at += batch) {
      int n = Math.min(batch, N - at);
      p.addInputs(
          ColumnBatch.builder(n)
              .add("x", Column.ofDoubles(Arrays.copyOfRange(s.x, at, at + n)))
              .add("z", Column.ofDoubles(Arrays.copyOfRange(s.z, at, at + n)))
              .build());
      p.addOutputs(
          ColumnBatch.builder(n)
              .add("label", Column.ofStrings(Arrays.copyOfRange(s.label, at, at + n)))
              .build(),
          null);
    }
    return p.profile();
  }

  @Test
  void twoSamplesOfOneDistributionShowNoDrift() {
    DriftReport d =
        Drift.compare(profile(sample(1, 0, 0.5)), profile(sample(2, 0, 0.5)), Monitoring.DEFAULTS);
    assertEquals(DriftStatus.OK, d.status(), d.toJson());
    for (ColumnDrift c : d.columns()) {
      assertEquals(DriftStatus.OK, c.status(), c.toString());
      assertTrue(c.metric("psi") < 0.01, c.column() + " psi " + c.metric("psi"));
    }
  }

  @Test
  void aShiftOfHalfAStandardDeviationMatchesTheExactPsiAndWasserstein() {
    Sample ref = sample(3, 0, 0.5);
    Sample cur = sample(4, 0.5, 0.5);
    DriftReport d = Drift.compare(profile(ref), profile(cur), Monitoring.DEFAULTS);
    ColumnDrift x = d.column("x");
    // Exact, from the raw data: PSI over the reference's exact deciles, W1 over the sorted samples.
    double[] a = ref.x.clone();
    double[] b = cur.x.clone();
    Arrays.sort(a);
    Arrays.sort(b);
    double[] edges = new double[9];
    for (int i = 1; i < 10; i++) {
      edges[i - 1] = a[(int) ((long) i * N / 10) - 1];
    }
    double psi = Drift.psi(shares(a, edges), shares(b, edges));
    double w1 = 0;
    for (int i = 0; i < N; i++) {
      w1 += Math.abs(a[i] - b[i]);
    }
    w1 /= N;
    double sd = Math.sqrt(Arrays.stream(a).map(v -> (v - 20) * (v - 20)).sum() / N);
    assertEquals(psi, x.metric("psi"), 0.1 * psi, "PSI within 10% of the exact " + psi);
    assertEquals(w1 / sd, x.metric("wasserstein"), 0.1 * w1 / sd, "Wasserstein within 10%");
    // PSI of half a standard deviation is about 0.25: past warn, by the default thresholds
    DriftStatus expected = psi >= 0.25 ? DriftStatus.DRIFT : DriftStatus.WARN;
    assertEquals(expected, x.status(), x.reasons().toString());
    assertTrue(x.metric("ks") > 0.15 && x.metric("ks") < 0.25, "KS of a 0.5 sd shift: ~0.197");
    assertEquals(DriftStatus.OK, d.column("z").status(), "an unshifted column stays ok");
  }

  private static double[] shares(double[] sorted, double[] edges) {
    double[] out = new double[edges.length + 1];
    int prev = 0;
    for (int i = 0; i <= edges.length; i++) {
      int upTo = i == edges.length ? sorted.length : upper(sorted, edges[i]);
      out[i] = (double) (upTo - prev) / sorted.length;
      prev = upTo;
    }
    return out;
  }

  private static int upper(double[] sorted, double v) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] <= v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  @Test
  void aLabelMixMovingFromHalfAndHalfToEightyTwentyIsFlaggedByPsiAndChiSquared() {
    DriftReport d =
        Drift.compare(profile(sample(5, 0, 0.5)), profile(sample(6, 0, 0.8)), Monitoring.DEFAULTS);
    ColumnDrift label = d.column("label");
    assertEquals(DriftStatus.DRIFT, label.status(), label.reasons().toString());
    // exact PSI of 50/50 -> 80/20: 0.3 ln(1.6) + 0.3 ln(2.5) = 0.416
    assertEquals(0.3 * Math.log(1.6) + 0.3 * Math.log(2.5), label.metric("psi"), 0.01);
    assertTrue(label.metric("chi2_p") < 1e-9, "chi-squared p " + label.metric("chi2_p"));
    assertEquals(Math.sqrt(0.0989), label.metric("cramers_v"), 0.01, "Cramér's V of the mix");
    assertTrue(
        label.reasons().stream().anyMatch(r -> r.startsWith("psi")), label.reasons().toString());
    assertTrue(
        label.reasons().stream().anyMatch(r -> r.startsWith("cramers_v")),
        label.reasons().toString());
    assertEquals(DriftStatus.DRIFT, d.status());
  }

  @Test
  void thresholdsOfAColumnOverrideTheSpecsWhichOverrideTheDefaults() {
    Profile ref = profile(sample(7, 0, 0.5));
    Profile cur = profile(sample(8, 0.5, 0.5));
    Monitoring lenient =
        new Monitoring(
            null,
            true,
            Map.of("psi", new Monitoring.Threshold(5, 10)),
            Map.of("x", Map.of("psi", new Monitoring.Threshold(0.01, 0.02))));
    DriftReport d = Drift.compare(ref, cur, lenient);
    assertEquals(DriftStatus.DRIFT, d.column("x").status(), "the column's own thresholds");
    Monitoring spec =
        new Monitoring(null, true, Map.of("psi", new Monitoring.Threshold(5, 10)), Map.of());
    assertNotEquals(
        DriftStatus.DRIFT,
        Drift.compare(ref, cur, spec).column("x").status(),
        "the spec's thresholds");
  }

  @Test
  void newCategoriesOutOfRangeValuesAndMoreNullsAreQualityProblems() {
    Profiler a = Profiler.builder().feature("x").prediction("label").build();
    Profiler b = Profiler.builder().feature("x").prediction("label").build();
    double[] xs = new double[1000];
    String[] ls = new String[1000];
    for (int i = 0; i < 1000; i++) {
      xs[i] = i % 100;
      ls[i] = i % 2 == 0 ? "a" : "b";
    }
    a.addInputs(ColumnBatch.builder(1000).add("x", Column.ofDoubles(xs)).build());
    a.addOutputs(ColumnBatch.builder(1000).add("label", Column.ofStrings(ls)).build(), null);
    double[] xs2 = xs.clone();
    String[] ls2 = ls.clone();
    boolean[] nulls = new boolean[1000];
    for (int i = 0; i < 100; i++) {
      xs2[i] = 500; // outside the reference's [0, 99]
      ls2[i] = "c"; // never seen
      nulls[999 - i] = true;
    }
    b.addInputs(ColumnBatch.builder(1000).add("x", Column.ofDoubles(xs2, nulls, 1000)).build());
    b.addOutputs(ColumnBatch.builder(1000).add("label", Column.ofStrings(ls2)).build(), null);
    DriftReport d = Drift.compare(a.profile(), b.profile(), Monitoring.DEFAULTS);
    assertEquals(100.0 / 900, d.column("x").metric("out_of_range"), 0.01);
    assertEquals(0.1, d.column("x").metric("null_rate_increase"), 1e-9);
    assertEquals(0.1, d.column("label").metric("unseen"), 1e-9);
    assertEquals(DriftStatus.DRIFT, d.column("x").status());
    assertEquals(DriftStatus.DRIFT, d.column("label").status());
  }
}
