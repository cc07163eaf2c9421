package io.batchscore.core;

import io.batchscore.core.column.Column;
import io.batchscore.core.column.ColumnBatch;
import io.batchscore.core.column.ColumnType;
import io.batchscore.core.column.ElementType;
import io.batchscore.core.spec.NullPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds null and non-finite features before a batch is assembled and applies the spec's policy:
 * throw naming the first bad row ({@code fail}), mark rows to leave out ({@code skip}), or note the
 * tensor positions to overwrite with the fill value ({@code fill}). A floating-point value that is
 * NaN, infinite, or a finite double beyond float's range that a float input would read as infinite,
 * counts as a null: a model given one returns NaN scores and a label that means nothing. Columns
 * with no null mask and no floating-point values cost nothing; floating-point columns cost one
 * pass, unless the caller defers the check to the assemblers, which look while they copy ({@link
 * InputAssembler#fill}). (Elsewhere in this package "NaN" is short for any of these.)
 */
final class NullScan {
  /** Rows left out (skip), and per assembler the (row, element) positions to fill. */
  public static final class Outcome {
    public final boolean[] rejected;
    public final List<RowRejection> rejections = new ArrayList<>();
    public final List<List<int[]>> fills = new ArrayList<>();
    public int rejectedCount;

    Outcome(int rows, int assemblers, boolean skip) {
      this.rejected = skip ? new boolean[rows] : null;
      for (int i = 0; i < assemblers; i++) {
        fills.add(new ArrayList<>());
      }
    }
  }

  private NullScan() {}

  /**
   * Scans the batch's features. With {@code nanLater}, floating-point values are not looked at here
   * (null masks still are): the caller has the assemblers look for NaN as they copy, and scans
   * again without it if one does.
   */
  public static Outcome scan(
      ColumnBatch batch,
      List<InputAssembler> assemblers,
      NullPolicy policy,
      String textColumn,
      String textInput,
      boolean nanLater) {
    Outcome out = new Outcome(batch.rowCount(), assemblers.size(), policy == NullPolicy.SKIP);
    Column text = textColumn == null ? null : batch.column(textColumn);
    if (text != null && is(text, ElementType.STRING)) {
      for (int r = 0; r < text.size(); r++) {
        String v = text.getString(r);
        boolean isNull = text.isNull(r);
        // Under fill, null and empty texts are scored as the empty string (see TextAssembler).
        if ((isNull || v.isBlank()) && policy != NullPolicy.FILL) {
          bad(r, 0, textColumn, textInput, isNull ? "null" : "empty", -1, policy, out, -1);
        }
      }
    }
    for (int a = 0; a < assemblers.size(); a++) {
      InputAssembler asm = assemblers.get(a);
      List<String> cols = asm.binding().columns();
      for (int j = 0; j < cols.size(); j++) {
        Column c = batch.column(cols.get(j));
        if (c == null) {
          continue; // the assembler reports the missing column
        }
        if (c.type().isArray()) {
          scanArray(c, cols.get(j), asm.input(), a, policy, out, nanLater, asm.narrowsToFloat());
        } else {
          scanScalar(
              c, cols.get(j), asm.input(), a, j, policy, out, nanLater, asm.narrowsToFloat());
        }
      }
    }
    return out;
  }

  private static void scanScalar(
      Column c,
      String name,
      String input,
      int a,
      int element,
      NullPolicy p,
      Outcome out,
      boolean nanLater,
      boolean toFloat) {
    int n = c.size();
    if (c.mayHaveNulls()) {
      for (int r = 0; r < n; r++) {
        if (c.isNull(r)) {
          bad(r, element, name, input, "null", a, p, out, -1);
        }
      }
    }
    if (nanLater || !hasNonFinite(c, 0, n, toFloat)) {
      return;
    }
    for (int r = 0; r < n; r++) {
      String what = nonFinite(c, r, toFloat);
      if (what != null && !c.isNull(r)) {
        bad(r, element, name, input, what, a, p, out, -1);
      }
    }
  }

  private static void scanArray(
      Column c,
      String name,
      String input,
      int a,
      NullPolicy p,
      Outcome out,
      boolean nanLater,
      boolean toFloat) {
    int n = c.size();
    int[] off = c.offsets();
    Column child = c.elements();
    if (c.mayHaveNulls()) {
      for (int r = 0; r < n; r++) {
        if (c.isNull(r)) {
          if (p == NullPolicy.FILL) {
            throw new BadInputException(
                name,
                r,
                input,
                "column '"
                    + name
                    + "' row "
                    + r
                    + " is a null array; the fill policy fills values, not whole arrays"
                    + " (use nulls: skip to leave such rows out)");
          }
          bad(r, 0, name, input, "null", a, p, out, -1);
        }
      }
    }
    boolean childNulls = child.mayHaveNulls();
    if (!childNulls && (nanLater || !hasNonFinite(child, off[0], off[n], toFloat))) {
      return; // the common case: no null values, and no NaN (or the assembler looks for it)
    }
    for (int r = 0; r < n; r++) {
      if (c.isNull(r)) {
        continue;
      }
      for (int e = off[r]; e < off[r + 1]; e++) {
        boolean isNull = childNulls && child.isNull(e);
        String what = isNull ? "null" : nonFinite(child, e, toFloat);
        if (what != null) {
          bad(r, e - off[r], name, input, what, a, p, out, e - off[r]);
          if (p == NullPolicy.SKIP) {
            break;
          }
        }
      }
    }
  }

  /**
   * Whether any of {@code v[from..to)} is NaN or infinite. A screen first: {@code x * 0} is 0 for
   * every finite x and NaN for NaN and the infinities, and eight independent sums of it keep the
   * FPU busy without a branch per value (JMH: 2.1x the compare-and-branch loop on a cached batch).
   * Only a NaN sum pays for the exact loop ({@code x - x != 0} exactly when x is not finite).
   */
  public static boolean hasNonFinite(float[] v, int from, int to) {
    float a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, g = 0, h = 0;
    int i = from;
    for (; i + 7 < to; i += 8) {
      a += v[i] * 0f;
      b += v[i + 1] * 0f;
      c += v[i + 2] * 0f;
      d += v[i + 3] * 0f;
      e += v[i + 4] * 0f;
      f += v[i + 5] * 0f;
      g += v[i + 6] * 0f;
      h += v[i + 7] * 0f;
    }
    for (; i < to; i++) {
      a += v[i] * 0f;
    }
    float sum = a + b + c + d + e + f + g + h;
    if (sum == sum) {
      return false;
    }
    for (i = from; i < to; i++) {
      if (v[i] - v[i] != 0) {
        return true;
      }
    }
    return false;
  }

  static boolean hasNonFinite(double[] v, int from, int to) {
    double a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, g = 0, h = 0;
    int i = from;
    for (; i + 7 < to; i += 8) {
      a += v[i] * 0d;
      b += v[i + 1] * 0d;
      c += v[i + 2] * 0d;
      d += v[i + 3] * 0d;
      e += v[i + 4] * 0d;
      f += v[i + 5] * 0d;
      g += v[i + 6] * 0d;
      h += v[i + 7] * 0d;
    }
    for (; i < to; i++) {
      a += v[i] * 0d;
    }
    double sum = a + b + c + d + e + f + g + h;
    if (sum == sum) {
      return false;
    }
    for (i = from; i < to; i++) {
      if (v[i] - v[i] != 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a float or double column holds a value in {@code [from, to)} that is not finite, or
   * with {@code toFloat}, a double that is not finite as a float.
   */
  static boolean hasNonFinite(Column c, int from, int to, boolean toFloat) {
    if (is(c, ElementType.FLOAT)) {
      return hasNonFinite(c.floats(), from, to);
    }
    if (is(c, ElementType.DOUBLE)) {
      return toFloat
          ? hasNonFiniteAsFloat(c.doubles(), from, to)
          : hasNonFinite(c.doubles(), from, to);
    }
    return false;
  }

  /** Whether a column holds scalars of the given type. */
  static boolean is(Column c, ElementType type) {
    ColumnType t = c.type();
    return t.isScalar() && t.element() == type;
  }

  /** Whether a double of {@code v[from..to)} is NaN, infinite, or beyond float's range. */
  static boolean hasNonFiniteAsFloat(double[] v, int from, int to) {
    if (hasNonFinite(v, from, to)) {
      return true;
    }
    for (int i = from; i < to; i++) {
      float x = (float) v[i];
      if (x - x != 0f) {
        return true;
      }
    }
    return false;
  }

  /** Why value {@code i} of a column cannot be scored ("NaN", "infinite"...), or null. */
  private static String nonFinite(Column c, int i, boolean toFloat) {
    if (is(c, ElementType.FLOAT)) {
      float x = c.getFloat(i);
      return x != x ? "NaN" : x - x != 0f ? "infinite" : null;
    }
    if (is(c, ElementType.DOUBLE)) {
      double x = c.getDouble(i);
      if (x != x) {
        return "NaN";
      }
      if (x - x != 0) {
        return "infinite";
      }
      float y = (float) x;
      return toFloat && y - y != 0f
          ? "beyond the range of the model's float input (" + x + ")"
          : null;
    }
    return null;
  }

  /** Whether the first {@code n} values of a float[] or double[] scratch are not all finite. */
  static boolean hasNonFinite(Object values, int n) {
    if (values instanceof float[] f) {
      return hasNonFinite(f, 0, n);
    }
    if (values instanceof double[] d) {
      return hasNonFinite(d, 0, n);
    }
    return false;
  }

  private static void bad(
      int row,
      int element,
      String column,
      String input,
      String what,
      int assembler,
      NullPolicy p,
      Outcome out,
      int arrayElement) {
    switch (p) {
      case FAIL:
        throw new BadInputException(
            column,
            row,
            input,
            "column '"
                + column
                + "' row "
                + row
                + (arrayElement >= 0 ? " element " + arrayElement : "")
                + " is "
                + what
                + " (model input '"
                + input
                + "'); the spec's null policy is fail (nulls: skip or fill scores around it)");
      case SKIP:
        if (!out.rejected[row]) {
          out.rejected[row] = true;
          out.rejectedCount++;
          out.rejections.add(new io.batchscore.core.RowRejection(row, column, input, what));
        }
        return;
      case FILL:
      default:
        if (assembler >= 0) {
          out.fills.get(assembler).add(new int[] {row, element});
        }
    }
  }
}
