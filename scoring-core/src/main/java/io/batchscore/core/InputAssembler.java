package io.batchscore.core;

import io.batchscore.core.column.Column;
import io.batchscore.core.column.ColumnBatch;
import io.batchscore.core.column.ElementType;
import io.batchscore.core.engine.HostTensor;
import io.batchscore.core.engine.Runner;
import io.batchscore.core.model.ValueInfo;
import io.batchscore.core.spec.InputBinding;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;

/**
 * Fills one model input's tensor from columns: several scalar columns interleaved into {@code [n,
 * k]}, or one array column reshaped into the input's shape. Writes into the runner's reused direct
 * buffer; where the column already holds the tensor's element type and the rows are contiguous, the
 * copy is one bulk copy. A scratch array (reused) holds interleaved rows.
 *
 * <p>Asked to, {@link #fill} also looks for NaN in the floating-point values it copies, while they
 * are in cache: in the transposition loop itself, or over a bulk-copied range right after the copy
 * (docs/performance.md: free on float and double columns, where a separate pass cost 16-101% of the
 * copy). It only reports that it saw one; {@link NullScan} names the row.
 */
final class InputAssembler {
  private final InputBinding binding;
  private final ValueInfo info;
  private final ElementType target;
  private final long[] staticRowShape;
  private Object scratch;
  private boolean sawNaN;

  /** Values per transposition block: 16 KiB of floats, well inside an L1 data cache. */
  private static final int BLOCK_VALUES = 4096;

  public InputAssembler(InputBinding binding, ValueInfo info) {
    this.binding = binding;
    this.info = info;
    this.target = info.elementType();
    this.staticRowShape = rowShape(binding, info);
  }

  /** The per-row shape when it is known without data, or null. */
  private static long[] rowShape(InputBinding b, ValueInfo in) {
    if (b.shape() != null) {
      int[] s = b.shape();
      long[] out = new long[s.length];
      for (int i = 0; i < s.length; i++) {
        out[i] = s[i];
      }
      return out;
    }
    long[] shape = in.shape();
    long[] out = new long[shape.length - 1];
    for (int i = 1; i < shape.length; i++) {
      if (shape[i] < 0) {
        if (shape.length == 2 && b.fromColumnList()) {
          out[0] = b.columns().size();
          continue;
        }
        return null;
      }
      out[i - 1] = shape[i];
    }
    return out;
  }

  public InputBinding binding() {
    return binding;
  }

  public String input() {
    return info.name();
  }

  /**
   * Whether this assembler fills the tensor {@code other} fills from the same batch: the same
   * columns in the same order and per-row shape, into the same element type and rank. A model whose
   * every input fills like one of another model's can be fed a copy of that model's tensors.
   */
  boolean fillsLike(InputAssembler other) {
    return binding.columns().equals(other.binding.columns())
        && binding.fromColumnList() == other.binding.fromColumnList()
        && java.util.Arrays.equals(binding.shape(), other.binding.shape())
        && target == other.target
        && info.rank() == other.info.rank()
        && java.util.Arrays.equals(staticRowShape, other.staticRowShape);
  }

  /** A new assembler of the same binding and model input (its own scratch state). */
  InputAssembler fresh() {
    return new InputAssembler(binding, info);
  }

  /** Whether a double column feeding this input is narrowed to float (and may overflow it). */
  boolean narrowsToFloat() {
    return target == ElementType.FLOAT;
  }

  /** Whether the last {@link #fill} asked to look for NaN copied one (or an infinity). */
  public boolean sawNaN() {
    return sawNaN;
  }

