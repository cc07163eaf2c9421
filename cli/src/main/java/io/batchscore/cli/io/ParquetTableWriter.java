package io.batchscore.cli.io;

import io.batchscore.core.ElementType;
import io.batchscore.core.column.ArrayColumn;
import io.batchscore.core.column.BoolColumn;
import io.batchscore.core.column.Column;
import io.batchscore.core.column.ColumnBatch;
import io.batchscore.core.column.ColumnType;
import io.batchscore.core.column.DoubleColumn;
import io.batchscore.core.column.FloatColumn;
import io.batchscore.core.column.IntColumn;
import io.batchscore.core.column.LongColumn;
import io.batchscore.core.column.MapColumn;
import io.batchscore.core.column.StringColumn;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroup;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/** Writes scored batches as one Parquet file (snappy), through parquet-hadoop's example Group API. */
public final class ParquetTableWriter implements TableWriter {
  private final MessageType schema;
  private final ParquetWriter<Group> writer;

  /**
   * @param columns the output columns in order; a column with a Parquet type (a passthrough
   *     column of a Parquet input) keeps it, the others get one from their column type
   */
  public ParquetTableWriter(Path file, List<OutputField> columns) throws IOException {
    List<Type> fields = new ArrayList<>();
    for (OutputField c : columns) {
      fields.add(c.parquetType() != null ? c.parquetType() : parquetType(c.name(), c.type(), c.nullable()));
    }
    this.schema = new MessageType("batchscore", fields);
    this.writer =
        ExampleParquetWriter.builder(new LocalOutputFile(file))
            .withType(schema)
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
            .build();
  }

  /** An output column: name, type, and the Parquet type to keep (passthrough) or null. */
  public record OutputField(String name, ColumnType type, Type parquetType, boolean nullable) {}

  static Type parquetType(String name, ColumnType t, boolean nullable) {
    Type.Repetition rep = nullable ? Type.Repetition.OPTIONAL : Type.Repetition.REQUIRED;
    switch (t.kind()) {
      case ARRAY:
        return Types.buildGroup(rep)
            .as(LogicalTypeAnnotation.listType())
            .addField(Types.repeatedGroup().addField(primitive("element", t.element(), Type.Repetition.REQUIRED)).named("list"))
            .named(name);
      case MAP:
        return Types.buildGroup(rep)
            .as(LogicalTypeAnnotation.mapType())
            .addField(
                Types.repeatedGroup()
                    .addField(primitive("key", t.keyType(), Type.Repetition.REQUIRED))
                    .addField(primitive("value", t.element(), Type.Repetition.REQUIRED))
                    .named("key_value"))
            .named(name);
      default:
        return primitive(name, t.element(), rep);
    }
  }

  private static Type primitive(String name, ElementType e, Type.Repetition rep) {
    switch (e) {
      case FLOAT:
        return Types.primitive(PrimitiveTypeName.FLOAT, rep).named(name);
      case DOUBLE:
        return Types.primitive(PrimitiveTypeName.DOUBLE, rep).named(name);
      case INT64:
        return Types.primitive(PrimitiveTypeName.INT64, rep).named(name);
      case INT32:
        return Types.primitive(PrimitiveTypeName.INT32, rep).named(name);
      case BOOL:
        return Types.primitive(PrimitiveTypeName.BOOLEAN, rep).named(name);
      default:
        return Types.primitive(PrimitiveTypeName.BINARY, rep).as(LogicalTypeAnnotation.stringType()).named(name);
    }
  }

  @Override
  public void write(ColumnBatch batch) throws IOException {
    List<Column> cols = new ArrayList<>();
    for (Type t : schema.getFields()) {
      cols.add(batch.column(t.getName()));
    }
    for (int r = 0; r < batch.rowCount(); r++) {
      Group g = new SimpleGroup(schema);
      for (int f = 0; f < cols.size(); f++) {
        Column c = cols.get(f);
        if (c.isNull(r)) {
          continue;
        }
        if (c instanceof ArrayColumn a) {
          Group list = g.addGroup(f);
          for (int j = a.offsets()[r]; j < a.offsets()[r + 1]; j++) {
            add(list.addGroup(0), 0, a.values(), j);
          }
        } else if (c instanceof MapColumn m) {
          Group map = g.addGroup(f);
          for (int j = m.offsets()[r]; j < m.offsets()[r + 1]; j++) {
            Group kv = map.addGroup(0);
            add(kv, 0, m.keys(), j);
            add(kv, 1, m.values(), j);
          }
        } else {
          add(g, f, c, r);
        }
      }
      writer.write(g);
    }
  }

  private void add(Group g, int field, Column c, int i) {
    if (c instanceof FloatColumn f) {
      g.add(field, f.value(i));
    } else if (c instanceof DoubleColumn d) {
      g.add(field, d.value(i));
    } else if (c instanceof LongColumn l) {
      g.add(field, l.value(i));
    } else if (c instanceof IntColumn n) {
      g.add(field, n.value(i));
    } else if (c instanceof BoolColumn b) {
      g.add(field, b.value(i));
    } else if (c instanceof StringColumn s) {
      g.add(field, labels.get(s.value(i)));
    } else {
      throw new IllegalStateException("cannot write " + c.type());
    }
  }

  private final io.batchscore.core.column.EncodedStrings<Binary> labels =
      new io.batchscore.core.column.EncodedStrings<>(
          v -> Binary.fromConstantByteArray(v.getBytes(java.nio.charset.StandardCharsets.UTF_8)));

  @Override
  public void close() throws IOException {
    writer.close();
  }
}
