package io.batchscore.io;

import io.batchscore.core.column.Column;
import io.batchscore.core.column.ColumnBatch;
import io.batchscore.core.column.ColumnType;
import io.batchscore.core.column.ElementType;
import io.batchscore.core.column.EncodedStrings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * Writes scored batches as one Parquet file (snappy), a column at a time, straight to Parquet's
 * column writers: each column of a batch is one typed loop over its values, with the repetition and
 * definition levels worked out here from the schema.
 *
 * <p>This is what Parquet's record API does underneath, without its per-row bookkeeping. Going
 * through the record API (a {@code WriteSupport} calling {@code startField}/{@code addFloat}/
 * {@code endField} for every value of every row) cost about twice the CPU, and its one large row
 * method cost the JIT about 0.8 s of compilation in every CLI run, recompiled as the types it met
 * changed. Row groups close at Parquet's default size (128 MB of buffered column data); pages,
 * dictionaries, statistics and column indexes are Parquet's own, with its default properties.
 */
public final class ParquetTableWriter implements TableWriter {
  private final MessageType schema;
  private final Field[] fields;
  private final long rowGroupBytes;
  private final ParquetProperties props = ParquetProperties.builder().build();
  private final CodecFactory codecs;
  private final CompressionCodecFactory.BytesInputCompressor compressor;
  private final ParquetFileWriter file;
  private final EncodedStrings<Binary> labels =
      new EncodedStrings<>(v -> Binary.fromConstantByteArray(v.getBytes(StandardCharsets.UTF_8)));
  private ColumnChunkPageWriteStore pages;
  private ColumnWriteStore store;
  private long rowsInGroup;
  private int rowGroupOrdinal;

  /**
   * @param columns the output columns in order; a column with a Parquet type (a passthrough column
   *     of a Parquet input) keeps it, the others get one from their column type
   */
  public ParquetTableWriter(Path file, List<OutputField> columns) throws IOException {
    this(file, columns, ParquetWriter.DEFAULT_BLOCK_SIZE);
  }

  /** As above, with row groups closed once their buffered data reaches {@code rowGroupBytes}. */
  ParquetTableWriter(Path path, List<OutputField> columns, long rowGroupBytes) throws IOException {
    List<Type> types = new ArrayList<>();
    for (OutputField c : columns) {
      types.add(
          c.parquetType() != null
              ? c.parquetType()
              : parquetType(c.name(), c.type(), c.nullable()));
    }
    this.schema = new MessageType("batchscore", types);
    this.fields = new Field[types.size()];
    for (int f = 0; f < fields.length; f++) {
      fields[f] = new Field(schema, types.get(f));
    }
    this.rowGroupBytes = rowGroupBytes;
    this.codecs = new CodecFactory(ParquetConf.SHARED, props.getPageSizeThreshold());
    this.compressor = codecs.getCompressor(CompressionCodecName.SNAPPY);
    this.file =
        new ParquetFileWriter(
            new LocalOutputFile(path),
            schema,
            ParquetFileWriter.Mode.OVERWRITE,
            rowGroupBytes,
            ParquetWriter.MAX_PADDING_SIZE_DEFAULT,
            null,
            props);
    file.start();
    newRowGroup();
  }

  /** An output column: name, type, and the Parquet type to keep (passthrough) or null. */
  public record OutputField(String name, ColumnType type, Type parquetType, boolean nullable) {}

  static Type parquetType(String name, ColumnType t, boolean nullable) {
    Type.Repetition rep = nullable ? Type.Repetition.OPTIONAL : Type.Repetition.REQUIRED;
    switch (t.kind()) {
      case ARRAY:
        return Types.buildGroup(rep)
            .as(LogicalTypeAnnotation.listType())
            .addField(
                Types.repeatedGroup()
                    .addField(primitive("element", t.element(), Type.Repetition.REQUIRED))
                    .named("list"))
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
        return Types.primitive(PrimitiveTypeName.BINARY, rep)
            .as(LogicalTypeAnnotation.stringType())
            .named(name);
    }
  }

  /**
   * One top-level field: its leaf columns (one for a value or a list, key and value for a map) and
   * the definition levels that mark a null row and an empty list or map.
   */
  private static final class Field {
    final String name;
    final boolean nested;
    final boolean optional;
    final ColumnDescriptor[] leaves;

    /** Definition level of a present but empty list or map (the level of the field itself). */
    final int emptyDef;

    Field(MessageType schema, Type t) {
      this.name = t.getName();
      this.nested = !t.isPrimitive();
      this.optional = t.isRepetition(Type.Repetition.OPTIONAL);
      this.emptyDef = optional ? 1 : 0;
      List<ColumnDescriptor> l = new ArrayList<>();
      for (ColumnDescriptor d : schema.getColumns()) {
        if (d.getPath()[0].equals(name)) {
          l.add(d);
        }
      }
      this.leaves = l.toArray(new ColumnDescriptor[0]);
    }
  }

  @Override
  public void write(ColumnBatch batch) throws IOException {
    int n = batch.rowCount();
    for (Field f : fields) {
      Column c = batch.column(f.name);
      if (c.type().isArray()) {
        nested(f, 0, c, c.offsets(), c.elements(), n);
      } else if (c.type().isMap()) {
        nested(f, 0, c, c.offsets(), c.keys(), n);
        nested(f, 1, c, c.offsets(), c.values(), n);
      } else {
        scalar(f, c, n);
      }
    }
    for (int r = 0; r < n; r++) {
      store.endRecord();
    }
    rowsInGroup += n;
    if (store.getBufferedSize() >= rowGroupBytes) {
      flushRowGroup();
      newRowGroup();
    }
  }

