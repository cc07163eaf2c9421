package io.batchscore.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The screen (sums of x * 0) finds every NaN and infinity, wherever it is, and no finite value. */
class NaNCheckTest {

  @Test
  void aNaNAtAnyPositionOfAnyLengthIsFound() {
    for (int len = 1; len <= 40; len++) {
      for (int at = 0; at < len; at++) {
        float[] f = new float[len];
        Arrays.fill(f, 3.5f);
        f[at] = Float.NaN;
        assertTrue(NullScan.hasNonFinite(f, 0, len), "float, length " + len + ", NaN at " + at);
        double[] d = new double[len];
        Arrays.fill(d, -2.25);
        d[at] = Double.NaN;
        assertTrue(NullScan.hasNonFinite(d, 0, len), "double, length " + len + ", NaN at " + at);
      }
    }
  }

  @Test
  void infinitiesAreFoundAndExtremesAndSignedZerosAreNot() {
    float[] f = {
      Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, -0f, 0f, 1e30f, -1e30f, 7f, 1, 2, 3
    };
    assertFalse(NullScan.hasNonFinite(f, 0, f.length));
    double[] d = {
      Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE, -0d, 0d, 1e300, -1e300, 7d, 1, 2, 3
    };
    assertFalse(NullScan.hasNonFinite(d, 0, d.length));
    for (int at = 0; at < f.length; at++) {
      float[] fi = f.clone();
      fi[at] = at % 2 == 0 ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
      assertTrue(NullScan.hasNonFinite(fi, 0, fi.length), "float infinity at " + at);
      double[] di = d.clone();
      di[at] = at % 2 == 0 ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      assertTrue(NullScan.hasNonFinite(di, 0, di.length), "double infinity at " + at);
    }
  }

  @Test
  void aDoubleBeyondFloatsRangeIsFoundOnlyWhenItFeedsAFloat() {
    double[] d = {1, 2, 1e300, 4};
    assertFalse(NullScan.hasNonFinite(d, 0, d.length));
    assertTrue(NullScan.hasNonFiniteAsFloat(d, 0, d.length));
    assertFalse(NullScan.hasNonFiniteAsFloat(d, 3, 4));
  }

  @Test
  void onlyTheGivenRangeIsLookedAt() {
    float[] f = new float[100];
    f[10] = Float.NaN;
    f[90] = Float.NaN;
    assertFalse(NullScan.hasNonFinite(f, 11, 90));
    assertTrue(NullScan.hasNonFinite(f, 11, 91));
    assertTrue(NullScan.hasNonFinite(f, 10, 11));
    assertFalse(NullScan.hasNonFinite(f, 50, 50));
    double[] d = new double[100];
    d[0] = Double.NaN;
    assertFalse(NullScan.hasNonFinite(d, 1, 100));
    assertEquals(true, NullScan.hasNonFinite(d, 0, 1));
  }

  @Test
  void aNaNPayloadOtherThanTheCanonicalOneIsFound() {
    float[] f = new float[17];
    f[16] = Float.intBitsToFloat(0x7f800001); // a signalling NaN
    assertTrue(NullScan.hasNonFinite(f, 0, f.length));
    double[] d = new double[17];
    d[9] = Double.longBitsToDouble(0xfff0000000000001L); // negative, signalling
    assertTrue(NullScan.hasNonFinite(d, 0, d.length));
  }
}
