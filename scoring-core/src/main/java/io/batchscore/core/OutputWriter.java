package io.batchscore.core;

import io.batchscore.core.column.Column;
import io.batchscore.core.column.ElementType;
import io.batchscore.core.engine.OutputValue;
import io.batchscore.core.spec.OutputBinding;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Turns one model output, chunk by chunk, into the column(s) of one output binding. Writers are
 * made per scored batch with the batch's row count and write each chunk at its row offset.
 */
abstract class OutputWriter {
  protected final OutputBinding binding;
  protected final int rows;
  protected final String model;

  OutputWriter(OutputBinding binding, int rows, String model) {
    this.binding = binding;
    this.rows = rows;
    this.model = model;
  }

  /**
   * Writes the chunk's values for rows {@code [offset, offset + n)}; {@code tokens} holds each
   * row's token count for text inputs (for pooling), or null.
   */
  public abstract void write(OutputValue value, int offset, int n, int[] tokens);

  /** The finished column(s): one, or two for top_k with a scores column. */
  public abstract List<Column> finish();

  /**
   * True when {@link #write} puts each row at its own position and touches nothing else, so
   * chunks may be written in any order and from several threads at once (on disjoint rows).
   * Writers of variable-length rows (arrays, maps) append, and must be given chunks in order.
   */
  public boolean positional() {
    return false;
  }

  /** A writer for a binding; {@code columns} are the output columns the binding makes. */
  public static OutputWriter create(List<OutputColumn> columns, int rows, String model) {
    OutputColumn main = columns.get(0);
    OutputBinding b = main.binding();
    switch (b.transform()) {
      case NONE:
        if (main.type().isMap()) {
          return new MapWriter(b, rows, model, main);
        }
        return main.type().isScalar()
            ? new ScalarWriter(b, rows, model, main.type().element())
            : new ArrayWriter(b, rows, model, main.type().element(), main.type().width());
      case SOFTMAX:
        return new SoftmaxWriter(b, rows, model);
      case ARGMAX:
      case TOP_K:
        return new RankWriter(b, rows, model, main, columns.size() > 1);
      case POSITIVE_CLASS:
        return new PositiveClassWriter(b, rows, model);
      case MEAN_POOLING:
      case CLS_POOLING:
        return new PoolingWriter(b, rows, model);
      default:
        throw new IllegalStateException(b.transform().toString());
    }
  }

  ScoringException unexpected(OutputValue v, String wanted) {
    String got =
        v instanceof OutputValue.Dense d
            ? d.type() + Arrays.toString(d.shape())
            : "a sequence of maps";
    return new ScoringException(
        model + ": output '" + binding.output() + "' is " + got + ", expected " + wanted);
  }

  OutputValue.Dense dense(OutputValue v, String wanted) {
    if (v instanceof OutputValue.Dense d) {
      return d;
    }
    throw unexpected(v, wanted);
  }

  /** Per thread: positional writers are called from several threads at once. */
  private static final ThreadLocal<float[]> HEAP_COPY = new ThreadLocal<>();

  /**
   * The first {@code count} values of a float output in a heap array: one bulk copy, after which
   * loops read a plain array (bounds checks hoisted) instead of a direct buffer value by value.
   * The array is the calling thread's, reused: a new one per chunk would be 32 KB per writer per
   * 4,096 rows of a binary classifier, 160 MB of garbage per 10M rows of the sample spec next to
   * the ~2.4 GB of Parquet pages Spark's scan allocates for them, and in a Spark task every
   * collection copies the scan's live buffers. Valid until the thread's next call, so a writer
   * uses it within one {@link #write} only.
   */
  static float[] heapCopy(FloatBuffer f, int count) {
    float[] a = HEAP_COPY.get();
    if (a == null || a.length < count) {
      a = new float[count];
      HEAP_COPY.set(a);
    }
    f.get(0, a, 0, count);
    return a;
  }

  /** Values per row of a dense output (product of the dims after the first). */
  static int perRow(OutputValue.Dense d) {
    long n = 1;
    for (int i = 1; i < d.shape().length; i++) {
      n *= d.shape()[i];
    }
    return Math.toIntExact(n);
  }

  /** Element {@code i} of a float or double output as a double. */
  static double number(Buffer b, int i) {
    if (b instanceof FloatBuffer f) {
      return f.get(i);
    }
    if (b instanceof DoubleBuffer d) {
      return d.get(i);
    }
    if (b instanceof LongBuffer l) {
      return l.get(i);
    }
    if (b instanceof IntBuffer n) {
      return n.get(i);
    }
    return ((ByteBuffer) b).get(i);
  }

