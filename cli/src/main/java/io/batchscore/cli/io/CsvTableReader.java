package io.batchscore.cli.io;

import io.batchscore.core.BadInputException;
import io.batchscore.core.column.ColumnBatch;
import io.batchscore.core.column.ColumnType;
import io.batchscore.core.column.ElementType;
import io.batchscore.core.column.InputSchema;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a CSV file with a header row, streaming, a batch at a time. Columns that feed the model are
 * parsed into the model input's type (an empty field is null); a value that does not parse is
 * reported with the file, line and column. Other selected columns are read as text. Fields may be
 * quoted ("a,b"; "" for a quote), as RFC 4180 describes.
 */
public final class CsvTableReader implements TableReader {
  private final Path file;
  private final BufferedReader in;

  /** Rows handed out so far (read by the read-ahead thread; progress reads it from another). */
  private volatile long rowsRead;

  private final CountingStream counter;
  private final long size;
  private final List<String> header;
  private final int[] indices;
  private final String[] names;
  private final ElementType[] types;
  private long line = 1;

  /** Rows read ahead to infer the types of columns the caller left to us. */
  static final int INFER_ROWS = 1000;

  /**
   * @param types the element type of each column to read: features get the model's; a null type is
   *     inferred from the first 1,000 rows (int64, else double, else bool, else string)
   */
  public CsvTableReader(Path file, Map<String, ElementType> types) throws IOException {
    this.file = file;
    if (!Files.isRegularFile(file)) {
      throw new BadInputException(null, -1, null, file + ": input file not found");
    }
    this.size = Files.size(file);
    this.counter = new CountingStream(Files.newInputStream(file));
    this.in = new BufferedReader(new InputStreamReader(counter, StandardCharsets.UTF_8), 1 << 16);
    String head = in.readLine();
    if (head == null) {
      throw new BadInputException(null, -1, null, file + ": empty CSV file, expected a header row");
    }
    if (head.startsWith("\uFEFF")) {
      head = head.substring(1);
    }
    this.header = split(head);
    List<String> wanted = new ArrayList<>();
    for (String c : header) {
      if (types.containsKey(c)) {
        wanted.add(c);
      }
    }
    this.names = wanted.toArray(new String[0]);
    this.indices = new int[names.length];
    this.types = new ElementType[names.length];
    for (int i = 0; i < names.length; i++) {
      indices[i] = header.indexOf(names[i]);
      this.types[i] = types.get(names[i]);
    }
    inferTypes();
  }

  private void inferTypes() throws IOException {
    boolean any = false;
    for (ElementType t : types) {
      any |= t == null;
    }
    if (!any) {
      return;
    }
    in.mark(64 << 20);
    List<List<String>> sample = new ArrayList<>();
    String s;
    while (sample.size() < INFER_ROWS && (s = in.readLine()) != null) {
      if (!s.isEmpty()) {
        sample.add(split(s));
      }
    }
    in.reset();
    for (int c = 0; c < types.length; c++) {
      if (types[c] != null) {
        continue;
      }
      boolean isLong = true;
      boolean isDouble = true;
      boolean isBool = true;
      for (List<String> row : sample) {
        String v = indices[c] < row.size() ? row.get(indices[c]).trim() : "";
        if (v.isEmpty()) {
          continue;
        }
        isLong &= v.matches("[-+]?\\d{1,18}");
        isDouble &= isNumber(v);
        isBool &= v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false");
      }
      inferredColumns.add(c);
      types[c] =
          isLong
              ? ElementType.INT64
              : isDouble ? ElementType.DOUBLE : isBool ? ElementType.BOOL : ElementType.STRING;
    }
  }

