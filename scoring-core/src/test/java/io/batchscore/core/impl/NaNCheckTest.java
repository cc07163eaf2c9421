package io.batchscore.core.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The NaN screen (sums of x * 0) finds every NaN, wherever it is, and no value that is not NaN. */
class NaNCheckTest {

  @Test
  void aNaNAtAnyPositionOfAnyLengthIsFound() {
    for (int len = 1; len <= 40; len++) {
      for (int at = 0; at < len; at++) {
        float[] f = new float[len];
        Arrays.fill(f, 3.5f);
        f[at] = Float.NaN;
        assertTrue(NullScan.hasNaN(f, 0, len), "float, length " + len + ", NaN at " + at);
        double[] d = new double[len];
        Arrays.fill(d, -2.25);
        d[at] = Double.NaN;
        assertTrue(NullScan.hasNaN(d, 0, len), "double, length " + len + ", NaN at " + at);
      }
    }
  }

  @Test
  void infinitiesExtremesAndSignedZerosAreNotNaN() {
    float[] f = {
      Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE, -Float.MAX_VALUE,
      Float.MIN_VALUE, -0f, 0f, 1e30f, -1e30f, Float.POSITIVE_INFINITY, 7f
    };
    assertFalse(NullScan.hasNaN(f, 0, f.length));
    double[] d = {
      Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MAX_VALUE, -Double.MAX_VALUE,
      Double.MIN_VALUE, -0d, 0d, 1e300, -1e300, Double.NEGATIVE_INFINITY, 7d
    };
    assertFalse(NullScan.hasNaN(d, 0, d.length));
  }

  @Test
  void onlyTheGivenRangeIsLookedAt() {
    float[] f = new float[100];
    f[10] = Float.NaN;
    f[90] = Float.NaN;
    assertFalse(NullScan.hasNaN(f, 11, 90));
    assertTrue(NullScan.hasNaN(f, 11, 91));
    assertTrue(NullScan.hasNaN(f, 10, 11));
    assertFalse(NullScan.hasNaN(f, 50, 50));
    double[] d = new double[100];
    d[0] = Double.NaN;
    assertFalse(NullScan.hasNaN(d, 1, 100));
    assertEquals(true, NullScan.hasNaN(d, 0, 1));
  }

  @Test
  void aNaNPayloadOtherThanTheCanonicalOneIsFound() {
    float[] f = new float[17];
    f[16] = Float.intBitsToFloat(0x7f800001); // a signalling NaN
    assertTrue(NullScan.hasNaN(f, 0, f.length));
    double[] d = new double[17];
    d[9] = Double.longBitsToDouble(0xfff0000000000001L); // negative, signalling
    assertTrue(NullScan.hasNaN(d, 0, d.length));
  }
}
