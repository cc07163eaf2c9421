package io.batchscore.core;

import io.batchscore.core.engine.OutputValue;
import io.batchscore.core.spec.OutputBinding;
import java.nio.Buffer;

/** Softmax over each row of a [N, classes] float or double output. */
final class SoftmaxWriter extends FloatVectorWriter {
  SoftmaxWriter(OutputBinding b, int rows, String model) {
    super(b, rows, model);
  }

  @Override
  public void write(OutputValue v, int offset, int n, int[] tokens) {
    OutputValue.Dense d = dense(v, "a float tensor [N, classes]");
    int w = perRow(d);
    width(w, v);
    Buffer b = d.data();
    for (int i = 0; i < n; i++) {
      int base = i * w;
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < w; c++) {
        max = Math.max(max, number(b, base + c));
      }
      double sum = 0;
      for (int c = 0; c < w; c++) {
        sum += Math.exp(number(b, base + c) - max);
      }
      int o = (offset + i) * w;
      for (int c = 0; c < w; c++) {
        out[o + c] = (float) (Math.exp(number(b, base + c) - max) / sum);
      }
    }
  }
}
