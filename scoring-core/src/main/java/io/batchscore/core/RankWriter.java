package io.batchscore.core;

import io.batchscore.core.column.Column;
import io.batchscore.core.column.ElementType;
import io.batchscore.core.engine.OutputValue;
import io.batchscore.core.spec.OutputBinding;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** argmax and top_k: the best class(es) per row, as labels, indices or ZipMap keys. */
final class RankWriter extends OutputWriter {
  private final List<String> labels;
  private final String[] labelArray;
  private final int k;
  private final boolean scores;
  private final ElementType labelType;
  private final Object best;
  private final float[] bestScores;

  RankWriter(OutputBinding b, int rows, String model, OutputColumn col, boolean scores) {
    super(b, rows, model);
    this.labels = col.labels();
    this.labelArray = labels == null ? null : labels.toArray(new String[0]);
    this.k = b.transform() == io.batchscore.core.spec.Transform.TOP_K ? b.k() : 1;
    this.scores = scores;
    this.labelType = col.type().element();
    this.best = Flat.alloc(labelType, rows * k);
    this.bestScores = scores ? new float[rows * k] : null;
  }

  @Override
  public void write(OutputValue v, int offset, int n, int[] tokens) {
    int[] order = new int[k];
    double[] top = new double[k];
    if (v instanceof OutputValue.MapSequence seq) {
      for (int i = 0; i < n; i++) {
        Map<Object, Object> m = seq.rows().get(i);
        Object[] keys = MapRows.sortedKeys(m);
        double[] vals = new double[keys.length];
        for (int c = 0; c < keys.length; c++) {
          vals[c] = ((Number) m.get(keys[c])).doubleValue();
        }
        topK(vals, 0, keys.length, order, top);
        for (int j = 0; j < k; j++) {
          int o = (offset + i) * k + j;
          setLabel(o, order[j], keys[order[j]]);
          if (scores) {
            bestScores[o] = (float) top[j];
          }
        }
      }
      return;
    }
    OutputValue.Dense d = dense(v, "class scores [N, classes]");
    int w = perRow(d);
    if (k == 1 && !scores && w > 0 && d.data() instanceof FloatBuffer f) {
      // argmax of float scores, the usual case: one bulk copy of the chunk's scores to the heap,
      // then one pass per row over a plain array (reading a direct buffer value by value cost
      // more than the argmax); the same choice as topK (the first value, then only a strictly
      // greater one: ties keep the lower index). With a label for every class, the label is
      // stored straight from an array.
      float[] a = heapCopy(f, n * w);
      String[] names = labelArray != null && w <= labelArray.length ? (String[]) best : null;
      for (int i = 0; i < n; i++) {
        int base = i * w;
        int bestIndex = 0;
        if (w == 2) { // binary classifiers: no branch to mispredict on every other row
          bestIndex = a[base + 1] > a[base] ? 1 : 0;
        } else {
          float bestValue = a[base];
          for (int c = 1; c < w; c++) {
            float x = a[base + c];
            if (x > bestValue) {
              bestValue = x;
              bestIndex = c;
            }
          }
        }
        if (names != null) {
          names[offset + i] = labelArray[bestIndex];
        } else {
          setIndex(offset + i, bestIndex);
        }
      }
      return;
    }
    double[] vals = new double[w];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < w; c++) {
        vals[c] = number(d.data(), i * w + c);
      }
      topK(vals, 0, w, order, top);
      for (int j = 0; j < k; j++) {
        int o = (offset + i) * k + j;
        setIndex(o, order[j]);
        if (scores) {
          bestScores[o] = (float) top[j];
        }
      }
    }
  }

  @Override
  public boolean positional() {
    return true;
  }

  /** A class given by its index (dense scores): no boxing on the per-row path. */
  private void setIndex(int o, int index) {
    if (labels == null && labelType != ElementType.STRING) {
      ((long[]) best)[o] = index;
    } else {
      setLabel(o, index, (long) index);
    }
  }

  private void setLabel(int o, int index, Object key) {
    if (labels != null) {
      if (index >= labels.size()) {
        throw new ScoringException(
            model
                + ": class index "
                + index
                + " of output '"
                + binding.output()
                + "' has no label ("
                + labels.size()
                + " labels given)");
      }
      ((String[]) best)[o] = labels.get(index);
    } else if (labelType == ElementType.STRING) {
      ((String[]) best)[o] = String.valueOf(key);
    } else {
      ((long[]) best)[o] = ((Number) key).longValue();
    }
  }

  /** Indices of the k largest of vals[from..to), best first; ties keep the lower index. */
  private void topK(double[] vals, int from, int to, int[] order, double[] top) {
    Arrays.fill(order, -1);
    Arrays.fill(top, Double.NEGATIVE_INFINITY);
    for (int c = from; c < to; c++) {
      double x = vals[c];
      if (order[k - 1] != -1 && !(x > top[k - 1])) {
        continue;
      }
      int j = k - 1;
      while (j > 0 && (order[j - 1] == -1 || x > top[j - 1])) {
        top[j] = top[j - 1];
        order[j] = order[j - 1];
        j--;
      }
      top[j] = x;
      order[j] = c - from;
    }
  }

  @Override
  public List<Column> finish() {
    Column flat =
        labelType == ElementType.STRING
            ? Column.ofStrings((String[]) best)
            : Column.ofLongs((long[]) best);
    if (binding.transform() == io.batchscore.core.spec.Transform.ARGMAX) {
      return List.of(flat);
    }
    List<Column> out = new ArrayList<>();
    out.add(Column.ofArrays(flat, k, rows));
    if (scores) {
      out.add(Column.ofArrays(Column.ofFloats(bestScores), k, rows));
    }
    return out;
  }
}
