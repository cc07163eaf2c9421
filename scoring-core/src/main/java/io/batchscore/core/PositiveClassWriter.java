package io.batchscore.core;

import io.batchscore.core.column.Column;
import io.batchscore.core.engine.OutputValue;
import io.batchscore.core.spec.OutputBinding;
import java.nio.FloatBuffer;
import java.util.List;

/** One class's score per row, from a [N, classes] tensor or a ZipMap. */
final class PositiveClassWriter extends OutputWriter {
  private final float[] out;

  PositiveClassWriter(OutputBinding b, int rows, String model) {
    super(b, rows, model);
    this.out = new float[rows];
  }

  @Override
  public void write(OutputValue v, int offset, int n, int[] tokens) {
    String cls = binding.positiveClassOrDefault();
    if (v instanceof OutputValue.MapSequence seq) {
      for (int i = 0; i < n; i++) {
        Object val = MapRows.lookup(seq.rows().get(i), cls);
        if (val == null) {
          throw new ScoringException(
              model
                  + ": output '"
                  + binding.output()
                  + "' has no class '"
                  + cls
                  + "' in row "
                  + i
                  + "; its classes: "
                  + seq.rows().get(i).keySet());
        }
        out[offset + i] = ((Number) val).floatValue();
      }
      return;
    }
    OutputValue.Dense d = dense(v, "class scores");
    int w = perRow(d);
    int idx = Integer.parseInt(cls);
    if (d.data() instanceof FloatBuffer f) { // the usual case, without a type test per value
      float[] a = heapCopy(f, n * w);
      for (int i = 0; i < n; i++) {
        out[offset + i] = a[i * w + idx];
      }
      return;
    }
    for (int i = 0; i < n; i++) {
      out[offset + i] = (float) number(d.data(), i * w + idx);
    }
  }

  @Override
  public boolean positional() {
    return true;
  }

  @Override
  public List<Column> finish() {
    return List.of(Column.ofFloats(out));
  }
}
