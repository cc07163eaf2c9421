package io.batchscore.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.batchscore.core.column.Column;
import io.batchscore.core.column.ColumnBatch;
import io.batchscore.core.column.ColumnType;
import io.batchscore.core.column.ElementType;
import io.batchscore.spark.SparkTestSession;
import java.nio.file.Path;
import java.util.List;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the CLI writes, Spark reads back as written (its vectorized reader and its row reader, on
 * several row groups): the usual next step after scoring a file locally.
 */
class SparkReadsWrittenParquetTest {
  @TempDir Path tmp;

  @Test
  void sparkReadsEveryColumnKindAcrossRowGroups() throws Exception {
    Type tags =
        Types.optionalGroup()
            .as(LogicalTypeAnnotation.listType())
            .addField(
                Types.repeatedGroup()
                    .addField(Types.optional(PrimitiveTypeName.INT32).named("element"))
                    .named("list"))
            .named("tags");
    Path file = tmp.resolve("scored.parquet");
    try (ParquetTableWriter w =
        new ParquetTableWriter(
            file,
            List.of(
                new ParquetTableWriter.OutputField(
                    "id", ColumnType.scalar(ElementType.INT64), null, false),
                new ParquetTableWriter.OutputField(
                    "d", ColumnType.scalar(ElementType.DOUBLE), null, true),
                new ParquetTableWriter.OutputField(
                    "label", ColumnType.scalar(ElementType.STRING), null, true),
                new ParquetTableWriter.OutputField(
                    "probs", ColumnType.array(ElementType.FLOAT), null, true),
                new ParquetTableWriter.OutputField(
                    "zip", ColumnType.map(ElementType.STRING, ElementType.FLOAT), null, false),
                new ParquetTableWriter.OutputField(
                    "tags", ColumnType.array(ElementType.INT32), tags, true)),
            1)) {
      for (long b = 0; b < 3; b++) { // one row group per batch
        boolean[] nullRow1 = {false, true, false};
        w.write(
            ColumnBatch.builder(3)
                .add("id", Column.ofLongs(3 * b, 3 * b + 1, 3 * b + 2))
                .add("d", Column.ofDoubles(new double[] {0.5, 0, -2}, nullRow1, 3))
                .add(
                    "label",
                    Column.ofStrings(new String[] {"benign", null, "malignant"}, nullRow1, 3))
                // [1, 2], null, []
                .add(
                    "probs",
                    Column.ofArrays(new int[] {0, 2, 2, 2}, Column.ofFloats(1f, 2f), nullRow1, 3))
                // {a=0.25}, {}, {b=1, c=0}
                .add(
                    "zip",
                    Column.ofMaps(
                        new int[] {0, 1, 1, 3},
                        Column.ofStrings("a", "b", "c"),
                        Column.ofFloats(0.25f, 1f, 0f),
                        null,
                        3))
                // [7, null], null, []
                .add(
                    "tags",
                    Column.ofArrays(
                        new int[] {0, 2, 2, 2},
                        Column.ofInts(new int[] {7, 0}, new boolean[] {false, true}, 2),
                        nullRow1,
                        3))
                .build());
      }
    }
    SparkSession spark = SparkTestSession.start();
    try {
      for (String vectorized : new String[] {"true", "false"}) {
        spark.conf().set("spark.sql.parquet.enableVectorizedReader", vectorized);
        spark.conf().set("spark.sql.parquet.enableNestedColumnVectorizedReader", vectorized);
        List<Row> rows = spark.read().parquet(file.toString()).orderBy("id").collectAsList();
        assertEquals(9, rows.size(), "vectorized=" + vectorized);
        for (int b = 0; b < 3; b++) {
          Row r0 = rows.get(3 * b);
          Row r1 = rows.get(3 * b + 1);
          Row r2 = rows.get(3 * b + 2);
          assertEquals(3L * b, r0.getLong(0));
          assertEquals(0.5, r0.getDouble(1));
          assertTrue(r1.isNullAt(1));
          assertEquals("malignant", r2.getString(2));
          assertTrue(r1.isNullAt(2));
          assertEquals(List.of(1f, 2f), r0.getList(3));
          assertTrue(r1.isNullAt(3));
          assertEquals(List.of(), r2.getList(3));
          assertEquals(java.util.Map.of("a", 0.25f), r0.getJavaMap(4));
          assertEquals(java.util.Map.of(), r1.getJavaMap(4));
          assertEquals(java.util.Map.of("b", 1f, "c", 0f), r2.getJavaMap(4));
          List<Integer> t0 = r0.getList(5);
          assertEquals(2, t0.size());
          assertEquals(7, t0.get(0));
          assertNull(t0.get(1), "a null element stays null");
          assertTrue(r1.isNullAt(5));
          assertEquals(List.of(), r2.getList(5));
        }
      }
      var schema = spark.read().parquet(file.toString()).schema();
      assertEquals(
          DataTypes.FloatType,
          ((org.apache.spark.sql.types.ArrayType) schema.apply("probs").dataType()).elementType());
      var zip = (org.apache.spark.sql.types.MapType) schema.apply("zip").dataType();
      assertEquals(
          List.of(DataTypes.StringType, DataTypes.FloatType),
          List.of(zip.keyType(), zip.valueType()));
      assertEquals(DataTypes.StringType, schema.apply("label").dataType());
    } finally {
      spark.stop();
    }
  }
}
