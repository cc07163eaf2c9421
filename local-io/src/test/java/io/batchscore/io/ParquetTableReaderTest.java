package io.batchscore.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.batchscore.core.column.Column;
import io.batchscore.core.column.ColumnBatch;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Flat number columns are read a page at a time (bulk copies of PLAIN pages, parquet-java's readers
 * for dictionary and delta pages): every value and null must come back in its row, across pages,
 * row groups and batch boundaries, for both page formats.
 */
class ParquetTableReaderTest {
  @TempDir Path tmp;

  private static final MessageType SCHEMA =
      MessageTypeParser.parseMessageType(
          "message t { required double d; optional float f; optional int32 small; required int64 l; required int32 run; }");

  private static double d(int i) {
    return i * 0.5 - 3;
  }

  /** Nulls every 7th row; an int column with 5 distinct values (dictionary-encoded). */
  private static Float f(int i) {
    return i % 7 == 3 ? null : i * 0.25f;
  }

  private static Integer small(int i) {
    return i % 11 == 0 ? null : i % 5;
  }

  /** Both page formats, with Spark's default codec and the others parquet-java reads. */
  static Stream<Arguments> formats() {
    return Stream.of(ParquetProperties.WriterVersion.values())
        .flatMap(
            v ->
                Stream.of(
                        CompressionCodecName.SNAPPY,
                        CompressionCodecName.UNCOMPRESSED,
                        CompressionCodecName.GZIP,
                        CompressionCodecName.ZSTD,
                        CompressionCodecName.LZ4_RAW)
                    .map(c -> Arguments.of(v, c)));
  }

