package io.batchscore.core.column;


/** Primitive storage for an element type, for code that fills columns itself (readers, writers). */
public final class Columns {
  private Columns() {}

  /** A new array for {@code n} values: float[], double[], long[], int[], boolean[] or String[]. */
  public static Object allocate(ElementType t, int n) {
    switch (t) {
      case FLOAT:
        return new float[n];
      case DOUBLE:
        return new double[n];
      case INT64:
        return new long[n];
      case INT32:
        return new int[n];
      case BOOL:
        return new boolean[n];
      case STRING:
        return new String[n];
      default:
        throw new IllegalArgumentException("no column storage for " + t);
    }
  }

  /** Wraps an array made by {@link #allocate} as a column of its first {@code size} values. */
  public static Column wrap(ElementType t, Object values, boolean[] nulls, int size) {
    switch (t) {
      case FLOAT:
        return new FloatColumn((float[]) values, nulls, size);
      case DOUBLE:
        return new DoubleColumn((double[]) values, nulls, size);
      case INT64:
        return new LongColumn((long[]) values, nulls, size);
      case INT32:
        return new IntColumn((int[]) values, nulls, size);
      case BOOL:
        return new BoolColumn((boolean[]) values, nulls, size);
      case STRING:
        return new StringColumn((String[]) values, nulls, size);
      default:
        throw new IllegalArgumentException("no column storage for " + t);
    }
  }

  /** Value {@code i} of a number column (double, float, int64 or int32) as a double. */
  public static double asDouble(Column c, int i) {
    if (c instanceof DoubleColumn d) {
      return d.value(i);
    }
    if (c instanceof FloatColumn f) {
      return f.value(i);
    }
    if (c instanceof LongColumn l) {
      return l.value(i);
    }
    if (c instanceof IntColumn n) {
      return n.value(i);
    }
    throw new IllegalArgumentException("not a number column: " + c.type());
  }
}
