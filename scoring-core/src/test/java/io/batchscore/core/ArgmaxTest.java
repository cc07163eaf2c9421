package io.batchscore.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.batchscore.core.column.ColumnType;
import io.batchscore.core.column.ElementType;
import io.batchscore.core.engine.OutputValue;
import io.batchscore.core.spec.OutputBinding;
import io.batchscore.core.spec.Transform;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** argmax over float scores (its own loop) picks what the general top-k path picks. */
class ArgmaxTest {

  private static Object argmax(OutputValue.Dense scores, int rows, int offset, int n) {
    OutputBinding b = OutputBinding.of("probs", "cls", Transform.ARGMAX);
    OutputColumn c = new OutputColumn("cls", ColumnType.scalar(ElementType.INT64), b, false, null);
    OutputWriter w = OutputWriter.create(List.of(c), rows, "test");
    w.write(scores, offset, n, null);
    return w.finish().get(0);
  }

  @Test
  void floatArgmaxAgreesWithTopKOnTiesNaNAndInfinities() {
    float nan = Float.NaN;
    float inf = Float.POSITIVE_INFINITY;
    float[][] rows = {
      {0.1f, 0.7f, 0.2f}, {0.5f, 0.5f, 0.1f}, {0.2f, 0.3f, 0.3f}, {nan, 0.9f, 0.1f},
      {0.9f, nan, 0.95f}, {-inf, -inf, -inf}, {-inf, -1f, -inf}, {0f, -0f, 0f},
      {1f, inf, inf}, {nan, nan, nan}, {0.3f, 0.3f, 0.3f}, {-2f, -1f, -3f}
    };
    int w = rows[0].length;
    float[] f = new float[rows.length * w];
    double[] d = new double[rows.length * w];
    for (int r = 0; r < rows.length; r++) {
      for (int c = 0; c < w; c++) {
        f[r * w + c] = rows[r][c];
        d[r * w + c] = rows[r][c];
      }
    }
    long[] shape = {rows.length, w};
    Object fast =
        argmax(
            new OutputValue.Dense(ElementType.FLOAT, shape, FloatBuffer.wrap(f), null),
            rows.length,
            0,
            rows.length);
    Object general =
        argmax(
            new OutputValue.Dense(ElementType.DOUBLE, shape, DoubleBuffer.wrap(d), null),
            rows.length,
            0,
            rows.length);
    io.batchscore.core.column.Column a = (io.batchscore.core.column.Column) fast;
    io.batchscore.core.column.Column g = (io.batchscore.core.column.Column) general;
    long[] expected = {1, 0, 1, 0, 2, 0, 1, 0, 1, 0, 0, 1};
    for (int r = 0; r < rows.length; r++) {
      assertEquals(g.get(r), a.get(r), "row " + r);
      assertEquals(expected[r], a.get(r), "row " + r);
    }
  }
}