  /**
   * Fills the tensor for rows {@code sel[from..to)}, or rows {@code from..to} when {@code sel} is
   * null. Returns the tensor so callers can patch filled values. With {@code checkNaN}, {@link
   * #sawNaN} then tells whether a copied floating-point value was NaN.
   */
  public HostTensor fill(
      ColumnBatch batch, int[] sel, int from, int to, Runner runner, boolean checkNaN) {
    sawNaN = false;
    int n = to - from;
    if (binding.fromColumnList() || !column(batch, 0).type().isArray()) {
      int k = binding.columns().size();
      HostTensor t = runner.input(info.name(), shapeFor(n, k));
      Column first = column(batch, 0);
      if (k == 1 && sel == null && bulkScalar(first, from, n, t)) {
        sawNaN = checkNaN && NullScan.hasNonFinite(first, from, to, false);
        return t;
      }
      Column[] cols = new Column[k];
      for (int j = 0; j < k; j++) {
        cols[j] = column(batch, j);
        checkType(cols[j], j);
      }
      // Transpose in blocks of rows that fit the L1 cache, each copied into the tensor in bulk:
      // strided writes across a whole batch-sized scratch cost as much as the model on narrow
      // I/O-bound models (docs/performance.md).
      int block = Math.max(1, Math.min(n, BLOCK_VALUES / k));
      Object dst = scratch(block * k);
      for (int b = from; b < to; b += block) {
        int e = Math.min(to, b + block);
        for (int j = 0; j < k; j++) {
          sawNaN |= gather(cols[j], sel, b, e, dst, j, k, binding.columns().get(j), checkNaN);
        }
        put(t, (b - from) * k, dst, (e - b) * k);
      }
      return t;
    }
    Column col = column(batch, 0);
    checkType(col.elements(), 0);
    int w = widthOf(col, sel, from, to);
    HostTensor t = runner.input(info.name(), shapeFor(n, w));
    int[] off = col.offsets();
    if (sel == null && bulkRange(col.elements(), off[from], n * w, t)) {
      // The range was just copied: look at it while it is still in cache.
      sawNaN =
          checkNaN && NullScan.hasNonFinite(col.elements(), off[from], off[from] + n * w, false);
      return t;
    }
    Object dst = scratch(n * w);
    for (int i = 0; i < n; i++) {
      int r = sel == null ? from + i : sel[i + from];
      copyRange(col.elements(), off[r], w, dst, i * w, binding.columns().get(0), r);
    }
    sawNaN = checkNaN && NullScan.hasNonFinite(dst, n * w);
    put(t, 0, dst, n * w);
    return t;
  }

  /** Values per row in the tensor for these rows. */
  private int widthOf(Column col, int[] sel, int from, int to) {
    long expected = staticRowShape == null ? -1 : HostTensor.count(staticRowShape);
    int w = -1;
    for (int i = from; i < to; i++) {
      int r = sel == null ? i : sel[i];
      int len = col.length(r);
      if (expected >= 0 && len != expected) {
        throw wrongWidth(r, len, expected);
      }
      if (w >= 0 && len != w) {
        throw new BadInputException(
            binding.columns().get(0),
            r,
            info.name(),
            "column '"
                + binding.columns().get(0)
                + "' row "
                + r
                + " has "
                + len
                + " values but earlier rows of the batch have "
                + w
                + "; model input '"
                + info.name()
                + "' "
                + info.shapeString()
                + " needs equal lengths within a batch");
      }
      w = len;
    }
    return Math.max(w, 0);
  }

  private BadInputException wrongWidth(int row, int len, long expected) {
    String col = binding.columns().get(0);
    return new BadInputException(
        col,
        row,
        info.name(),
        "column '"
            + col
            + "' row "
            + row
            + " has "
            + len
            + " values; model input '"
            + info.name()
            + "' "
            + info.typeString()
            + " takes "
            + expected
            + " per row");
  }

  private long[] shapeFor(int n, int perRow) {
    long[] rest = staticRowShape;
    if (rest == null) {
      rest = info.rank() <= 1 ? new long[0] : new long[] {perRow};
    }
    long[] shape = new long[rest.length + 1];
    shape[0] = n;
    System.arraycopy(rest, 0, shape, 1, rest.length);
    return shape;
  }

  private Column column(ColumnBatch batch, int j) {
    String name = binding.columns().get(j);
    Column c = batch.column(name);
    if (c == null) {
      throw new BadInputException(
          name,
          -1,
          info.name(),
          "the batch has no column '"
              + name
              + "' (model input '"
              + info.name()
              + "'); it has "
              + batch.names());
    }
    return c;
  }

  private void checkType(Column c, int j) {
    ElementType e = c.type().element();
    if (!TypeRules.convertible(e, target)) {
      String name = binding.columns().get(j);
      throw new BadInputException(
          name,
          -1,
          info.name(),
          "column '"
              + name
              + "' is "
              + c.type()
              + " but model input '"
              + info.name()
              + "' expects "
              + target);
    }
  }

