package io.batchscore.cli.io;

import io.batchscore.core.column.Column;
import io.batchscore.core.column.ColumnBatch;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes scored batches as CSV with a header. Arrays are written as {@code [a;b;c]} and maps as
 * {@code {k:v;k:v}} (semicolons, so no quoting is needed); text is quoted when it must be.
 */
public final class CsvTableWriter implements TableWriter {
  private final BufferedWriter out;
  private final List<String> columns;

  public CsvTableWriter(Path file, List<String> columns) throws IOException {
    this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    this.columns = columns;
    for (int i = 0; i < columns.size(); i++) {
      if (i > 0) {
        out.write(',');
      }
      out.write(quote(columns.get(i)));
    }
    out.write('\n');
  }

  @Override
  public void write(ColumnBatch batch) throws IOException {
    Column[] cols = new Column[columns.size()];
    for (int i = 0; i < cols.length; i++) {
      cols[i] = batch.column(columns.get(i));
    }
    StringBuilder sb = new StringBuilder(256);
    for (int r = 0; r < batch.rowCount(); r++) {
      sb.setLength(0);
      for (int c = 0; c < cols.length; c++) {
        if (c > 0) {
          sb.append(',');
        }
        Object v = cols[c].get(r);
        if (v != null) {
          sb.append(format(v));
        }
      }
      sb.append('\n');
      out.write(sb.toString());
    }
  }

  private static String format(Object v) {
    if (v instanceof List<?> l) {
      StringBuilder sb = new StringBuilder("[");
      for (int i = 0; i < l.size(); i++) {
        sb.append(i > 0 ? ";" : "").append(l.get(i));
      }
      return quote(sb.append(']').toString());
    }
    if (v instanceof Map<?, ?> m) {
      StringBuilder sb = new StringBuilder("{");
      m.forEach(
          (k, val) -> sb.append(sb.length() > 1 ? ";" : "").append(k).append(':').append(val));
      return quote(sb.append('}').toString());
    }
    return quote(String.valueOf(v));
  }

  static String quote(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
