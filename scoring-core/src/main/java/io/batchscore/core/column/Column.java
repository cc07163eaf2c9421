package io.batchscore.core.column;

/**
 * A column of a {@link ColumnBatch}: values held in a primitive array, an optional null mask, and a
 * logical size that may be smaller than the array's capacity (so callers can reuse arrays from
 * batch to batch). Array and map columns hold their rows Arrow-style: flat children and {@code size
 * + 1} offsets.
 *
 * <p>Make one with the {@code of...} factories; read one through the accessor of its type ({@link
 * #floats()}, {@link #getFloat}...), which {@link #type()} tells. An accessor of another type
 * throws {@link UnsupportedOperationException}. Like Spark's {@code ColumnVector}, one public type
 * stands for every kind of column; the implementations are package-private.
 *
 * <p>Columns do not copy the arrays they are given; the caller must not change them while a batch
 * is being scored.
 */
public abstract sealed class Column
    permits FloatColumn,
        DoubleColumn,
        LongColumn,
        IntColumn,
        BoolColumn,
        StringColumn,
        ArrayColumn,
        MapColumn {
  private final int size;
  private final boolean[] nulls;

  Column(int size, boolean[] nulls, int capacity) {
    if (size < 0 || size > capacity) {
      throw new IllegalArgumentException(
          "column size " + size + " does not fit its values (capacity " + capacity + ")");
    }
    if (nulls != null && nulls.length < size) {
      throw new IllegalArgumentException(
          "null mask has " + nulls.length + " entries for " + size + " rows");
    }
    this.size = size;
    this.nulls = nulls;
  }

  // ------------------------------------------------------------------ making columns

  /** Float values (not copied); every entry is a row, none null. */
  public static Column ofFloats(float... values) {
    return new FloatColumn(values, null, values.length);
  }

  /**
   * The first {@code size} entries of {@code values} (not copied).
   *
   * @param nulls null mask, true where the row is null; null when no row is null
   */
  public static Column ofFloats(float[] values, boolean[] nulls, int size) {
    return new FloatColumn(values, nulls, size);
  }

  /** Double values (not copied); every entry is a row, none null. */
  public static Column ofDoubles(double... values) {
    return new DoubleColumn(values, null, values.length);
  }

  /** The first {@code size} entries of {@code values} (not copied), with an optional null mask. */
  public static Column ofDoubles(double[] values, boolean[] nulls, int size) {
    return new DoubleColumn(values, nulls, size);
  }

  /** Int64 values (not copied); every entry is a row, none null. */
  public static Column ofLongs(long... values) {
    return new LongColumn(values, null, values.length);
  }

  /** The first {@code size} entries of {@code values} (not copied), with an optional null mask. */
  public static Column ofLongs(long[] values, boolean[] nulls, int size) {
    return new LongColumn(values, nulls, size);
  }

  /** Int32 values (not copied); every entry is a row, none null. */
  public static Column ofInts(int... values) {
    return new IntColumn(values, null, values.length);
  }

  /** The first {@code size} entries of {@code values} (not copied), with an optional null mask. */
  public static Column ofInts(int[] values, boolean[] nulls, int size) {
    return new IntColumn(values, nulls, size);
  }

  /** Boolean values (not copied); every entry is a row, none null. */
  public static Column ofBooleans(boolean... values) {
    return new BoolColumn(values, null, values.length);
  }

  /** The first {@code size} entries of {@code values} (not copied), with an optional null mask. */
  public static Column ofBooleans(boolean[] values, boolean[] nulls, int size) {
    return new BoolColumn(values, nulls, size);
  }

  /** Strings (not copied); every entry is a row, a null entry a null row. */
  public static Column ofStrings(String... values) {
    return new StringColumn(values, null, values.length);
  }

  /**
   * The first {@code size} entries of {@code values} (not copied); a null entry, or a true entry in
   * the mask, is a null row.
   */
  public static Column ofStrings(String[] values, boolean[] nulls, int size) {
    return new StringColumn(values, nulls, size);
  }

  /**
   * Rows that are arrays: row {@code i} is {@code elements[offsets[i] .. offsets[i+1])}.
   *
   * @param offsets {@code size + 1} non-decreasing offsets into {@code elements}
   * @param elements the flat child column
   * @param nulls null mask, or null
   */
  public static Column ofArrays(int[] offsets, Column elements, boolean[] nulls, int size) {
    return new ArrayColumn(offsets, elements, nulls, size);
  }

  /** Rows that are arrays of {@code width} consecutive elements of {@code flat} each. */
  public static Column ofArrays(Column flat, int width, int size) {
    int[] offsets = new int[size + 1];
    for (int i = 0; i <= size; i++) {
      offsets[i] = i * width;
    }
    return new ArrayColumn(offsets, flat, null, size);
  }

  /**
   * Rows that are maps: row {@code i} maps {@code keys[j]} to {@code values[j]} for {@code j} in
   * {@code offsets[i] .. offsets[i+1]}. This is how the ZipMap output of scikit-learn classifiers
   * arrives.
   */
  public static Column ofMaps(
      int[] offsets, Column keys, Column values, boolean[] nulls, int size) {
    return new MapColumn(offsets, keys, values, nulls, size);
  }

  /**
   * A new array to hold {@code n} values of an element type, for code that fills columns itself
   * (readers): {@code float[]}, {@code double[]}, {@code long[]}, {@code int[]}, {@code boolean[]}
   * or {@code String[]}.
   */
  public static Object allocate(ElementType type, int n) {
    switch (type) {
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
        throw new IllegalArgumentException("no column storage for " + type);
    }
  }

  /** The first {@code size} values of an array made by {@link #allocate}, as a column. */
  public static Column wrap(ElementType type, Object values, boolean[] nulls, int size) {
    switch (type) {
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
        throw new IllegalArgumentException("no column storage for " + type);
    }
  }

  // ------------------------------------------------------------------ every column

  /** Number of rows. */
  public final int size() {
    return size;
  }

  /** True where the row's value is null. */
  public boolean isNull(int row) {
    return nulls != null && nulls[row];
  }

  /**
   * True when some row may be null: the column has a null mask (which may still be all false), or
   * its values can hold null references. False means no row is null.
   */
  public boolean mayHaveNulls() {
    return nulls != null;
  }

  /** The null mask, or null when the column has none. Not copied. */
  public final boolean[] nullMask() {
    return nulls;
  }

  public abstract ColumnType type();

  /** A new column holding the given rows, in that order. */
  public abstract Column select(int[] rows, int count);

  /** The row's value boxed (Float, Long, String, List, Map...), or null. For tests and tools. */
  public abstract Object get(int row);

  /**
   * The row's value of a number column (float, double, int64 or int32) as a double.
   *
   * @throws UnsupportedOperationException the column does not hold numbers
   */
  public double getNumber(int row) {
    throw notA("a number");
  }

  // ------------------------------------------------------------------ by type

  /**
   * The backing array of a float column (not copied); entries past {@link #size()} are not rows.
   */
  public float[] floats() {
    throw notA("float");
  }

  public float getFloat(int row) {
    throw notA("float");
  }

  /** The backing array of a double column (not copied). */
  public double[] doubles() {
    throw notA("double");
  }

  public double getDouble(int row) {
    throw notA("double");
  }

  /** The backing array of an int64 column (not copied). */
  public long[] longs() {
    throw notA("int64");
  }

  public long getLong(int row) {
    throw notA("int64");
  }

  /** The backing array of an int32 column (not copied). */
  public int[] ints() {
    throw notA("int32");
  }

  public int getInt(int row) {
    throw notA("int32");
  }

  /** The backing array of a boolean column (not copied). */
  public boolean[] booleans() {
    throw notA("bool");
  }

  public boolean getBoolean(int row) {
    throw notA("bool");
  }

  /** The backing array of a string column (not copied). */
  public String[] strings() {
    throw notA("string");
  }

  public String getString(int row) {
    throw notA("string");
  }

  /** The {@code size + 1} offsets of an array or map column into its children. */
  public int[] offsets() {
    throw notA("array or map");
  }

  /** Elements in row {@code row} of an array or map column. */
  public int length(int row) {
    int[] o = offsets();
    return o[row + 1] - o[row];
  }

  /** The flat child of an array column. */
  public Column elements() {
    throw notA("array");
  }

  /** The flat keys of a map column. */
  public Column keys() {
    throw notA("map");
  }

  /** The flat values of a map column. */
  public Column values() {
    throw notA("map");
  }

  private UnsupportedOperationException notA(String what) {
    return new UnsupportedOperationException("a " + type() + " column is not " + what);
  }

  static boolean[] selectNulls(boolean[] nulls, int[] rows, int count) {
    if (nulls == null) {
      return null;
    }
    boolean[] out = new boolean[count];
    for (int i = 0; i < count; i++) {
      out[i] = nulls[rows[i]];
    }
    return out;
  }
}