  private Object scratch(int n) {
    switch (target) {
      case FLOAT:
        if (!(scratch instanceof float[] f) || f.length < n) {
          scratch = new float[n];
        }
        break;
      case DOUBLE:
        if (!(scratch instanceof double[] d) || d.length < n) {
          scratch = new double[n];
        }
        break;
      case INT64:
        if (!(scratch instanceof long[] l) || l.length < n) {
          scratch = new long[n];
        }
        break;
      case INT32:
        if (!(scratch instanceof int[] i) || i.length < n) {
          scratch = new int[n];
        }
        break;
      case BOOL:
        if (!(scratch instanceof byte[] b) || b.length < n) {
          scratch = new byte[n];
        }
        break;
      case STRING:
        if (!(scratch instanceof String[] s) || s.length < n) {
          scratch = new String[n];
        }
        break;
      default:
        throw new IllegalStateException("cannot feed " + target);
    }
    return scratch;
  }

  /** Copies {@code n} values of {@code src} into the tensor from element {@code at}. */
  private void put(HostTensor t, int at, Object src, int n) {
    switch (target) {
      case FLOAT:
        t.floats().put(at, (float[]) src, 0, n);
        break;
      case DOUBLE:
        t.doubles().put(at, (double[]) src, 0, n);
        break;
      case INT64:
        t.longs().put(at, (long[]) src, 0, n);
        break;
      case INT32:
        t.ints().put(at, (int[]) src, 0, n);
        break;
      case BOOL:
        t.bytes().put(at, (byte[]) src, 0, n);
        break;
      case STRING:
        System.arraycopy(src, 0, t.strings(), at, n);
        break;
      default:
        throw new IllegalStateException("cannot feed " + target);
    }
  }

  /** One bulk copy when a scalar column already holds the tensor's type. */
  private boolean bulkScalar(Column c, int from, int n, HostTensor t) {
    return bulkRange(c, from, n, t);
  }

  private boolean bulkRange(Column c, int start, int n, HostTensor t) {
    if (!c.type().isScalar() || c.type().element() != target) {
      return false;
    }
    switch (target) {
      case FLOAT:
        t.floats().put(0, c.floats(), start, n);
        return true;
      case DOUBLE:
        t.doubles().put(0, c.doubles(), start, n);
        return true;
      case INT64:
        t.longs().put(0, c.longs(), start, n);
        return true;
      case INT32:
        t.ints().put(0, c.ints(), start, n);
        return true;
      default:
        return false;
    }
  }

  /** The element type of a scalar column. */
  private static ElementType scalar(Column c) {
    return c.type().element();
  }

  /**
   * Copies rows sel[from..to) of a scalar column into dst at offset, stride. Returns whether a
   * copied floating-point value was NaN when {@code checkNaN}. The check rides in the copy loop
   * (one compare per value, needed or not: measured free on float and double columns, where a
   * separate pass cost 16-101% of the copy).
   */
  private boolean gather(
      Column c,
      int[] sel,
      int from,
      int to,
      Object dst,
      int offset,
      int stride,
      String name,
      boolean checkNaN) {
    int pos = offset;
    switch (target) {
      case FLOAT:
        {
          float[] d = (float[]) dst;
          ElementType source = scalar(c);
          if (source == ElementType.FLOAT) {
            float[] v = c.floats();
            boolean nan = false;
            for (int i = from; i < to; i++, pos += stride) {
              float x = v[sel == null ? i : sel[i]];
              d[pos] = x;
              nan |= x - x != 0f; // NaN or infinite
            }
            return checkNaN && nan;
          } else if (source == ElementType.DOUBLE) {
            double[] v = c.doubles();
            boolean nan = false;
            for (int i = from; i < to; i++, pos += stride) {
              float x = (float) v[sel == null ? i : sel[i]];
              d[pos] = x;
              nan |= x - x != 0f; // NaN, infinite, or a double beyond float's range
            }
            return checkNaN && nan;
          } else if (source == ElementType.INT64) {
            long[] v = c.longs();
            for (int i = from; i < to; i++, pos += stride) {
              d[pos] = (float) v[sel == null ? i : sel[i]];
            }
          } else {
            int[] v = c.ints();
            for (int i = from; i < to; i++, pos += stride) {
              d[pos] = (float) v[sel == null ? i : sel[i]];
            }
          }
          return false;
        }
      case DOUBLE:
        {
          double[] d = (double[]) dst;
          boolean nan = false;
          for (int i = from; i < to; i++, pos += stride) {
            double x = asDouble(c, sel == null ? i : sel[i]);
            d[pos] = x;
            nan |= x - x != 0; // NaN or infinite
          }
          return checkNaN && nan;
        }
      case INT64:
        {
          long[] d = (long[]) dst;
          if (scalar(c) == ElementType.INT64) {
            long[] v = c.longs();
            for (int i = from; i < to; i++, pos += stride) {
              d[pos] = v[sel == null ? i : sel[i]];
            }
          } else {
            int[] v = c.ints();
            for (int i = from; i < to; i++, pos += stride) {
              d[pos] = v[sel == null ? i : sel[i]];
            }
          }
          return false;
        }
      case INT32:
        {
          int[] d = (int[]) dst;
          for (int i = from; i < to; i++, pos += stride) {
            int r = sel == null ? i : sel[i];
            d[pos] = asInt(c, r, name);
          }
          return false;
        }
      case BOOL:
        {
          byte[] d = (byte[]) dst;
          boolean[] v = c.booleans();
          for (int i = from; i < to; i++, pos += stride) {
            d[pos] = v[sel == null ? i : sel[i]] ? (byte) 1 : 0;
          }
          return false;
        }
      case STRING:
        {
          String[] d = (String[]) dst;
          String[] v = c.strings();
          for (int i = from; i < to; i++, pos += stride) {
            d[pos] = v[sel == null ? i : sel[i]];
          }
          return false;
        }
      default:
        throw new IllegalStateException("cannot feed " + target);
    }
  }

