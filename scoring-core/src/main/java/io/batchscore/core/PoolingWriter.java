package io.batchscore.core;

import io.batchscore.core.column.ElementType;
import io.batchscore.core.engine.OutputValue;
import io.batchscore.core.spec.OutputBinding;
import java.nio.FloatBuffer;

/**
 * Pools token vectors [N, seq, H] into one vector per row: the mean over the row's tokens (the
 * attention mask: padding excluded) or the first token; optionally L2-normalised.
 */
final class PoolingWriter extends FloatVectorWriter {
  PoolingWriter(OutputBinding b, int rows, String model) {
    super(b, rows, model);
  }

  @Override
  public void write(OutputValue v, int offset, int n, int[] tokens) {
    OutputValue.Dense d = dense(v, "token vectors [N, seq, hidden]");
    long[] shape = d.shape();
    if (shape.length != 3 || d.type() != ElementType.FLOAT) {
      throw unexpected(v, "float[N, seq, hidden]");
    }
    int seq = (int) shape[1];
    int h = (int) shape[2];
    width(h, v);
    FloatBuffer f = (FloatBuffer) d.data();
    boolean mean = binding.transform() == io.batchscore.core.spec.Transform.MEAN_POOLING;
    double[] acc = new double[h];
    for (int i = 0; i < n; i++) {
      int count = mean ? (tokens == null ? seq : Math.min(tokens[i], seq)) : 1;
      java.util.Arrays.fill(acc, 0);
      for (int t = 0; t < count; t++) {
        int base = (i * seq + t) * h;
        for (int j = 0; j < h; j++) {
          acc[j] += f.get(base + j);
        }
      }
      int o = (offset + i) * h;
      for (int j = 0; j < h; j++) {
        out[o + j] = (float) (acc[j] / Math.max(1, count));
      }
      if (binding.normalize()) {
        l2Normalize(out, o, h);
      }
    }
  }
}
