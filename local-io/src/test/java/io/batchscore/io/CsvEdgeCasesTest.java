package io.batchscore.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.batchscore.core.BadInputException;
import io.batchscore.core.column.ColumnBatch;
import io.batchscore.core.column.ElementType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CSV as other tools write it: quoted fields holding separators, quotes and line breaks, a
 * byte-order mark, CRLF line ends, blank lines, no line break after the last row, another
 * separator. Every one reads the same values as the plain file.
 */
class CsvEdgeCasesTest {
  @TempDir Path tmp;

  private static Map<String, ElementType> types() {
    Map<String, ElementType> t = new LinkedHashMap<>();
    t.put("x", ElementType.DOUBLE);
    t.put("note", ElementType.STRING);
    return t;
  }

  private record Read(double[] x, String[] note) {}

  private Read read(String name, byte[] content, Character separator) throws Exception {
    Path f = tmp.resolve(name);
    Files.write(f, content);
    try (CsvTableReader r =
        separator == null
            ? new CsvTableReader(f, types())
            : new CsvTableReader(f, types(), separator)) {
      ColumnBatch b = r.next(100);
      assertEquals(null, r.next(100), "one batch holds every row");
      return new Read(java.util.Arrays.copyOf(b.column("x").doubles(), b.rowCount()), notes(b));
    }
  }

  private static String[] notes(ColumnBatch b) {
    String[] out = new String[b.rowCount()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (String) b.column("note").get(i);
    }
    return out;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void quotedSeparatorsAndLineBreaksABomCrlfBlankLinesAndNoFinalLineBreakReadTheSame()
      throws Exception {
    Read plain = read("plain.csv", utf8("x,note\n1.5,a\n2.5,b\n3.5,c\n"), null);
    assertArrayEquals(new double[] {1.5, 2.5, 3.5}, plain.x());
    assertArrayEquals(new String[] {"a", "b", "c"}, plain.note());

    Read quoted =
        read("quoted.csv", utf8("x,note\n1.5,\"a, \"\"q\"\"\nnext\"\n2.5,b\n3.5,c\n"), null);
    assertArrayEquals(plain.x(), quoted.x());
    assertEquals("a, \"q\"\nnext", quoted.note()[0]);

    byte[] bom = new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};
    byte[] body = utf8("x,note\r\n1.5,a\r\n\r\n2.5,b\r\n3.5,c");
    byte[] withBom = new byte[bom.length + body.length];
    System.arraycopy(bom, 0, withBom, 0, bom.length);
    System.arraycopy(body, 0, withBom, bom.length, body.length);
    Read crlf = read("bom-crlf.csv", withBom, null);
    assertArrayEquals(plain.x(), crlf.x(), "BOM, CRLF, a blank line, no final line break");
    assertArrayEquals(plain.note(), crlf.note());

    Read semicolons = read("semi.csv", utf8("x;note\n1.5;a\n2.5;b\n3.5;c\n"), ';');
    assertArrayEquals(plain.x(), semicolons.x());
    Read tabs = read("tabs.tsv", utf8("x\tnote\n1.5\ta\n2.5\tb\n3.5\tc\n"), null);
    assertArrayEquals(plain.x(), tabs.x(), "a .tsv file is read with tabs");
    assertArrayEquals(plain.note(), tabs.note());
  }

  @Test
  void aBadValueAfterAQuotedLineBreakNamesItsOwnLine() throws Exception {
    Path f = tmp.resolve("bad.csv");
    Files.writeString(f, "x,note\n1.5,\"two\nlines\"\n2.x,b\n");
    try (CsvTableReader r = new CsvTableReader(f, types())) {
      BadInputException e = assertThrows(BadInputException.class, () -> r.next(100));
      assertTrue(e.getMessage().contains("bad.csv line 4, column 'x': '2.x'"), e.getMessage());
    }
  }

  @Test
  void aRowWithTooFewFieldsNamesItsLine() throws Exception {
    Path f = tmp.resolve("short.csv");
    Files.writeString(f, "x,note\n1.5,a\n2.5\n");
    try (CsvTableReader r = new CsvTableReader(f, types())) {
      BadInputException e = assertThrows(BadInputException.class, () -> r.next(100));
      assertTrue(
          e.getMessage().contains("short.csv line 3: 1 fields, the header has 2"), e.getMessage());
    }
  }

  @Test
  void textWithSeparatorsQuotesAndLineBreaksWrittenReadsBackTheSame() throws Exception {
    Path f = tmp.resolve("written.csv");
    String[] notes = {"plain", "a, b", "say \"hi\"", "two\nlines", ""};
    ColumnBatch.Builder b = ColumnBatch.builder(notes.length);
    b.add(
        "x",
        io.batchscore.core.column.Column.wrap(
            ElementType.DOUBLE, new double[] {1, 2, 3, 4, 5}, null, 5));
    b.add(
        "note", io.batchscore.core.column.Column.wrap(ElementType.STRING, notes.clone(), null, 5));
    try (CsvTableWriter w = new CsvTableWriter(f, java.util.List.of("x", "note"))) {
      w.write(b.build());
    }
    try (CsvTableReader r = new CsvTableReader(f, types())) {
      ColumnBatch back = r.next(100);
      assertEquals(5, back.rowCount(), Files.readString(f));
      assertArrayEquals(notes, notes(back));
    }
  }
}