  /** Copies {@code len} child values from {@code start} into dst at {@code off}. */
  private void copyRange(Column c, int start, int len, Object dst, int off, String name, int row) {
    switch (target) {
      case FLOAT:
        {
          float[] d = (float[]) dst;
          if (scalar(c) == ElementType.FLOAT) {
            System.arraycopy(c.floats(), start, d, off, len);
          } else {
            for (int e = 0; e < len; e++) {
              d[off + e] = (float) asDouble(c, start + e);
            }
          }
          return;
        }
      case DOUBLE:
        {
          double[] d = (double[]) dst;
          for (int e = 0; e < len; e++) {
            d[off + e] = asDouble(c, start + e);
          }
          return;
        }
      case INT64:
        {
          long[] d = (long[]) dst;
          if (scalar(c) == ElementType.INT64) {
            System.arraycopy(c.longs(), start, d, off, len);
          } else {
            int[] v = c.ints();
            for (int e = 0; e < len; e++) {
              d[off + e] = v[start + e];
            }
          }
          return;
        }
      case INT32:
        {
          int[] d = (int[]) dst;
          for (int e = 0; e < len; e++) {
            d[off + e] = asInt(c, start + e, name + " (row " + row + ")");
          }
          return;
        }
      case BOOL:
        {
          byte[] d = (byte[]) dst;
          boolean[] v = c.booleans();
          for (int e = 0; e < len; e++) {
            d[off + e] = v[start + e] ? (byte) 1 : 0;
          }
          return;
        }
      case STRING:
        System.arraycopy(c.strings(), start, dst, off, len);
        return;
      default:
        throw new IllegalStateException("cannot feed " + target);
    }
  }

  private static double asDouble(Column c, int i) {
    return c.getNumber(i);
  }

  private int asInt(Column c, int i, String name) {
    if (scalar(c) == ElementType.INT32) {
      return c.getInt(i);
    }
    long v = c.getLong(i);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new BadInputException(
          name,
          i,
          info.name(),
          "column '"
              + name
              + "' row "
              + i
              + " holds "
              + v
              + ", out of range for model input '"
              + info.name()
              + "' (int32)");
    }
    return (int) v;
  }

  /** Writes {@code value} at flat element {@code index} of the tensor (the fill policy). */
  public static void patch(HostTensor t, int index, double value) {
    switch (t.type()) {
      case FLOAT:
        ((FloatBuffer) t.floats()).put(index, (float) value);
        break;
      case DOUBLE:
        ((DoubleBuffer) t.doubles()).put(index, value);
        break;
      case INT64:
        ((LongBuffer) t.longs()).put(index, (long) value);
        break;
      case INT32:
        ((IntBuffer) t.ints()).put(index, (int) value);
        break;
      case BOOL:
        ((ByteBuffer) t.bytes()).put(index, value != 0 ? (byte) 1 : 0);
        break;
      default:
        throw new IllegalStateException("cannot fill a " + t.type() + " input");
    }
  }
}
