package io.batchscore.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.batchscore.core.column.Column;
import io.batchscore.core.column.ColumnBatch;
import io.batchscore.core.column.ColumnType;
import io.batchscore.core.column.ElementType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's Parquet writer puts every value of every column kind in its row, nulls as missing
 * values, lists and maps in the standard three-level layout and passthrough lists in their own,
 * across row groups, read back here by parquet-java's own example reader (not ours).
 */
class ParquetTableWriterTest {
  @TempDir Path tmp;

  @Test
  void everyColumnKindComesBackInItsRowWithNullsEmptyListsAndMaps() throws Exception {
    boolean[] nullRow1 = {false, true, false, false};
    ColumnBatch batch =
        ColumnBatch.builder(4)
            .add("id", Column.ofLongs(10, 11, 12, 13))
            .add("d", Column.ofDoubles(new double[] {0.5, 0, -1.25, 1e300}, nullRow1, 4))
            .add("f", Column.ofFloats(1.5f, 2.5f, Float.NaN, -0f))
            .add(
                "i",
                Column.ofInts(new int[] {1, 0, 3, 4}, new boolean[] {false, false, false, true}, 4))
            .add("b", Column.ofBooleans(true, false, true, false))
            .add(
                "label",
                Column.ofStrings(new String[] {"benign", null, "malignant", "benign"}, nullRow1, 4))
            // rows: [1, 2], null, [], [3]
            .add(
                "probs",
                Column.ofArrays(
                    new int[] {0, 2, 2, 2, 3}, Column.ofFloats(1f, 2f, 3f), nullRow1, 4))
            // rows: {a=0.25, b=0.75}, null, {}, {c=1}
            .add(
                "zip",
                Column.ofMaps(
                    new int[] {0, 2, 2, 2, 3},
                    Column.ofStrings("a", "b", "c"),
                    Column.ofFloats(0.25f, 0.75f, 1f),
                    nullRow1,
                    4))
            .build();
    List<ParquetTableWriter.OutputField> fields =
        List.of(
            field("id", ColumnType.scalar(ElementType.INT64)),
            field("d", ColumnType.scalar(ElementType.DOUBLE)),
            field("f", ColumnType.scalar(ElementType.FLOAT)),
            field("i", ColumnType.scalar(ElementType.INT32)),
            field("b", ColumnType.scalar(ElementType.BOOL)),
            field("label", ColumnType.scalar(ElementType.STRING)),
            field("probs", ColumnType.array(ElementType.FLOAT)),
            field("zip", ColumnType.map(ElementType.STRING, ElementType.FLOAT)));
    Path file = tmp.resolve("out.parquet");
    try (ParquetTableWriter w = new ParquetTableWriter(file, fields)) {
      w.write(batch);
      w.write(batch); // a second batch: the writer keeps no state from the first
    }

    List<Group> rows = new ArrayList<>();
    MessageType schema;
    try (ParquetReader<Group> r =
            ParquetReader.builder(
                    new GroupReadSupport(), new org.apache.hadoop.fs.Path(file.toUri()))
                .build();
        org.apache.parquet.hadoop.ParquetFileReader meta =
            org.apache.parquet.hadoop.ParquetFileReader.open(new LocalInputFile(file))) {
      schema = meta.getFileMetaData().getSchema();
      for (Group g; (g = r.read()) != null; ) {
        rows.add(g);
      }
    }
    assertEquals(8, rows.size());
    assertEquals(
        LogicalTypeAnnotation.listType(), schema.getType("probs").getLogicalTypeAnnotation());
    assertEquals(LogicalTypeAnnotation.mapType(), schema.getType("zip").getLogicalTypeAnnotation());
    assertEquals(
        LogicalTypeAnnotation.stringType(), schema.getType("label").getLogicalTypeAnnotation());
    for (int k = 0; k < 8; k += 4) {
      Group r0 = rows.get(k);
      Group r1 = rows.get(k + 1);
      Group r2 = rows.get(k + 2);
      Group r3 = rows.get(k + 3);
      assertEquals(10, r0.getLong("id", 0));
      assertEquals(13, r3.getLong("id", 0));
      assertEquals(0.5, r0.getDouble("d", 0));
      assertEquals(0, r1.getFieldRepetitionCount("d"), "null double is a missing value");
      assertEquals(1e300, r3.getDouble("d", 0));
      assertEquals(2.5f, r1.getFloat("f", 0));
      assertEquals(Float.NaN, r2.getFloat("f", 0));
      assertEquals(0, r3.getFieldRepetitionCount("i"));
      assertEquals(3, r2.getInteger("i", 0));
      assertEquals(true, r0.getBoolean("b", 0));
      assertFalse(r1.getBoolean("b", 0));
      assertEquals("benign", r0.getString("label", 0));
      assertEquals("malignant", r2.getString("label", 0));
      assertEquals("benign", r3.getString("label", 0));
      assertEquals(0, r1.getFieldRepetitionCount("label"));

      assertEquals(List.of(1f, 2f), floats(r0.getGroup("probs", 0)));
      assertEquals(0, r1.getFieldRepetitionCount("probs"), "null list");
      assertEquals(List.of(), floats(r2.getGroup("probs", 0)), "empty list is present and empty");
      assertEquals(List.of(3f), floats(r3.getGroup("probs", 0)));

      Group zip = r0.getGroup("zip", 0);
      assertEquals(2, zip.getFieldRepetitionCount("key_value"));
      assertEquals("b", zip.getGroup("key_value", 1).getString("key", 0));
      assertEquals(0.75f, zip.getGroup("key_value", 1).getFloat("value", 0));
      assertEquals(0, r1.getFieldRepetitionCount("zip"));
      assertEquals(0, r2.getGroup("zip", 0).getFieldRepetitionCount("key_value"));
      assertEquals("c", r3.getGroup("zip", 0).getGroup("key_value", 0).getString("key", 0));
    }
  }

