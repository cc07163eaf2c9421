package io.batchscore.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.batchscore.core.BadInputException;
import io.batchscore.core.column.Column;
import io.batchscore.core.column.ColumnBatch;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridEncoder;
import org.apache.parquet.crypto.ColumnEncryptionProperties;
import org.apache.parquet.crypto.FileEncryptionProperties;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.ColumnPath;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parquet files the usual writers do not make but other writers do, written page by page with
 * parquet-java's file writer: an all-null v2 page with no compressed bytes, LZ4 pages in raw LZ4
 * framing, column encryption with a plaintext footer; and corrupt copies of a valid file. Each is
 * read with the values parquet-java reads, or refused as bad input naming the file.
 */
class ParquetEdgeFilesTest {
  @TempDir Path tmp;

  private static final MessageType OPTIONAL_DOUBLE =
      MessageTypeParser.parseMessageType("message t { optional double x; }");
  private static final MessageType REQUIRED_DOUBLE =
      MessageTypeParser.parseMessageType("message t { required double x; }");

  private static final CodecFactory CODECS = new CodecFactory(new Configuration(), 0);

  private static byte[] plainDoubles(double... v) {
    ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (double d : v) {
      b.putDouble(d);
    }
    return b.array();
  }

  /** Definition levels of width 1, RLE/bit-packed without a length prefix (a v2 page's). */
  private static BytesInput levels(int... defs) throws Exception {
    RunLengthBitPackingHybridEncoder e =
        new RunLengthBitPackingHybridEncoder(1, 64, 1024, HeapByteBufferAllocator.getInstance());
    for (int d : defs) {
      e.writeInt(d);
    }
    return BytesInput.copy(e.toBytes());
  }

  private static ParquetFileWriter writer(Path file, MessageType schema) throws Exception {
    ParquetFileWriter w =
        new ParquetFileWriter(
            HadoopOutputFile.fromPath(
                new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()),
            schema,
            ParquetFileWriter.Mode.CREATE,
            128 << 20,
            0);
    w.start();
    return w;
  }

  private static List<Double> readAll(Path file) throws Exception {
    List<Double> out = new ArrayList<>();
    try (ParquetTableReader r = new ParquetTableReader(file, List.of("x"))) {
      for (ColumnBatch b = r.next(3); b != null; b = r.next(3)) {
        Column c = b.column("x");
        double[] v = c.doubles();
        for (int i = 0; i < b.rowCount(); i++) {
          out.add(c.isNull(i) ? null : v[i]);
        }
      }
    }
    return out;
  }

  /** The values parquet-java's record reader gives, for comparison. */
  private static List<Double> parquetJava(Path file) throws Exception {
    List<Double> out = new ArrayList<>();
    try (ParquetReader<Group> r =
        ParquetReader.builder(new GroupReadSupport(), new org.apache.hadoop.fs.Path(file.toUri()))
            .build()) {
      for (Group g = r.read(); g != null; g = r.read()) {
        out.add(g.getFieldRepetitionCount("x") == 0 ? null : g.getDouble("x", 0));
      }
    }
    return out;
  }

  @Test
  void aV2PageOfNullsWithNoCompressedBytesReadsAsNulls() throws Exception {
    Path file = tmp.resolve("empty-v2-page.parquet");
    ColumnDescriptor x = OPTIONAL_DOUBLE.getColumns().get(0);
    ParquetFileWriter w = writer(file, OPTIONAL_DOUBLE);
    w.startBlock(8);
    w.startColumn(x, 8, CompressionCodecName.SNAPPY);
    byte[] values = plainDoubles(1.5, 2.5, 3.5, 4.5);
    Statistics<?> some = Statistics.createStats(x.getPrimitiveType());
    w.writeDataPageV2(
        4,
        0,
        4,
        BytesInput.empty(),
        levels(1, 1, 1, 1),
        Encoding.PLAIN,
        CODECS.getCompressor(CompressionCodecName.SNAPPY).compress(BytesInput.from(values)),
        values.length,
        some);
    Statistics<?> none = Statistics.createStats(x.getPrimitiveType());
    none.incrementNumNulls(4);
    // the page's values are empty and so is their compressed form: no Snappy bytes at all
    w.writeDataPageV2(
        4,
        4,
        4,
        BytesInput.empty(),
        levels(0, 0, 0, 0),
        Encoding.PLAIN,
        BytesInput.empty(),
        0,
        none);
    w.endColumn();
    w.endBlock();
    w.end(Map.of());

    List<Double> expected = new ArrayList<>(List.of(1.5, 2.5, 3.5, 4.5));
    expected.addAll(java.util.Collections.nCopies(4, null));
    assertEquals(expected, parquetJava(file), "parquet-java reads it");
    assertEquals(expected, readAll(file));
  }

