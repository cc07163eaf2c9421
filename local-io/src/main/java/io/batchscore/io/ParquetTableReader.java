package io.batchscore.io;

import io.batchscore.core.BadInputException;
import io.batchscore.core.column.Column;
import io.batchscore.core.column.ColumnBatch;
import io.batchscore.core.column.ColumnType;
import io.batchscore.core.column.ElementType;
import io.batchscore.core.column.InputSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Reads a Parquet file, or a folder of Parquet part files (as Spark writes them), column by column
 * with parquet-hadoop's column readers: only the selected columns are decoded, straight into
 * primitive arrays, a batch at a time across row groups and files. Reads top-level primitive
 * columns and lists of primitives (Spark's {@code array<float>}).
 */
public final class ParquetTableReader implements TableReader {
  private final List<Path> files;
  private final MessageType schema;
  private final Map<String, Field> fields = new LinkedHashMap<>();
  private final InputSchema fullSchema;
  private final long totalRows;
  private int fileIndex = -1;
  private ParquetFileReader reader;
  private PageReadStore current;
  private final RecyclingAllocator buffers = new RecyclingAllocator();
  private final PageCodecs codecs = new PageCodecs();
  private long rowsLeftInGroup;

  /** The current row group's index in its file, for messages. */
  private int rowGroup = -1;

  /** A column to read: its descriptor, reader and how its levels map to values. */
  private static final class Field {
    final String name;
    final ColumnDescriptor desc;
    final ElementType type;
    final boolean list;
    final int nullDef;
    final int emptyDef;
    ColumnReader reader;

    /** Flat number columns: read a page at a time instead of through {@link #reader}. */
    PageColumnReader pages;

    long consumed;

    Field(
        String name,
        ColumnDescriptor desc,
        ElementType type,
        boolean list,
        int nullDef,
        int emptyDef) {
      this.name = name;
      this.desc = desc;
      this.type = type;
      this.list = list;
      this.nullDef = nullDef;
      this.emptyDef = emptyDef;
    }
  }

  /**
   * @param path a Parquet file, or a folder of {@code *.parquet} part files
   * @param columns the columns to read (null for every readable column)
   */
  public ParquetTableReader(Path path, List<String> columns) throws IOException {
    this.files = listFiles(path);
    if (files.isEmpty()) {
      throw new BadInputException(null, -1, null, path + ": no Parquet files in this folder");
    }
    long total = 0;
    MessageType first = null;
    for (Path f : files) {
      try (ParquetFileReader r = open(f)) {
        MessageType s = r.getFooter().getFileMetaData().getSchema();
        if (first == null) {
          first = s;
        } else if (!first.equals(s)) {
          throw new BadInputException(null, -1, null, f + ": schema differs from " + files.get(0));
        }
        total += r.getRecordCount();
        encrypted(f, r, columns);
      }
    }
    this.schema = first;
    this.totalRows = total;
    InputSchema.Builder all = InputSchema.builder();
    for (Type t : schema.getFields()) {
      Field f = field(t);
      if (f == null) {
        all.addOther(t.getName(), describe(t), false);
        continue;
      }
      all.add(t.getName(), f.list ? ColumnType.array(f.type) : ColumnType.scalar(f.type));
      if (columns == null || columns.contains(t.getName())) {
        fields.put(t.getName(), f);
      }
    }
    this.fullSchema = all.build();
  }

  /**
   * Refuses a selected column stored encrypted (Parquet modular encryption; with a plaintext footer
   * the file opens and its plain columns read, but this reader holds no keys).
   */
  private static void encrypted(Path f, ParquetFileReader r, List<String> columns) {
    for (org.apache.parquet.hadoop.metadata.BlockMetaData b : r.getFooter().getBlocks()) {
      for (org.apache.parquet.hadoop.metadata.ColumnChunkMetaData c : b.getColumns()) {
        String top = c.getPath().toArray()[0];
        if (c.isEncrypted() && (columns == null || columns.contains(top))) {
          throw new BadInputException(
              null,
              -1,
              null,
              f
                  + ": column '"
                  + top
                  + "' is encrypted (Parquet modular encryption) and batchscore reads no keys:"
                  + " decrypt the file first, or leave the column out of the spec");
        }
      }
    }
  }

  /** An exception's message, or its type where it has none. */
  static String why(Throwable e) {
    return e.getMessage() == null || e.getMessage().isBlank()
        ? e.getClass().getSimpleName()
        : e.getMessage();
  }

  private static List<Path> listFiles(Path path) throws IOException {
    if (!Files.exists(path)) {
      throw new BadInputException(null, -1, null, path + ": input file not found");
    }
    if (!Files.isDirectory(path)) {
      return List.of(path);
    }
    try (Stream<Path> s = Files.list(path)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList();
    }
  }

  private ParquetFileReader open(Path f) throws IOException {
    try {
      return ParquetFileReader.open(
          new ChannelInputFile(f),
          ParquetReadOptions.builder(ParquetConf.SHARED)
              .withAllocator(buffers)
              .withCodecFactory(codecs)
              // parquet-java decompresses into the allocator's direct buffers only with this set;
              // no decryption is configured, so it changes nothing else.
              .useOffHeapDecryptBuffer(true)
              .build());
    } catch (RuntimeException | IOException e) {
      throw new BadInputException(
          null, -1, null, f + ": not a readable Parquet file (" + why(e) + ")");
    }
  }

  /** A Parquet type this reader cannot read, for messages: "Parquet INT96", "a Parquet group". */
  private static String describe(Type t) {
    if (!t.isPrimitive()) {
      return t.getLogicalTypeAnnotation() == null
          ? "a Parquet group"
          : "a Parquet group (" + t.getLogicalTypeAnnotation() + ")";
    }
    String kind = t.isRepetition(Type.Repetition.REPEATED) ? "repeated " : "";
    LogicalTypeAnnotation l = t.getLogicalTypeAnnotation();
    return "Parquet "
        + kind
        + t.asPrimitiveType().getPrimitiveTypeName()
        + (l == null ? "" : " (" + l + ")");
  }

  private Field field(Type t) {
    String name = t.getName();
    if (t.isPrimitive()) {
      ElementType e = elementType(t.asPrimitiveType());
      if (e == null || t.isRepetition(Type.Repetition.REPEATED)) {
        return null;
      }
      ColumnDescriptor d = schema.getColumnDescription(new String[] {name});
      return new Field(name, d, e, false, d.getMaxDefinitionLevel(), 0);
    }
    // LIST: optional group name (LIST) { repeated group list { optional T element; } }
    GroupType g = t.asGroupType();
    if (!(g.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation)
        || g.getFieldCount() != 1) {
      return null;
    }
    Type repeated = g.getType(0);
    String[] path;
    Type leaf;
    if (repeated.isPrimitive()) {
      path = new String[] {name, repeated.getName()};
      leaf = repeated;
    } else if (repeated.asGroupType().getFieldCount() == 1
        && repeated.asGroupType().getType(0).isPrimitive()) {
      leaf = repeated.asGroupType().getType(0);
      path = new String[] {name, repeated.getName(), leaf.getName()};
    } else {
      return null;
    }
    ElementType e = elementType(leaf.asPrimitiveType());
    if (e == null) {
      return null;
    }
    ColumnDescriptor d = schema.getColumnDescription(path);
    int listDef = schema.getMaxDefinitionLevel(name);
    int repeatedDef = schema.getMaxDefinitionLevel(name, repeated.getName());
    return new Field(name, d, e, true, listDef, repeatedDef);
  }

  static ElementType elementType(PrimitiveType p) {
    switch (p.getPrimitiveTypeName()) {
      case FLOAT:
        return ElementType.FLOAT;
      case DOUBLE:
        return ElementType.DOUBLE;
      case INT32:
        return p.getLogicalTypeAnnotation()
                instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation
            ? null
            : ElementType.INT32;
      case INT64:
        return p.getLogicalTypeAnnotation()
                instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation
            ? null
            : ElementType.INT64;
      case BOOLEAN:
        return ElementType.BOOL;
      case BINARY:
        return p.getLogicalTypeAnnotation()
                    instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                || p.getLogicalTypeAnnotation()
                    instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
            ? ElementType.STRING
            : null;
      default:
        return null;
    }
  }

  /**
   * Every column of the file: those this reader can decode (it reads only the selected ones), and
   * the others by their Parquet type, which it can neither decode nor copy.
   */
  @Override
  public InputSchema schema() {
    return fullSchema;
  }

  /** The Parquet schema of the file (for writing passthrough columns with their own types). */
  public MessageType parquetSchema() {
    return schema;
  }

  @Override
  public long totalRows() {
    return totalRows;
  }

  private boolean advance() throws IOException {
    while (rowsLeftInGroup == 0) {
      if (current != null) {
        current.close(); // hands its buffers back to `buffers` for the next row group
        current = null;
        buffers.endRowGroup();
      }
      PageReadStore pages;
      try {
        pages = reader == null ? null : reader.readNextRowGroup();
      } catch (RuntimeException | IOException e) {
        throw new BadInputException(
            null,
            -1,
            null,
            files.get(fileIndex)
                + ": row group "
                + (rowGroup + 1)
                + (fields.size() == 1 ? ", column " : ", columns ")
                + String.join(", ", fields.keySet())
                + ": cannot read its pages ("
                + why(e)
                + ")");
      }
      current = pages;
      if (pages == null) {
        if (reader != null) {
          reader.close();
          reader = null;
        }
        if (++fileIndex >= files.size()) {
          return false;
        }
        reader = open(files.get(fileIndex));
        reader.setRequestedSchema(projection());
        rowGroup = -1;
        continue;
      }
      rowGroup++;
      rowsLeftInGroup = pages.getRowCount();
      MessageType requested = projection();
      PageReadStore owned = buffers.owning(pages); // each column's page buffers reused page to page
      ColumnReadStoreImpl store =
          new ColumnReadStoreImpl(
              owned, noopConverter(requested), requested, reader.getFileMetaData().getCreatedBy());
      for (Field f : fields.values()) {
        try {
          if (!f.list && PageColumnReader.handles(f.desc, f.type)) {
            f.pages = new PageColumnReader(f.desc, owned.getPageReader(f.desc), f.type);
            f.reader = null;
          } else {
            f.pages = null;
            f.reader = store.getColumnReader(f.desc);
          }
        } catch (RuntimeException | IOException e) {
          throw undecodable(f, e);
        }
        f.consumed = 0;
      }
    }
    return true;
  }

  private MessageType projection() {
    List<Type> keep = new ArrayList<>();
    for (Type t : schema.getFields()) {
      if (fields.containsKey(t.getName())) {
        keep.add(t);
      }
    }
    return new MessageType(schema.getName(), keep);
  }

  @Override
  public ColumnBatch next(int maxRows) throws IOException {
    try {
      return read(maxRows);
    } catch (OutOfMemoryError e) {
      if (e.getMessage() == null || !e.getMessage().contains("direct buffer memory")) {
        throw e;
      }
      // A row group's column chunks and pages are read into direct buffers; their limit is the
      // heap's size unless set. The buffers are freed with the reader.
      throw new IOException(
          files.get(Math.min(fileIndex, files.size() - 1))
              + ": a row group needs more direct memory than this JVM allows ("
              + e.getMessage()
              + "); give it more with -Xmx or -XX:MaxDirectMemorySize in BATCHSCORE_JAVA_OPTS");
    }
  }

  private ColumnBatch read(int maxRows) throws IOException {
    Map<String, Builder> builders = new LinkedHashMap<>();
    fields.forEach((n, f) -> builders.put(n, new Builder(f, maxRows)));
    int rows = 0;
    while (rows < maxRows && advance()) {
      int take = (int) Math.min(maxRows - rows, rowsLeftInGroup);
      for (Field f : fields.values()) {
        try {
          builders.get(f.name).read(take);
        } catch (BadInputException e) {
          throw e;
        } catch (RuntimeException | IOException e) {
          throw undecodable(f, e);
        }
      }
      rowsLeftInGroup -= take;
      rows += take;
    }
    if (rows == 0) {
      return null;
    }
    ColumnBatch.Builder b = ColumnBatch.builder(rows);
    for (Builder bl : builders.values()) {
      b.add(bl.f.name, bl.finish(rows));
    }
    return b.build();
  }

  private BadInputException undecodable(Field f, Exception e) {
    return new BadInputException(
        null,
        -1,
        null,
        files.get(fileIndex)
            + ": row group "
            + rowGroup
            + ", column "
            + f.name
            + ": cannot decode Parquet data ("
            + why(e)
            + ")");
  }

  /** Collects one column's values for a batch. */
  private static final class Builder {
    final Field f;
    Object values;
    boolean[] nulls;
    boolean anyNull;
    int[] offsets;
    boolean[] elementNulls;
    int size;
    int rows;

    Builder(Field f, int capacity) {
      this.f = f;
      this.nulls = new boolean[capacity];
      if (f.list) {
        offsets = new int[capacity + 1];
        values = alloc(f.type, Math.max(16, capacity));
        elementNulls = new boolean[Math.max(16, capacity)];
      } else {
        values = alloc(f.type, capacity);
      }
    }

    void read(int n) throws IOException {
      if (f.pages != null) {
        anyNull |= f.pages.read(n, values, nulls, rows);
        rows += n;
        return;
      }
      ColumnReader r = f.reader;
      for (int i = 0; i < n; i++) {
        if (!f.list) {
          if (r.getCurrentDefinitionLevel() < f.nullDef) {
            nulls[rows] = true;
            anyNull = true;
          } else {
            put(r, rows);
          }
          r.consume();
        } else {
          readList(r);
        }
        rows++;
      }
    }

    private void readList(ColumnReader r) {
      int def = r.getCurrentDefinitionLevel();
      if (def < f.nullDef) {
        nulls[rows] = true;
        anyNull = true;
        r.consume();
      } else if (def < f.emptyDef) {
        r.consume();
      } else {
        do {
          ensure(size + 1);
          if (r.getCurrentDefinitionLevel() < f.desc.getMaxDefinitionLevel()) {
            elementNulls[size] = true;
          } else {
            elementNulls[size] = false;
            put(r, size);
          }
          size++;
          r.consume();
          f.consumed++;
        } while (f.consumed < r.getTotalValueCount() && r.getCurrentRepetitionLevel() > 0);
        offsets[rows + 1] = size;
        return;
      }
      f.consumed++;
      offsets[rows + 1] = size;
    }

    private void ensure(int n) {
      if (n > elementNulls.length) {
        int cap = Math.max(n, elementNulls.length * 2);
        Object bigger = alloc(f.type, cap);
        System.arraycopy(values, 0, bigger, 0, size);
        values = bigger;
        elementNulls = Arrays.copyOf(elementNulls, cap);
      }
    }

    private void put(ColumnReader r, int i) {
      switch (f.type) {
        case FLOAT:
          ((float[]) values)[i] = r.getFloat();
          break;
        case DOUBLE:
          ((double[]) values)[i] = r.getDouble();
          break;
        case INT32:
          ((int[]) values)[i] = r.getInteger();
          break;
        case INT64:
          ((long[]) values)[i] = r.getLong();
          break;
        case BOOL:
          ((boolean[]) values)[i] = r.getBoolean();
          break;
        default:
          ((String[]) values)[i] = r.getBinary().toStringUsingUTF8();
      }
    }

    Column finish(int n) {
      boolean[] mask = anyNull ? nulls : null;
      if (!f.list) {
        return column(f.type, values, mask, n);
      }
      offsets[n] = size;
      for (int i = 1; i <= n; i++) {
        offsets[i] = Math.max(offsets[i], offsets[i - 1]);
      }
      boolean anyElementNull = false;
      for (int i = 0; i < size && !anyElementNull; i++) {
        anyElementNull = elementNulls[i];
      }
      return Column.ofArrays(
          offsets, column(f.type, values, anyElementNull ? elementNulls : null, size), mask, n);
    }
  }

  static Object alloc(ElementType t, int n) {
    return io.batchscore.core.column.Column.allocate(t, n);
  }

  static Column column(ElementType t, Object values, boolean[] nulls, int n) {
    return io.batchscore.core.column.Column.wrap(t, values, nulls, n);
  }

  @Override
  public void close() throws IOException {
    if (current != null) {
      current.close();
      current = null;
      buffers.endRowGroup();
    }
    if (reader != null) {
      reader.close();
      reader = null;
    }
    codecs.release();
    buffers.close();
  }

  /**
   * Column readers look up a converter for each column path; values are read with getFloat() and
   * friends instead, so every converter does nothing.
   */
  private static GroupConverter noopConverter(GroupType type) {
    Converter[] children = new Converter[type.getFieldCount()];
    for (int i = 0; i < children.length; i++) {
      Type t = type.getType(i);
      children[i] = t.isPrimitive() ? new PrimitiveConverter() {} : noopConverter(t.asGroupType());
    }
    return new GroupConverter() {
      @Override
      public Converter getConverter(int fieldIndex) {
        return children[fieldIndex];
      }

      @Override
      public void start() {}

      @Override
      public void end() {}
    };
  }
}