  @Test
  void rowGroupsCloseAtTheirSizeAndKeepEveryRowInOrder() throws Exception {
    Path file = tmp.resolve("groups.parquet");
    List<ParquetTableWriter.OutputField> fields =
        List.of(
            field("id", ColumnType.scalar(ElementType.INT64)),
            field("probs", ColumnType.array(ElementType.FLOAT)));
    // a row group of at most ~1 byte of buffered data: every batch closes one
    try (ParquetTableWriter w = new ParquetTableWriter(file, fields, 1)) {
      for (long b = 0; b < 5; b++) {
        long[] ids = new long[1000];
        float[] probs = new float[2000];
        int[] offsets = new int[1001];
        for (int r = 0; r < 1000; r++) {
          ids[r] = b * 1000 + r;
          probs[2 * r] = r;
          probs[2 * r + 1] = -r;
          offsets[r + 1] = 2 * r + 2;
        }
        w.write(
            ColumnBatch.builder(1000)
                .add("id", Column.ofLongs(ids))
                .add("probs", Column.ofArrays(offsets, Column.ofFloats(probs), null, 1000))
                .build());
      }
    }
    try (org.apache.parquet.hadoop.ParquetFileReader meta =
        org.apache.parquet.hadoop.ParquetFileReader.open(new LocalInputFile(file))) {
      assertEquals(5, meta.getFooter().getBlocks().size());
      assertEquals(1000, meta.getFooter().getBlocks().get(4).getRowCount());
    }
    List<Group> rows = readAll(file);
    assertEquals(5000, rows.size());
    for (int i = 0; i < 5000; i++) {
      assertEquals(i, rows.get(i).getLong("id", 0));
      assertEquals(
          List.of((float) (i % 1000), (float) -(i % 1000)),
          floats(rows.get(i).getGroup("probs", 0)));
    }
  }