  @Test
  void lz4PagesInRawLz4FramingAreRead() throws Exception {
    Path file = tmp.resolve("lz4-raw-framing.parquet");
    ColumnDescriptor x = REQUIRED_DOUBLE.getColumns().get(0);
    double[] v = new double[200];
    for (int i = 0; i < v.length; i++) {
      v[i] = i % 13 * 0.25;
    }
    byte[] values = plainDoubles(v);
    ParquetFileWriter w = writer(file, REQUIRED_DOUBLE);
    w.startBlock(v.length);
    // declared LZ4 (the Hadoop-framed codec), compressed as a bare LZ4 block, as some writers do
    w.startColumn(x, v.length, CompressionCodecName.LZ4);
    BytesInput raw =
        BytesInput.copy(
            CODECS.getCompressor(CompressionCodecName.LZ4_RAW).compress(BytesInput.from(values)));
    Statistics<?> stats = Statistics.createStats(x.getPrimitiveType());
    w.writeDataPage(
        v.length, values.length, raw, stats, Encoding.RLE, Encoding.RLE, Encoding.PLAIN);
    w.endColumn();
    w.endBlock();
    w.end(Map.of());

    List<Double> got = readAll(file);
    assertEquals(v.length, got.size());
    for (int i = 0; i < v.length; i++) {
      assertEquals(v[i], got.get(i), "row " + i);
    }
  }

