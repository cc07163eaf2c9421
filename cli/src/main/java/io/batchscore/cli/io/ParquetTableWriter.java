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
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/** Writes scored batches as one Parquet file (snappy), row by row straight to Parquet's record consumer. */
public final class ParquetTableWriter implements TableWriter {
  private final MessageType schema;
  private final ParquetWriter<RowCursor> writer;
  /**
   * Per top-level field, the names the record consumer is given: [field] for a primitive,
   * [field, repeated group, element] for a LIST, [field, repeated group, key, value] for a MAP.
   * Looked up once here, not per row.
   */
  private final String[][] names;
  private final RowCursor cursor = new RowCursor();
  private final io.batchscore.core.column.EncodedStrings<Binary> labels =
      new io.batchscore.core.column.EncodedStrings<>(
          v -> Binary.fromConstantByteArray(v.getBytes(java.nio.charset.StandardCharsets.UTF_8)));

  private static final class Builder extends ParquetWriter.Builder<RowCursor, Builder> {
    private final WriteSupport<RowCursor> support;

    Builder(org.apache.parquet.io.OutputFile file, WriteSupport<RowCursor> support) {
      super(file);
      this.support = support;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<RowCursor> getWriteSupport(org.apache.hadoop.conf.Configuration conf) {
      return support;
    }

    @Override
    protected WriteSupport<RowCursor> getWriteSupport(org.apache.parquet.conf.ParquetConfiguration conf) {
      return support;
    }
  }

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
    this.names = new String[fields.size()][];
    for (int f = 0; f < names.length; f++) {
      Type t = fields.get(f);
      if (t.isPrimitive()) {
        names[f] = new String[] {t.getName()};
      } else {
        GroupType rep = t.asGroupType().getType(0).asGroupType();
        List<String> n = new ArrayList<>(List.of(t.getName(), rep.getName()));
        rep.getFields().forEach(leaf -> n.add(leaf.getName()));
        names[f] = n.toArray(new String[0]);
      }
    }
    this.writer =
        new Builder(new LocalOutputFile(file), new CursorWriteSupport())
            .withConf(ParquetConf.SHARED)
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
    Column[] cols = new Column[names.length];
    for (int f = 0; f < cols.length; f++) {
      cols[f] = batch.column(names[f][0]);
    }
    cursor.columns = cols;
    for (int r = 0; r < batch.rowCount(); r++) {
      cursor.row = r;
      writer.write(cursor);
    }
    cursor.columns = null;
  }

  /** The row being written: the batch's columns in schema order and a row index. */
  static final class RowCursor {
    Column[] columns;
    int row;
  }

  /**
   * Writes a row straight to Parquet's record consumer, field by field, as Spark's own write
   * support does: no per-row record object (the example Group API built a {@code SimpleGroup}
   * per row and looked every field up by name).
   */
  private final class CursorWriteSupport extends WriteSupport<RowCursor> {
    private RecordConsumer out;

    @Override
    public WriteContext init(org.apache.parquet.conf.ParquetConfiguration configuration) {
      return new WriteContext(schema, java.util.Map.of());
    }

    @Override
    public WriteContext init(org.apache.hadoop.conf.Configuration configuration) {
      return new WriteContext(schema, java.util.Map.of());
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      this.out = recordConsumer;
    }

    @Override
    public void write(RowCursor rc) {
      out.startMessage();
      int r = rc.row;
      for (int f = 0; f < rc.columns.length; f++) {
        Column c = rc.columns[f];
        if (c.isNull(r)) {
          continue;
        }
        String[] n = names[f];
        out.startField(n[0], f);
        if (c instanceof ArrayColumn a) {
          // LIST: group { repeated group <list> { <element> } }
          String element = n[2];
          out.startGroup();
          if (a.offsets()[r] < a.offsets()[r + 1]) {
            out.startField(n[1], 0);
            for (int j = a.offsets()[r]; j < a.offsets()[r + 1]; j++) {
              out.startGroup();
              out.startField(element, 0);
              value(a.values(), j);
              out.endField(element, 0);
              out.endGroup();
            }
            out.endField(n[1], 0);
          }
          out.endGroup();
        } else if (c instanceof MapColumn m) {
          // MAP: group { repeated group <key_value> { <key>; <value> } }
          String key = n[2];
          String value = n[3];
          out.startGroup();
          if (m.offsets()[r] < m.offsets()[r + 1]) {
            out.startField(n[1], 0);
            for (int j = m.offsets()[r]; j < m.offsets()[r + 1]; j++) {
              out.startGroup();
              out.startField(key, 0);
              value(m.keys(), j);
              out.endField(key, 0);
              out.startField(value, 1);
              value(m.values(), j);
              out.endField(value, 1);
              out.endGroup();
            }
            out.endField(n[1], 0);
          }
          out.endGroup();
        } else {
          value(c, r);
        }
        out.endField(n[0], f);
      }
      out.endMessage();
    }

    private void value(Column c, int i) {
      if (c instanceof FloatColumn f) {
        out.addFloat(f.value(i));
      } else if (c instanceof DoubleColumn d) {
        out.addDouble(d.value(i));
      } else if (c instanceof LongColumn l) {
        out.addLong(l.value(i));
      } else if (c instanceof IntColumn n) {
        out.addInteger(n.value(i));
      } else if (c instanceof BoolColumn b) {
        out.addBoolean(b.value(i));
      } else if (c instanceof StringColumn s) {
        out.addBinary(labels.get(s.value(i)));
      } else {
        throw new IllegalStateException("cannot write " + c.type());
      }
    }
  }

  @Override
  public void close() throws IOException {
    writer.close();
  }
}
