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
import java.util.Arrays;
import java.util.List;

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
   * True when {@link #write} puts each row at its own position and touches nothing else, so chunks
   * may be written in any order and from several threads at once (on disjoint rows). Writers of
   * variable-length rows (arrays, maps) append, and must be given chunks in order.
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
   * loops read a plain array (bounds checks hoisted) instead of a direct buffer value by value. The
   * array is the calling thread's, reused: a new one per chunk would be 32 KB per writer per 4,096
   * rows of a binary classifier, 160 MB of garbage per 10M rows of the sample spec next to the ~2.4
   * GB of Parquet pages Spark's scan allocates for them, and in a Spark task every collection
   * copies the scan's live buffers. Valid until the thread's next call, so a writer uses it within
   * one {@link #write} only.
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

    /**
     * Copies {@code n} values of a dense output from element {@code start} to position {@code at}.
     */
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
}