  private static boolean isNumber(String v) {
    try {
      Double.parseDouble(v);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** The header's column names. */
  public List<String> header() {
    return header;
  }

  /**
   * The schema of a CSV file: the selected columns with their types, then the other header columns
   * as strings (they are not read, but validation names them in suggestions).
   */
  @Override
  public InputSchema schema() {
    InputSchema.Builder b = InputSchema.builder();
    for (int i = 0; i < names.length; i++) {
      b.add(names[i], ColumnType.scalar(types[i]));
    }
    for (String h : header) {
      if (!java.util.Arrays.asList(names).contains(h)) {
        b.add(h, ColumnType.scalar(ElementType.STRING));
      }
    }
    return b.build();
  }

  @Override
  public long totalRows() {
    return -1;
  }

  @Override
  public long[] bytesProgress() {
    return new long[] {counter.count, size, rowsRead};
  }

  @Override
  public ColumnBatch next(int maxRows) throws IOException {
    Object[] values = new Object[names.length];
    boolean[][] nulls = new boolean[names.length][maxRows];
    boolean[] anyNull = new boolean[names.length];
    for (int i = 0; i < names.length; i++) {
      values[i] = ParquetTableReader.alloc(types[i], maxRows);
    }
    int rows = 0;
    String s;
    while (rows < maxRows && (s = in.readLine()) != null) {
      line++;
      if (s.isEmpty()) {
        continue;
      }
      List<String> fields = split(s);
      if (fields.size() != header.size()) {
        throw new BadInputException(
            null,
            line - 2,
            null,
            file
                + " line "
                + line
                + ": "
                + fields.size()
                + " fields, the header has "
                + header.size());
      }
      for (int c = 0; c < names.length; c++) {
        String v = fields.get(indices[c]);
        if (v.isEmpty() && types[c] != ElementType.STRING) {
          nulls[c][rows] = true;
          anyNull[c] = true;
          continue;
        }
        parse(v, c, rows, values[c]);
      }
      rows++;
    }
    if (rows == 0) {
      return null;
    }
    rowsRead += rows;
    ColumnBatch.Builder b = ColumnBatch.builder(rows);
    for (int c = 0; c < names.length; c++) {
      b.add(
          names[c],
          ParquetTableReader.column(types[c], values[c], anyNull[c] ? nulls[c] : null, rows));
    }
    return b.build();
  }

  private void parse(String v, int c, int row, Object dst) {
    try {
      switch (types[c]) {
        case FLOAT:
          ((float[]) dst)[row] = Float.parseFloat(v);
          break;
        case DOUBLE:
          ((double[]) dst)[row] = Double.parseDouble(v);
          break;
        case INT64:
          ((long[]) dst)[row] = Long.parseLong(v.trim());
          break;
        case INT32:
          ((int[]) dst)[row] = Integer.parseInt(v.trim());
          break;
        case BOOL:
          String b = v.trim().toLowerCase(java.util.Locale.ROOT);
          if (!b.equals("true") && !b.equals("false") && !b.equals("1") && !b.equals("0")) {
            throw new NumberFormatException();
          }
          ((boolean[]) dst)[row] = b.equals("true") || b.equals("1");
          break;
        default:
          ((String[]) dst)[row] = v;
      }
    } catch (NumberFormatException e) {
      throw new BadInputException(
          names[c],
          line - 2,
          null,
          file
              + " line "
              + line
              + ", column '"
              + names[c]
              + "': '"
              + v
              + "' is not "
              + (types[c] == ElementType.BOOL ? "a boolean" : "a number")
              + " (expected "
              + types[c]
              + (inferred(c) ? ", inferred from the first " + INFER_ROWS + " rows" : "")
              + ")");
    }
  }

  private final java.util.Set<Integer> inferredColumns = new java.util.HashSet<>();

  private boolean inferred(int c) {
    return inferredColumns.contains(c);
  }

  /** Splits a CSV line; quoted fields may hold commas and doubled quotes. */
  /** A CSV file's header row: its column names. */
  public static List<String> header(Path file) throws IOException {
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String head = r.readLine();
      if (head == null) {
        throw new BadInputException(
            null, -1, null, file + ": empty CSV file, expected a header row");
      }
      return split(head.startsWith("\uFEFF") ? head.substring(1) : head);
    }
  }

  static List<String> split(String s) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (quoted) {
        if (ch == '"') {
          if (i + 1 < s.length() && s.charAt(i + 1) == '"') {
            cur.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          cur.append(ch);
        }
      } else if (ch == '"') {
        quoted = true;
      } else if (ch == ',') {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(ch);
      }
    }
    out.add(cur.toString());
    return out;
  }

  /** Header columns, for validation messages (a map so lookups are cheap). */
  public Map<String, Integer> headerIndex() {
    Map<String, Integer> m = new HashMap<>();
    for (int i = 0; i < header.size(); i++) {
      m.put(header.get(i), i);
    }
    return m;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  private static final class CountingStream extends FilterInputStream {
    long count;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }
}
