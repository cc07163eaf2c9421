package io.batchscore.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.batchscore.core.BadInputException;
import io.batchscore.core.column.ColumnBatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The local reader against parquet-java's own record reader on files parquet-java writes: every
 * codec it writes here (Brotli and LZO need native libraries this build has not), v1 and v2 pages,
 * dictionary and plain, every column type the reader decodes, nulls first, last, in runs longer
 * than a page and in every list position (null lists, empty lists, null elements). Every value must
 * be equal. Then truncated copies of each file: refused as bad input naming the file.
 */
class ParquetCorpusTest {
  @TempDir Path tmp;

  private static final MessageType SCHEMA =
      MessageTypeParser.parseMessageType(
          "message t { optional double d; optional float f; optional int32 i; optional int64 l;"
              + " optional boolean b; optional binary s (STRING); required double r;"
              + " optional group v (LIST) { repeated group list { optional float element; } } }");
  private static final List<String> COLUMNS = List.of("d", "f", "i", "l", "b", "s", "r", "v");
  private static final int ROWS = 5_000;

  static Stream<Arguments> files() {
    List<Arguments> out = new ArrayList<>();
    for (CompressionCodecName c :
        List.of(
            CompressionCodecName.UNCOMPRESSED,
            CompressionCodecName.SNAPPY,
            CompressionCodecName.GZIP,
            CompressionCodecName.ZSTD,
            CompressionCodecName.LZ4_RAW,
            CompressionCodecName.LZ4)) {
      for (ParquetProperties.WriterVersion v : ParquetProperties.WriterVersion.values()) {
        for (boolean dictionary : new boolean[] {true, false}) {
          out.add(Arguments.of(c, v, dictionary));
        }
      }
    }
    return out.stream();
  }

  /** Null in row 0, the last row, every 7th row, and rows 1000-2999 (longer than a page). */
  private static boolean isNull(int row, int column) {
    return row == 0
        || row == ROWS - 1
        || (row + column) % 7 == 0
        || (column == 0 && row >= 1000 && row < 3000);
  }

  private Path write(
      CompressionCodecName codec, ParquetProperties.WriterVersion version, boolean dictionary)
      throws Exception {
    Path file = tmp.resolve(codec + "-" + version + "-" + dictionary + ".parquet");
    SimpleGroupFactory g = new SimpleGroupFactory(SCHEMA);
    try (ParquetWriter<Group> w =
        ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(file.toUri()))
            .withConf(new Configuration())
            .withType(SCHEMA)
            .withCompressionCodec(codec)
            .withWriterVersion(version)
            .withDictionaryEncoding(dictionary)
            .withPageSize(2048)
            .withRowGroupSize(64 * 1024L)
            .build()) {
      for (int r = 0; r < ROWS; r++) {
        Group row = g.newGroup();
        if (!isNull(r, 0)) {
          row.append("d", r * 0.5 - 7);
        }
        if (!isNull(r, 1)) {
          row.append("f", (r % 50) * 0.25f);
        }
        if (!isNull(r, 2)) {
          row.append("i", r % 13 - 6);
        }
        if (!isNull(r, 3)) {
          row.append("l", (long) r * 1_000_003L);
        }
        if (!isNull(r, 4)) {
          row.append("b", r % 3 == 0);
        }
        if (!isNull(r, 5)) {
          row.append("s", "v" + (r % 17) + (r % 2 == 0 ? "" : ", \"é\""));
        }
        row.append("r", r * 1.0);
        if (r % 5 != 0) { // every 5th list is null
          Group list = row.addGroup("v");
          for (int j = 0; j < r % 4; j++) { // r % 4 == 0: an empty list
            Group e = list.addGroup("list");
            if ((r + j) % 6 != 0) {
              e.append("element", r + j * 0.5f);
            }
          }
        }
        w.write(row);
      }
    }
    return file;
  }

  /** Each row's values as the local reader gives them. */
  private static List<List<Object>> local(Path file) throws Exception {
    List<List<Object>> out = new ArrayList<>();
    try (ParquetTableReader r = new ParquetTableReader(file, COLUMNS)) {
      for (ColumnBatch b = r.next(777); b != null; b = r.next(777)) {
        for (int i = 0; i < b.rowCount(); i++) {
          List<Object> row = new ArrayList<>();
          for (String c : COLUMNS) {
            row.add(b.column(c).get(i));
          }
          out.add(row);
        }
      }
    }
    return out;
  }

  /** Each row's values as parquet-java's record reader gives them. */
  private static List<List<Object>> parquetJava(Path file) throws Exception {
    List<List<Object>> out = new ArrayList<>();
    try (ParquetReader<Group> r =
        ParquetReader.builder(new GroupReadSupport(), new org.apache.hadoop.fs.Path(file.toUri()))
            .build()) {
      for (Group g = r.read(); g != null; g = r.read()) {
        List<Object> row = new ArrayList<>();
        row.add(g.getFieldRepetitionCount("d") == 0 ? null : g.getDouble("d", 0));
        row.add(g.getFieldRepetitionCount("f") == 0 ? null : g.getFloat("f", 0));
        row.add(g.getFieldRepetitionCount("i") == 0 ? null : g.getInteger("i", 0));
        row.add(g.getFieldRepetitionCount("l") == 0 ? null : g.getLong("l", 0));
        row.add(g.getFieldRepetitionCount("b") == 0 ? null : g.getBoolean("b", 0));
        row.add(g.getFieldRepetitionCount("s") == 0 ? null : g.getString("s", 0));
        row.add(g.getDouble("r", 0));
        if (g.getFieldRepetitionCount("v") == 0) {
          row.add(null);
        } else {
          Group list = g.getGroup("v", 0);
          List<Object> values = new ArrayList<>();
          for (int j = 0; j < list.getFieldRepetitionCount("list"); j++) {
            Group e = list.getGroup("list", j);
            values.add(e.getFieldRepetitionCount("element") == 0 ? null : e.getFloat("element", 0));
          }
          row.add(values);
        }
        out.add(row);
      }
    }
    return out;
  }

  @ParameterizedTest(name = "{0} {1} dictionary={2}")
  @MethodSource("files")
  void everyValueEqualsParquetJavasAndTruncatedCopiesAreRefusedNamingTheFile(
      CompressionCodecName codec, ParquetProperties.WriterVersion version, boolean dictionary)
      throws Exception {
    Path file = write(codec, version, dictionary);
    List<List<Object>> expected = parquetJava(file);
    assertEquals(ROWS, expected.size());
    List<List<Object>> got = local(file);
    assertEquals(expected.size(), got.size());
    for (int r = 0; r < ROWS; r++) {
      assertEquals(expected.get(r), got.get(r), "row " + r);
    }
    byte[] bytes = Files.readAllBytes(file);
    for (int len : new int[] {bytes.length / 4, bytes.length / 2, bytes.length - 12}) {
      Path cut = tmp.resolve("cut-" + len + "-" + file.getFileName());
      Files.write(cut, Arrays.copyOf(bytes, len));
      try {
        local(cut);
        throw new AssertionError(cut + " read although truncated");
      } catch (BadInputException e) {
        assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
      }
    }
  }
}