  /**
   * A column of one value per row: one loop per type. A null is a definition level one below the
   * leaf's. The float, double and long loops are written out (not the generic {@link #value} call
   * per value) because that measured faster: one loop through {@code value} for every type cost the
   * writing thread 0.71-0.88 s instead of 0.52-0.72 s per 1M MLP rows (three alternating pairs).
   */
  private void scalar(Field f, Column c, int n) {
    ColumnWriter w = store.getColumnWriter(f.leaves[0]);
    int def = f.leaves[0].getMaxDefinitionLevel();
    boolean nulls = hasNull(f, c, n);
    ElementType type = c.type().element();
    if (type == ElementType.FLOAT) {
      float[] v = c.floats();
      for (int r = 0; r < n; r++) {
        if (nulls && c.isNull(r)) {
          w.writeNull(0, def - 1);
        } else {
          w.write(v[r], 0, def);
        }
      }
    } else if (type == ElementType.DOUBLE) {
      double[] v = c.doubles();
      for (int r = 0; r < n; r++) {
        if (nulls && c.isNull(r)) {
          w.writeNull(0, def - 1);
        } else {
          w.write(v[r], 0, def);
        }
      }
    } else if (type == ElementType.INT64) {
      long[] v = c.longs();
      for (int r = 0; r < n; r++) {
        if (nulls && c.isNull(r)) {
          w.writeNull(0, def - 1);
        } else {
          w.write(v[r], 0, def);
        }
      }
    } else {
      for (int r = 0; r < n; r++) {
        if (nulls && c.isNull(r)) {
          w.writeNull(0, def - 1);
        } else {
          value(w, c, r, 0, def);
        }
      }
    }
  }

  /**
   * Leaf {@code leaf} of a list or map field, whose rows span {@code offsets} into {@code values}.
   * A null row is definition level 0, an empty one the field's own level; the first value of a row
   * starts it (repetition 0), the others repeat (1); a null element is one level below the leaf's.
   */
  private void nested(Field f, int leaf, Column rows, int[] offsets, Column values, int n) {
    ColumnWriter w = store.getColumnWriter(f.leaves[leaf]);
    int def = f.leaves[leaf].getMaxDefinitionLevel();
    boolean rowNulls = hasNull(f, rows, n);
    boolean elementNullable = def > f.emptyDef + 1;
    for (int r = 0; r < n; r++) {
      if (rowNulls && rows.isNull(r)) {
        w.writeNull(0, 0);
      } else if (offsets[r] == offsets[r + 1]) {
        w.writeNull(0, f.emptyDef);
      } else {
        for (int j = offsets[r]; j < offsets[r + 1]; j++) {
          int rep = j == offsets[r] ? 0 : 1;
          if (values.isNull(j)) {
            if (!elementNullable) {
              throw new IllegalStateException(
                  "column '"
                      + f.name
                      + "' row "
                      + r
                      + ": a null element in a list whose elements are required");
            }
            w.writeNull(rep, def - 1);
          } else {
            value(w, values, j, rep, def);
          }
        }
      }
    }
  }

  /**
   * Whether {@code c} has a null in its first {@code n} rows; a null in a required field is a bug
   * upstream.
   */
  private static boolean hasNull(Field f, Column c, int n) {
    for (int r = 0; r < n; r++) {
      if (c.isNull(r)) {
        if (!f.optional) {
          throw new IllegalStateException(
              "column '" + f.name + "' row " + r + " is null but the column is required");
        }
        return true;
      }
    }
    return false;
  }

  private void value(ColumnWriter w, Column c, int i, int rep, int def) {
    switch (c.type().element()) {
      case FLOAT:
        w.write(c.getFloat(i), rep, def);
        break;
      case DOUBLE:
        w.write(c.getDouble(i), rep, def);
        break;
      case INT64:
        w.write(c.getLong(i), rep, def);
        break;
      case INT32:
        w.write(c.getInt(i), rep, def);
        break;
      case BOOL:
        w.write(c.getBoolean(i), rep, def);
        break;
      case STRING:
        w.write(labels.get(c.getString(i)), rep, def);
        break;
      default:
        throw new IllegalStateException("cannot write " + c.type());
    }
  }

  private void newRowGroup() {
    pages =
        new ColumnChunkPageWriteStore(
            compressor,
            schema,
            props.getAllocator(),
            props.getColumnIndexTruncateLength(),
            props.getPageWriteChecksumEnabled(),
            null,
            rowGroupOrdinal);
    store = props.newColumnWriteStore(schema, pages, pages);
  }

  /**
   * Writes the buffered rows as one row group (nothing if there are none) and releases the buffers.
   */
  private void flushRowGroup() throws IOException {
    try {
      if (rowsInGroup > 0) {
        file.startBlock(rowsInGroup);
        store.flush();
        pages.flushToFileWriter(file);
        file.endBlock();
        rowGroupOrdinal++;
        rowsInGroup = 0;
      }
    } finally {
      store.close();
      pages.close();
    }
  }

  @Override
  public void close() throws IOException {
    try {
      flushRowGroup();
      file.end(Map.of());
    } finally {
      codecs.release();
    }
  }
}