  @ParameterizedTest
  @MethodSource("formats")
  void numbersNullsAndDictionariesComeBackInTheirRowsAcrossPagesAndRowGroups(
      ParquetProperties.WriterVersion version, CompressionCodecName codec) throws Exception {
    int n = 20_000;
    Path file = tmp.resolve("t-" + version + "-" + codec + ".parquet");
    SimpleGroupFactory g = new SimpleGroupFactory(SCHEMA);
    try (ParquetWriter<Group> w =
        ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(file.toUri()))
            .withConf(new Configuration())
            .withType(SCHEMA)
            .withWriterVersion(version)
            .withCompressionCodec(codec)
            .withPageSize(4096)
            .withRowGroupSize(64L * 1024)
            .withPageRowCountLimit(1000)
            // d and f PLAIN (the bulk path, with and without nulls); small and l dictionary
            // encoded under v1, delta or dictionary under v2.
            .withDictionaryEncoding("d", false)
            .withDictionaryEncoding("f", false)
            .build()) {
      for (int i = 0; i < n; i++) {
        Group row =
            g.newGroup()
                .append("d", d(i))
                .append("l", (long) i * 1_000_003L)
                .append("run", i / 500);
        if (f(i) != null) {
          row.append("f", f(i));
        }
        if (small(i) != null) {
          row.append("small", small(i));
        }
        w.write(row);
      }
    }
    int seen = 0;
    try (ParquetTableReader r =
        new ParquetTableReader(file, List.of("d", "f", "small", "l", "run"))) {
      ColumnBatch b;
      while ((b = r.next(997)) != null) {
        Column dc = b.column("d");
        Column fc = b.column("f");
        Column sc = b.column("small");
        Column lc = b.column("l");
        Column run = b.column("run"); // long runs: RLE-encoded dictionary ids
        for (int j = 0; j < b.rowCount(); j++) {
          int i = seen + j;
          assertEquals(d(i), dc.getDouble(j), "d at row " + i);
          assertEquals((long) i * 1_000_003L, lc.getLong(j), "l at row " + i);
          assertEquals(i / 500, run.getInt(j), "run at row " + i);
          if (f(i) == null) {
            assertTrue(fc.isNull(j), "f null at row " + i);
          } else {
            assertEquals(f(i), fc.getFloat(j), "f at row " + i);
          }
          if (small(i) == null) {
            assertTrue(sc.isNull(j), "small null at row " + i);
          } else {
            assertEquals(small(i), sc.getInt(j), "small at row " + i);
          }
        }
        seen += b.rowCount();
      }
      assertNull(r.next(10));
    }
    assertEquals(n, seen);
  }

  /**
   * parquet-java reads a row group's column chunks into buffers of at most 8 MB; a compressed page
   * that spans two of them is first copied into a buffer of its own, then decompressed into
   * another. Pages are decompressed into reused direct buffers (RecyclingAllocator, whose own test
   * checks that the copy and the page never share one); here, end to end over two row groups of ~10
   * MB, every value comes back, and a string column read beside them (whose pages are not reused)
   * keeps its values.
   */
  @Test
  void pagesThatSpanTwoReadBuffersAndReusedPageBuffersKeepEveryValue() throws Exception {
    MessageType schema =
        MessageTypeParser.parseMessageType(
            "message t { required double a; required double b; optional binary s (UTF8); }");
    int n = 1_300_000; // two row groups: 2 x 8 bytes x 650k rows ~ 10 MB each, incompressible
    Path file = tmp.resolve("big.parquet");
    SimpleGroupFactory g = new SimpleGroupFactory(schema);
    SplittableRandom rnd = new SplittableRandom(7);
    try (ParquetWriter<Group> w =
        ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(file.toUri()))
            .withConf(new Configuration())
            .withType(schema)
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .withRowGroupSize(10L << 20)
            .withDictionaryEncoding(false)
            .build()) {
      for (int i = 0; i < n; i++) {
        Group row = g.newGroup().append("a", rnd.nextDouble()).append("b", rnd.nextDouble());
        if (i % 3 == 0) {
          row.append("s", "row " + i);
        }
        w.write(row);
      }
    }
    SplittableRandom expected = new SplittableRandom(7);
    int seen = 0;
    try (ParquetTableReader r = new ParquetTableReader(file, List.of("a", "b", "s"))) {
      ColumnBatch batch;
      while ((batch = r.next(4096)) != null) {
        Column a = batch.column("a");
        Column b = batch.column("b");
        Column s = batch.column("s");
        for (int j = 0; j < batch.rowCount(); j++) {
          int i = seen + j;
          double ea = expected.nextDouble();
          double eb = expected.nextDouble();
          if (a.getDouble(j) != ea || b.getDouble(j) != eb) {
            assertEquals(
                ea + " " + eb, a.getDouble(j) + " " + b.getDouble(j), "a and b at row " + i);
          }
          if (i % 3 == 0) {
            assertEquals("row " + i, s.getString(j), "s at row " + i);
          } else {
            assertTrue(s.isNull(j), "s null at row " + i);
          }
        }
        seen += batch.rowCount();
      }
    }
    assertEquals(n, seen);
  }

  /**
   * A Snappy page whose data does not decompress to the size its header states is reported as
   * undecodable data in the file, not returned as values: here the length Snappy's data starts with
   * is overwritten.
   */
  @Test
  void aSnappyPageThatDoesNotDecompressIsBadInputNamingTheFile() throws Exception {
    MessageType schema = MessageTypeParser.parseMessageType("message t { required double d; }");
    Path file = tmp.resolve("snappy.parquet");
    SimpleGroupFactory g = new SimpleGroupFactory(schema);
    try (ParquetWriter<Group> w =
        ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(file.toUri()))
            .withConf(new Configuration())
            .withType(schema)
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .withDictionaryEncoding(false)
            .build()) {
      for (int i = 0; i < 10_000; i++) {
        w.write(g.newGroup().append("d", d(i)));
      }
    }
    long start;
    try (org.apache.parquet.hadoop.ParquetFileReader r =
        org.apache.parquet.hadoop.ParquetFileReader.open(new ChannelInputFile(file))) {
      start = r.getFooter().getBlocks().get(0).getColumns().get(0).getStartingPos();
    }
    try (java.nio.channels.FileChannel ch =
        java.nio.channels.FileChannel.open(
            file, java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
      java.io.InputStream in = java.nio.channels.Channels.newInputStream(ch.position(start));
      org.apache.parquet.format.Util.readPageHeader(in); // leaves the channel after the header
      long data = ch.position();
      ch.write(java.nio.ByteBuffer.wrap(new byte[] {0x05}), data); // "5 bytes uncompressed"
    }
    try (ParquetTableReader r = new ParquetTableReader(file, List.of("d"))) {
      io.batchscore.core.BadInputException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              io.batchscore.core.BadInputException.class, () -> r.next(1000));
      assertTrue(
          e.getMessage().contains(file + ": row group 0, column d: cannot decode Parquet data"),
          e.getMessage());
      assertTrue(e.getMessage().contains("decompress"), e.getMessage());
    }
  }

  /**
   * A list column is read by parquet-java's column reader, over pages whose buffers are reused from
   * one page to the next: each row's elements, empty lists and null elements come back over many
   * pages and two row groups.
   */
  @Test
  void listsComeBackWholeAcrossReusedPageBuffers() throws Exception {
    MessageType schema =
        MessageTypeParser.parseMessageType(
            "message t { optional group v (LIST) { repeated group list { optional float element; } } }");
    int n =
        60_000; // element i of row r: r + i / 8; row r has r % 13 elements; every 97th element null
    Path file = tmp.resolve("lists.parquet");
    SimpleGroupFactory g = new SimpleGroupFactory(schema);
    try (ParquetWriter<Group> w =
        ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(file.toUri()))
            .withConf(new Configuration())
            .withType(schema)
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .withPageSize(8 * 1024)
            .withRowGroupSize(1L << 20)
            .withDictionaryEncoding(false)
            .build()) {
      for (int r = 0; r < n; r++) {
        Group row = g.newGroup();
        Group list = row.addGroup("v");
        for (int i = 0; i < r % 13; i++) {
          Group e = list.addGroup("list");
          if ((r + i) % 97 != 0) {
            e.append("element", r + i / 8f);
          }
        }
        w.write(row);
      }
    }
    int seen = 0;
    try (ParquetTableReader r = new ParquetTableReader(file, List.of("v"))) {
      ColumnBatch batch;
      while ((batch = r.next(1000)) != null) {
        Column v = batch.column("v");
        Column el = v.elements();
        for (int j = 0; j < batch.rowCount(); j++) {
          int row = seen + j;
          int from = v.offsets()[j];
          assertEquals(row % 13, v.offsets()[j + 1] - from, "elements of row " + row);
          for (int i = 0; i < row % 13; i++) {
            if ((row + i) % 97 == 0) {
              assertTrue(el.isNull(from + i), "null element " + i + " of row " + row);
            } else {
              assertEquals(row + i / 8f, el.getFloat(from + i), "element " + i + " of row " + row);
            }
          }
        }
        seen += batch.rowCount();
      }
    }
    assertEquals(n, seen);
  }
}
