package io.batchscore.io;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import io.batchscore.core.BadInputException;
import io.batchscore.core.column.ColumnBatch;
import io.batchscore.core.column.ColumnType;
import io.batchscore.core.column.ElementType;
import io.batchscore.core.column.InputSchema;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a CSV file with a header row, streaming, a batch at a time, parsed by FastCSV (RFC 4180:
 * quoted fields with separators, quotes and line breaks, CRLF or LF, a byte-order mark, a last line
 * without a line break, blank lines skipped). Columns that feed the model are parsed into the model
 * input's type (an empty field is null); a value that does not parse is reported with the file,
 * line and column. Other selected columns are read as text. The separator is a comma, or a tab for
 * {@code .tsv} and {@code .tab} files, unless given.
 */
public final class CsvTableReader implements TableReader {
  private final Path file;
  private final CsvReader<CsvRecord> csv;
  private final Iterator<CsvRecord> records;

  /** Records read ahead to infer types, handed out first. */
  private final Deque<CsvRecord> ahead = new ArrayDeque<>();

  /** Rows handed out so far (read by the read-ahead thread; progress reads it from another). */
  private volatile long rowsRead;

  private final CountingStream counter;
  private final long size;
  private final List<String> header;
  private final int[] indices;
  private final String[] names;
  private final ElementType[] types;

  /** The line the current record starts on, for messages. */
  private long line = 1;

  /** Rows read ahead to infer the types of columns the caller left to us. */
  static final int INFER_ROWS = 1000;

  /**
   * @param types the element type of each column to read: features get the model's; a null type is
   *     inferred from the first 1,000 rows (int64, else double, else bool, else string)
   */
  public CsvTableReader(Path file, Map<String, ElementType> types) throws IOException {
    this(file, types, separatorFor(file));
  }

  /** A reader with its own field separator ({@code ';'}, {@code '\t'}, ...). */
  public CsvTableReader(Path file, Map<String, ElementType> types, char separator)
      throws IOException {
    this.file = file;
    if (!Files.isRegularFile(file)) {
      throw new BadInputException(null, -1, null, file + ": input file not found");
    }
    this.size = Files.size(file);
    this.counter = new CountingStream(Files.newInputStream(file));
    this.csv = open(counter, separator);
    this.records = csv.iterator();
    CsvRecord head = nextRecord();
    if (head == null) {
      csv.close();
      throw new BadInputException(null, -1, null, file + ": empty CSV file, expected a header row");
    }
    this.header = List.copyOf(head.getFields());
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

  /** A tab for {@code .tsv} and {@code .tab} files, else a comma. */
  static char separatorFor(Path file) {
    String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".tsv") || n.endsWith(".tab") ? '\t' : ',';
  }

  private static CsvReader<CsvRecord> open(InputStream in, char separator) {
    return CsvReader.builder()
        .fieldSeparator(separator)
        .quoteCharacter('"')
        .skipEmptyLines(true)
        .detectBomHeader(true)
        // a row with another number of fields is refused here, with the file and line
        .allowExtraFields(true)
        .allowMissingFields(true)
        .ofCsvRecord(in, StandardCharsets.UTF_8);
  }

  /** The next record, or null at the end; a malformed one is bad input naming the line. */
  private CsvRecord nextRecord() {
    try {
      return records.hasNext() ? records.next() : null;
    } catch (CsvParseException e) {
      throw new BadInputException(
          null,
          -1,
          null,
          file
              + ": not valid CSV ("
              + ParquetTableReader.why(e.getCause() != null ? e.getCause() : e)
              + ")");
    } catch (UncheckedIOException e) {
      throw new BadInputException(
          null, -1, null, file + ": cannot read (" + ParquetTableReader.why(e.getCause()) + ")");
    }
  }

  private void inferTypes() throws IOException {
    boolean any = false;
    for (ElementType t : types) {
      any |= t == null;
    }
    if (!any) {
      return;
    }
    List<List<String>> sample = new ArrayList<>();
    CsvRecord r;
    while (sample.size() < INFER_ROWS && (r = nextRecord()) != null) {
      ahead.add(r);
      sample.add(r.getFields());
    }
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
    CsvRecord rec;
    while (rows < maxRows && (rec = ahead.isEmpty() ? nextRecord() : ahead.poll()) != null) {
      line = rec.getStartingLineNumber();
      List<String> fields = rec.getFields();
      if (fields.size() != header.size()) {
        throw new BadInputException(
            null,
            rowsRead + rows,
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
          rowsRead + row,
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

  /** A CSV file's header row: its column names. */
  public static List<String> header(Path file) throws IOException {
    try (CsvReader<CsvRecord> r = open(Files.newInputStream(file), separatorFor(file))) {
      Iterator<CsvRecord> it = r.iterator();
      if (!it.hasNext()) {
        throw new BadInputException(
            null, -1, null, file + ": empty CSV file, expected a header row");
      }
      return List.copyOf(it.next().getFields());
    } catch (CsvParseException e) {
      throw new BadInputException(
          null, -1, null, file + ": not valid CSV (" + e.getMessage() + ")");
    }
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
    csv.close();
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