  /** A growable flat child for array columns, in the output's element type. */
  static final class Flat {
    final ElementType type;
    Object data;
    int size;

    Flat(ElementType type, int capacity) {
      this.type = type;
      this.data = alloc(type, Math.max(capacity, 1));
    }

    static Object alloc(ElementType t, int n) {
      return io.batchscore.core.column.Column.allocate(t, n);
    }

    void ensure(int extra) {
      int len = java.lang.reflect.Array.getLength(data);
      if (size + extra > len) {
        Object bigger = alloc(type, Math.max(size + extra, len * 2));
        System.arraycopy(data, 0, bigger, 0, size);
        data = bigger;
      }
    }

    /** Appends {@code n} values of a dense output starting at element {@code start}. */
    void append(OutputValue.Dense d, int start, int n) {
      ensure(n);
      put(d, start, n, size);
      size += n;
    }

    /** Copies {@code n} values of a dense output from element {@code start} to position {@code at}. */
    void put(OutputValue.Dense d, int start, int n, int at) {
      Buffer b = d.data();
      switch (type) {
        case FLOAT:
          ((FloatBuffer) b).get(start, (float[]) data, at, n);
          break;
        case DOUBLE:
          ((DoubleBuffer) b).get(start, (double[]) data, at, n);
          break;
        case INT64:
          ((LongBuffer) b).get(start, (long[]) data, at, n);
          break;
        case INT32:
          ((IntBuffer) b).get(start, (int[]) data, at, n);
          break;
        case BOOL:
          {
            boolean[] out = (boolean[]) data;
            ByteBuffer bb = (ByteBuffer) b;
            for (int i = 0; i < n; i++) {
              out[at + i] = bb.get(start + i) != 0;
            }
            break;
          }
        default:
          System.arraycopy(d.strings(), start, data, at, n);
      }
    }

    /** The values as a column whose backing array is exactly {@code size} long. */
    Column column() {
      if (java.lang.reflect.Array.getLength(data) != size) {
        Object exact = alloc(type, size);
        System.arraycopy(data, 0, exact, 0, size);
        data = exact;
      }
      return io.batchscore.core.column.Column.wrap(type, data, null, size);
    }
  }

  /** A tensor output with one value per row. */
  static final class ScalarWriter extends OutputWriter {
    private final Flat flat;

    ScalarWriter(OutputBinding b, int rows, String model, ElementType type) {
      super(b, rows, model);
      this.flat = new Flat(type, rows);
    }

    @Override
    public void write(OutputValue v, int offset, int n, int[] tokens) {
      OutputValue.Dense d = dense(v, "a tensor with one value per row");
      if (d.type() != flat.type || perRow(d) != 1 || d.shape()[0] != n) {
        throw unexpected(v, flat.type + "[" + n + "]");
      }
      flat.put(d, 0, n, offset); // allocated for all rows: each chunk goes to its own place
    }

    @Override
    public boolean positional() {
      return true;
    }

    @Override
    public List<Column> finish() {
      flat.size = rows;
      return List.of(flat.column());
    }
  }

  /**
   * A tensor output with several values per row: an array column. When the model's signature
   * fixes the values per row, each chunk goes to its own place (positional); otherwise (a
   * dimension that varies from batch to batch) rows are appended in order.
   */
  static final class ArrayWriter extends OutputWriter {
    private final Flat flat;
    private final int[] offsets;
    private final int width;
    private int row;

    ArrayWriter(OutputBinding b, int rows, String model, ElementType type, int width) {
      super(b, rows, model);
      this.width = width > 0 ? width : -1;
      this.flat = new Flat(type, this.width > 0 ? rows * this.width : rows);
      this.offsets = new int[rows + 1];
    }

    @Override
    public boolean positional() {
      return width > 0;
    }

    @Override
    public void write(OutputValue v, int offset, int n, int[] tokens) {
      OutputValue.Dense d = dense(v, "a tensor");
      if (d.type() != flat.type || d.shape().length == 0 || d.shape()[0] != n) {
        throw unexpected(v, flat.type + "[" + n + ",...]");
      }
      int w = perRow(d);
      if (width > 0) {
        if (w != width) {
          throw unexpected(v, width + " values per row, as the model's signature says");
        }
        flat.put(d, 0, n * w, offset * w);
        return;
      }
      flat.append(d, 0, n * w);
      for (int i = 0; i < n; i++) {
        offsets[row + 1] = offsets[row] + w;
        row++;
      }
    }