  private Path encrypted() throws Exception {
    Path file = tmp.resolve("encrypted-column.parquet");
    MessageType schema =
        MessageTypeParser.parseMessageType(
            "message t { required double x; required double secret; }");
    byte[] footerKey = "0123456789012345".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] columnKey = "1234567890123450".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    FileEncryptionProperties props =
        FileEncryptionProperties.builder(footerKey)
            .withEncryptedColumns(
                Map.of(
                    ColumnPath.get("secret"),
                    ColumnEncryptionProperties.builder("secret").withKey(columnKey).build()))
            .withPlaintextFooter()
            .build();
    SimpleGroupFactory f = new SimpleGroupFactory(schema);
    try (ParquetWriter<Group> w =
        ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(file.toUri()))
            .withConf(new Configuration())
            .withType(schema)
            .withEncryption(props)
            .build()) {
      for (int i = 0; i < 100; i++) {
        w.write(f.newGroup().append("x", i * 1.0).append("secret", -i * 1.0));
      }
    }
    return file;
  }

  @Test
  void aFileWithAnEncryptedColumnReadsItsPlainColumnsAndRefusesTheEncryptedOneByName()
      throws Exception {
    Path file = encrypted();
    List<Double> plain = readAll(file);
    assertEquals(100, plain.size());
    assertEquals(99.0, plain.get(99));
    BadInputException e =
        assertThrows(
            BadInputException.class,
            () -> {
              try (ParquetTableReader r = new ParquetTableReader(file, List.of("x", "secret"))) {
                r.next(10);
              }
            });
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("'secret' is encrypted"), e.getMessage());
  }

  private Path valid() throws Exception {
    Path file = tmp.resolve("valid.parquet");
    SimpleGroupFactory f = new SimpleGroupFactory(OPTIONAL_DOUBLE);
    try (ParquetWriter<Group> w =
        ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(file.toUri()))
            .withConf(new Configuration())
            .withType(OPTIONAL_DOUBLE)
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .withPageSize(1024)
            .withDictionaryEncoding(false)
            .build()) {
      for (int i = 0; i < 2000; i++) {
        Group g = f.newGroup();
        if (i % 9 != 0) {
          g.append("x", i * 0.5);
        }
        w.write(g);
      }
    }
    return file;
  }

  @Test
  void aCorruptPageHeaderIsBadInputNamingTheFileRowGroupAndColumn() throws Exception {
    Path file = valid();
    long firstPage;
    try (ParquetFileReader r =
        ParquetFileReader.open(
            HadoopInputFile.fromPath(
                new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))) {
      firstPage = r.getFooter().getBlocks().get(0).getColumns().get(0).getStartingPos();
    }
    Path corrupt = tmp.resolve("corrupt-header.parquet");
    byte[] bytes = Files.readAllBytes(file);
    for (int i = 0; i < 12; i++) {
      bytes[(int) firstPage + i] = (byte) 0xff;
    }
    Files.write(corrupt, bytes);
    BadInputException e = assertThrows(BadInputException.class, () -> readAll(corrupt));
    assertTrue(e.getMessage().contains(corrupt.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("row group 0"), e.getMessage());
    assertTrue(e.getMessage().contains("column x"), e.getMessage());
  }

  /**
   * Every corruption of the data pages (bytes overwritten along the file, a few at a time) and
   * every truncation either reads or is refused as bad input naming the file: never another
   * exception, never an empty message.
   */
  @Test
  void corruptAndTruncatedCopiesReadOrAreRefusedNamingTheFile() throws Exception {
    Path file = valid();
    byte[] bytes = Files.readAllBytes(file);
    List<Double> whole = readAll(file);
    int refused = 0;
    for (int at = 4; at < bytes.length - 8; at += Math.max(1, bytes.length / 97)) {
      byte[] copy = bytes.clone();
      for (int i = at; i < Math.min(at + 3, copy.length - 8); i++) {
        copy[i] = (byte) (copy[i] ^ 0x5a);
      }
      refused += readOrRefused(copy, "flipped-" + at, whole);
    }
    for (int len :
        new int[] {
          0, 3, 4, 8, bytes.length / 3, bytes.length / 2, bytes.length - 9, bytes.length - 1
        }) {
      assertEquals(1, readOrRefused(java.util.Arrays.copyOf(bytes, len), "truncated-" + len, null));
    }
    assertTrue(refused > 0, "some corruptions were caught");
  }

  /** 1 when refused as bad input naming the file; 0 when it read (any values: data was changed). */
  private int readOrRefused(byte[] content, String name, List<Double> whole) throws Exception {
    Path p = tmp.resolve(name + ".parquet");
    Files.write(p, content, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
    try {
      List<Double> got = readAll(p);
      if (whole == null) {
        throw new AssertionError(name + ": a truncated file read as " + got.size() + " values");
      }
      return 0;
    } catch (BadInputException e) {
      assertTrue(
          e.getMessage() != null && e.getMessage().contains(p.toString()),
          name + ": " + e.getMessage());
      return 1;
    } catch (Exception | AssertionError e) {
      if (e instanceof AssertionError a && a.getMessage().startsWith(name)) {
        throw a;
      }
      throw new AssertionError(name + ": not a bad-input refusal: " + e, e);
    } finally {
      Files.delete(p);
    }
  }

  @Test
  void doublesReadByBothReadersAreEqual() throws Exception {
    Path file = valid();
    List<Double> a = readAll(file);
    List<Double> b = parquetJava(file);
    assertArrayEquals(b.toArray(), a.toArray());
  }

  /**
   * A file with a column of a logical type newer than this reader (GEOMETRY, Parquet format 2.11),
   * made by rewriting a STRING column's logical type in the footer: the other columns read.
   */
  @Test
  void aColumnOfANewerLogicalTypeDoesNotStopTheOthersFromBeingRead() throws Exception {
    MessageType schema =
        MessageTypeParser.parseMessageType(
            "message t { required double x; optional binary g (STRING); }");
    Path plain = tmp.resolve("string.parquet");
    SimpleGroupFactory f = new SimpleGroupFactory(schema);
    try (ParquetWriter<Group> w =
        ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(plain.toUri()))
            .withConf(new Configuration())
            .withType(schema)
            .build()) {
      for (int i = 0; i < 10; i++) {
        w.write(f.newGroup().append("x", i * 2.0).append("g", "POINT(" + i + " 0)"));
      }
    }
    Path file = tmp.resolve("geometry.parquet");
    Files.write(file, NewerLogicalType.geometryForString(Files.readAllBytes(plain), "g"));
    List<Double> x = readAll(file);
    assertEquals(10, x.size());
    assertEquals(18.0, x.get(9));
  }
}