  @Test
  void passthroughListsKeepTheirParquetLayoutWithNullElements() throws Exception {
    // Lists as other writers make them: three levels with optional elements (Spark), and the
    // legacy two-level form. A passthrough column keeps its input's Parquet type.
    org.apache.parquet.schema.Type threeLevel =
        org.apache.parquet.schema.Types.optionalGroup()
            .as(LogicalTypeAnnotation.listType())
            .addField(
                org.apache.parquet.schema.Types.repeatedGroup()
                    .addField(
                        org.apache.parquet.schema.Types.optional(
                                org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT32)
                            .named("element"))
                    .named("list"))
            .named("tags");
    org.apache.parquet.schema.Type twoLevel =
        org.apache.parquet.schema.Types.requiredGroup()
            .as(LogicalTypeAnnotation.listType())
            .addField(
                org.apache.parquet.schema.Types.repeated(
                        org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.DOUBLE)
                    .named("array"))
            .named("legacy");
    Path file = tmp.resolve("lists.parquet");
    try (ParquetTableWriter w =
        new ParquetTableWriter(
            file,
            List.of(
                new ParquetTableWriter.OutputField(
                    "tags", ColumnType.array(ElementType.INT32), threeLevel, true),
                new ParquetTableWriter.OutputField(
                    "legacy", ColumnType.array(ElementType.DOUBLE), twoLevel, false)))) {
      // tags rows: [1, null, 3], null, [], [null]; legacy rows: [0.5], [], [1, 2], []
      w.write(
          ColumnBatch.builder(4)
              .add(
                  "tags",
                  Column.ofArrays(
                      new int[] {0, 3, 3, 3, 4},
                      Column.ofInts(
                          new int[] {1, 0, 3, 0}, new boolean[] {false, true, false, true}, 4),
                      new boolean[] {false, true, false, false},
                      4))
              .add(
                  "legacy",
                  Column.ofArrays(new int[] {0, 1, 1, 3, 3}, Column.ofDoubles(0.5, 1, 2), null, 4))
              .build());
    }
    List<Group> rows = readAll(file);
    Group tags0 = rows.get(0).getGroup("tags", 0);
    assertEquals(3, tags0.getFieldRepetitionCount("list"));
    assertEquals(1, tags0.getGroup("list", 0).getInteger("element", 0));
    assertEquals(
        0,
        tags0.getGroup("list", 1).getFieldRepetitionCount("element"),
        "a null element stays null");
    assertEquals(3, tags0.getGroup("list", 2).getInteger("element", 0));
    assertEquals(0, rows.get(1).getFieldRepetitionCount("tags"), "null list");
    assertEquals(0, rows.get(2).getGroup("tags", 0).getFieldRepetitionCount("list"), "empty list");
    assertEquals(1, rows.get(3).getGroup("tags", 0).getFieldRepetitionCount("list"));
    assertEquals(
        0, rows.get(3).getGroup("tags", 0).getGroup("list", 0).getFieldRepetitionCount("element"));
    assertEquals(0.5, rows.get(0).getGroup("legacy", 0).getDouble("array", 0));
    assertEquals(0, rows.get(1).getGroup("legacy", 0).getFieldRepetitionCount("array"));
    assertEquals(2, rows.get(2).getGroup("legacy", 0).getFieldRepetitionCount("array"));
    assertEquals(2.0, rows.get(2).getGroup("legacy", 0).getDouble("array", 1));
    // and our own reader gives back the same columns
    try (ParquetTableReader r = new ParquetTableReader(file, List.of("tags", "legacy"))) {
      ColumnBatch b = r.next(10);
      Column tags = b.column("tags");
      assertEquals(true, tags.isNull(1));
      assertEquals(true, tags.elements().isNull(1));
      assertEquals(3, (tags.elements()).getInt(2));
      assertEquals(2.0, ((b.column("legacy")).elements()).getDouble(2));
    }
  }

  @Test
  void aNullInARequiredColumnIsRefusedNamingColumnAndRow() throws Exception {
    Path file = tmp.resolve("required.parquet");
    try (ParquetTableWriter w =
        new ParquetTableWriter(
            file,
            List.of(
                new ParquetTableWriter.OutputField(
                    "p", ColumnType.scalar(ElementType.FLOAT), null, false)))) {
      IllegalStateException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              IllegalStateException.class,
              () ->
                  w.write(
                      ColumnBatch.builder(3)
                          .add(
                              "p",
                              Column.ofFloats(
                                  new float[] {1, 2, 3}, new boolean[] {false, false, true}, 3))
                          .build()));
      assertEquals("column 'p' row 2 is null but the column is required", e.getMessage());
    }
  }

  private static List<Group> readAll(Path file) throws java.io.IOException {
    List<Group> rows = new ArrayList<>();
    try (ParquetReader<Group> r =
        ParquetReader.builder(new GroupReadSupport(), new org.apache.hadoop.fs.Path(file.toUri()))
            .build()) {
      for (Group g; (g = r.read()) != null; ) {
        rows.add(g);
      }
    }
    return rows;
  }

  private static ParquetTableWriter.OutputField field(String name, ColumnType t) {
    return new ParquetTableWriter.OutputField(name, t, null, true);
  }

  private static List<Float> floats(Group list) {
    List<Float> out = new ArrayList<>();
    for (int j = 0; j < list.getFieldRepetitionCount("list"); j++) {
      out.add(list.getGroup("list", j).getFloat("element", 0));
    }
    return out;
  }
}