    @Override
    public List<Column> finish() {
      if (width > 0) {
        for (int r = 0; r <= rows; r++) {
          offsets[r] = r * width;
        }
        flat.size = rows * width;
      }
      if (binding.normalize() && flat.type == ElementType.FLOAT) {
        float[] v = (float[]) flat.data;
        for (int r = 0; r < rows; r++) {
          l2Normalize(v, offsets[r], offsets[r + 1] - offsets[r]);
        }
      }
      return List.of(Column.ofArrays(offsets, flat.column(), null, rows));
    }
  }

  /** Scales {@code v[off, off+len)} to unit L2 norm (a zero vector stays zero). */
  static void l2Normalize(float[] v, int off, int len) {
    double sum = 0;
    for (int i = off; i < off + len; i++) {
      sum += (double) v[i] * v[i];
    }
    double norm = Math.sqrt(sum);
    if (norm > 0) {
      for (int i = off; i < off + len; i++) {
        v[i] = (float) (v[i] / norm);
      }
    }
  }

  /** A writer of one float vector of a fixed width per row (softmax, pooling). */
  abstract static class FloatVectorWriter extends OutputWriter {
    protected float[] out;
    private int width = -1;

    FloatVectorWriter(OutputBinding b, int rows, String model) {
      super(b, rows, model);
    }

    @Override
    public boolean positional() {
      return true;
    }

    /** Allocates on the first chunk; later chunks must have the same width. */
    protected synchronized void width(int w, OutputValue v) {
      if (out == null) {
        width = w;
        out = new float[rows * w];
      } else if (w != width) {
        throw unexpected(v, width + " values per row, as in earlier chunks");
      }
    }

    @Override
    public List<Column> finish() {
      int w = Math.max(width, 0);
      return List.of(Column.ofArrays(Column.ofFloats(out == null ? new float[0] : out), w, rows));
    }
  }

  /**
   * Pools token vectors [N, seq, H] into one vector per row: the mean over the row's tokens (the
   * attention mask: padding excluded) or the first token; optionally L2-normalised.
   */
  static final class PoolingWriter extends FloatVectorWriter {
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

  /** A sequence-of-maps output (ZipMap): a map column with keys in sorted order. */
  static final class MapWriter extends OutputWriter {
    private final Flat keys;
    private final Flat values;
    private final int[] offsets;
    private int row;

    MapWriter(OutputBinding b, int rows, String model, OutputColumn col) {
      super(b, rows, model);
      this.keys = new Flat(col.type().keyType(), rows * 2);
      this.values = new Flat(col.type().element(), rows * 2);
      this.offsets = new int[rows + 1];
    }

    @Override
    public void write(OutputValue v, int offset, int n, int[] tokens) {
      if (!(v instanceof OutputValue.MapSequence seq) || seq.rows().size() != n) {
        throw unexpected(v, "a sequence of " + n + " maps");
      }
      for (Map<Object, Object> m : seq.rows()) {
        Object[] ks = MapRows.sortedKeys(m);
        keys.ensure(ks.length);
        values.ensure(ks.length);
        for (Object k : ks) {
          MapRows.put(keys, k);
          MapRows.put(values, m.get(k));
        }
        offsets[row + 1] = offsets[row] + ks.length;
        row++;
      }
    }

    @Override
    public List<Column> finish() {
      return List.of(Column.ofMaps(offsets, keys.column(), values.column(), null, rows));
    }
  }

  /** Softmax over each row of a [N, classes] float or double output. */
  static final class SoftmaxWriter extends FloatVectorWriter {
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

  /** One class's score per row, from a [N, classes] tensor or a ZipMap. */
  static final class PositiveClassWriter extends OutputWriter {
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
                model + ": output '" + binding.output() + "' has no class '" + cls + "' in row "
                    + i + "; its classes: " + seq.rows().get(i).keySet());
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

  /** argmax and top_k: the best class(es) per row, as labels, indices or ZipMap keys. */
  static final class RankWriter extends OutputWriter {
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
              model + ": class index " + index + " of output '" + binding.output()
                  + "' has no label (" + labels.size() + " labels given)");
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
}
