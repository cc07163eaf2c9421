package io.batchscore.io;

import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import io.batchscore.core.column.Column;
import io.batchscore.core.column.ColumnBatch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes scored batches as CSV with a header, through FastCSV (RFC 4180: a field is quoted when it
 * holds a comma, a quote or a line break; LF line ends). Arrays are written as {@code [a;b;c]} and
 * maps as {@code {k:v;k:v}} (semicolons, so they need no quoting); a null is an empty field.
 */
public final class CsvTableWriter implements TableWriter {
  private final CsvWriter out;
  private final List<String> columns;

  public CsvTableWriter(Path file, List<String> columns) throws IOException {
    this.out =
        CsvWriter.builder().lineDelimiter(LineDelimiter.LF).build(file, StandardCharsets.UTF_8);
    this.columns = columns;
    out.writeRecord(columns);
  }

  @Override
  public void write(ColumnBatch batch) throws IOException {
    Column[] cols = new Column[columns.size()];
    for (int i = 0; i < cols.length; i++) {
      cols[i] = batch.column(columns.get(i));
    }
    String[] fields = new String[cols.length];
    for (int r = 0; r < batch.rowCount(); r++) {
      for (int c = 0; c < cols.length; c++) {
        Object v = cols[c].get(r);
        fields[c] = v == null ? "" : format(v);
      }
      out.writeRecord(fields);
    }
  }

  private static String format(Object v) {
    if (v instanceof List<?> l) {
      StringBuilder sb = new StringBuilder("[");
      for (int i = 0; i < l.size(); i++) {
        sb.append(i > 0 ? ";" : "").append(l.get(i));
      }
      return sb.append(']').toString();
    }
    if (v instanceof Map<?, ?> m) {
      StringBuilder sb = new StringBuilder("{");
      m.forEach(
          (k, val) -> sb.append(sb.length() > 1 ? ";" : "").append(k).append(':').append(val));
      return sb.append('}').toString();
    }
    return String.valueOf(v);
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
