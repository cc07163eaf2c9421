package io.batchscore.io;

import io.batchscore.core.column.ElementType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.parquet.bytes.ByteBufferInputStream;
import org.apache.parquet.bytes.BytesUtils;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ValuesType;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.column.values.ValuesReader;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridDecoder;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * Reads a flat number column of one row group page by page, a range of rows at a time. PLAIN pages
 * without nulls are copied in bulk from the page's bytes; dictionary and other encodings go through
 * parquet-java's own value readers. parquet-java's record-level {@code ColumnReader} costs about
 * 100-200 ns per value (levels, converters, an 8-byte stream read per double); this reads PLAIN
 * doubles at memory speed (docs/performance.md).
 */
final class PageColumnReader {
  private final ColumnDescriptor desc;
  private final PageReader pages;
  private final ElementType type;
  private final int maxDef;
  private final Dictionary dictionary;

  /** Values left in the current page. */
  private int left;

  /** Definition levels of the current page (V1: a values reader; V2: an RLE decoder). */
  private ValuesReader levelsV1;

  private RunLengthBitPackingHybridDecoder levelsV2;

  /** The current page's values: PLAIN bytes, or a reader for any other encoding. */
  private ByteBuffer plain;

  private ValuesReader values;
  private boolean dictionaryIds;

  /** Dictionary pages: ids decoded in bulk, values looked up in the materialised dictionary. */
  private IdDecoder ids;

  private final Object dictionaryValues;
  private int[] idScratch = new int[0];

  /** Whether this reader handles the column: flat FLOAT, DOUBLE, INT32 or INT64 read as such. */
  static boolean handles(ColumnDescriptor d, ElementType t) {
    if (d.getMaxRepetitionLevel() != 0) {
      return false;
    }
    PrimitiveTypeName p = d.getPrimitiveType().getPrimitiveTypeName();
    return switch (t) {
      case FLOAT -> p == PrimitiveTypeName.FLOAT;
      case DOUBLE -> p == PrimitiveTypeName.DOUBLE;
      case INT32 -> p == PrimitiveTypeName.INT32;
      case INT64 -> p == PrimitiveTypeName.INT64;
      default -> false;
    };
  }

  PageColumnReader(ColumnDescriptor desc, PageReader pages, ElementType type) throws IOException {
    this.desc = desc;
    this.pages = pages;
    this.type = type;
    this.maxDef = desc.getMaxDefinitionLevel();
    DictionaryPage dp = pages.readDictionaryPage();
    this.dictionary = dp == null ? null : dp.getEncoding().initDictionary(desc, dp);
    this.dictionaryValues = dictionary == null ? null : materialise(dictionary, type);
  }

  private static Object materialise(Dictionary d, ElementType t) {
    int n = d.getMaxId() + 1;
    switch (t) {
      case FLOAT -> {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
          v[i] = d.decodeToFloat(i);
        }
        return v;
      }
      case DOUBLE -> {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
          v[i] = d.decodeToDouble(i);
        }
        return v;
      }
      case INT32 -> {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
          v[i] = d.decodeToInt(i);
        }
        return v;
      }
      default -> {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
          v[i] = d.decodeToLong(i);
        }
        return v;
      }
    }
  }

  /**
   * Reads {@code n} rows into {@code dst[at..at+n)} and their null flags into {@code nulls};
   * returns whether any was null.
   */
  boolean read(int n, Object dst, boolean[] nulls, int at) throws IOException {
    boolean anyNull = false;
    int done = 0;
    while (done < n) {
      if (left == 0) {
        nextPage();
      }
      int k = Math.min(n - done, left);
      int from = at + done;
      int present = k;
      if (maxDef > 0) {
        present = 0;
        for (int i = 0; i < k; i++) {
          boolean isNull = level() < maxDef;
          nulls[from + i] = isNull;
          present += isNull ? 0 : 1;
        }
      } else {
        java.util.Arrays.fill(nulls, from, from + k, false);
      }
      if (present == k) {
        bulk(dst, from, k);
      } else {
        anyNull = true;
        for (int i = 0; i < k; i++) {
          if (!nulls[from + i]) {
            one(dst, from + i);
          }
        }
      }
      left -= k;
      done += k;
    }
    return anyNull;
  }

  private int level() throws IOException {
    return levelsV1 != null ? levelsV1.readInteger() : levelsV2.readInt();
  }

  private void nextPage() throws IOException {
    DataPage page = pages.readPage();
    if (page == null) {
      throw new IOException("column " + desc + ": the row group ends before its row count");
    }
    left = page.getValueCount();
    levelsV1 = null;
    levelsV2 = null;
    Encoding encoding;
    ByteBufferInputStream data;
    if (page instanceof DataPageV1 v1) {
      data = v1.getBytes().toInputStream();
      if (maxDef > 0) {
        levelsV1 = v1.getDlEncoding().getValuesReader(desc, ValuesType.DEFINITION_LEVEL);
        levelsV1.initFromPage(left, data);
      }
      encoding = v1.getValueEncoding();
    } else {
      DataPageV2 v2 = (DataPageV2) page;
      if (maxDef > 0) {
        levelsV2 =
            new RunLengthBitPackingHybridDecoder(
                BytesUtils.getWidthFromMaxInt(maxDef), v2.getDefinitionLevels().toInputStream());
      }
      data = v2.getData().toInputStream();
      encoding = v2.getDataEncoding();
    }
    plain = null;
    values = null;
    ids = null;
    dictionaryIds = encoding.usesDictionary();
    if (encoding == Encoding.PLAIN) {
      plain = data.slice(data.available()).order(ByteOrder.LITTLE_ENDIAN);
    } else if (dictionaryIds && dictionary != null) {
      ByteBuffer b = data.slice(data.available());
      ids = new IdDecoder(b, b.get() & 0xff);
    } else if (dictionaryIds) {
      if (dictionary == null) {
        throw new IOException("column " + desc + ": dictionary-encoded page without a dictionary");
      }
      values = encoding.getDictionaryBasedValuesReader(desc, ValuesType.VALUES, dictionary);
      values.initFromPage(left, data);
    } else {
      values = encoding.getValuesReader(desc, ValuesType.VALUES);
      values.initFromPage(left, data);
    }
  }

  private void bulk(Object dst, int from, int k) throws IOException {
    if (ids != null) {
      if (idScratch.length < k) {
        idScratch = new int[Math.max(k, 1024)];
      }
      int[] id = idScratch;
      ids.read(id, k);
      switch (type) {
        case FLOAT -> {
          float[] d = (float[]) dst;
          float[] v = (float[]) dictionaryValues;
          for (int i = 0; i < k; i++) {
            d[from + i] = v[id[i]];
          }
        }
        case DOUBLE -> {
          double[] d = (double[]) dst;
          double[] v = (double[]) dictionaryValues;
          for (int i = 0; i < k; i++) {
            d[from + i] = v[id[i]];
          }
        }
        case INT32 -> {
          int[] d = (int[]) dst;
          int[] v = (int[]) dictionaryValues;
          for (int i = 0; i < k; i++) {
            d[from + i] = v[id[i]];
          }
        }
        default -> {
          long[] d = (long[]) dst;
          long[] v = (long[]) dictionaryValues;
          for (int i = 0; i < k; i++) {
            d[from + i] = v[id[i]];
          }
        }
      }
      return;
    }
    if (plain == null) {
      for (int i = 0; i < k; i++) {
        one(dst, from + i);
      }
      return;
    }
    int pos = plain.position();
    switch (type) {
      case FLOAT -> {
        plain.asFloatBuffer().get((float[]) dst, from, k);
        plain.position(pos + 4 * k);
      }
      case DOUBLE -> {
        plain.asDoubleBuffer().get((double[]) dst, from, k);
        plain.position(pos + 8 * k);
      }
      case INT32 -> {
        plain.asIntBuffer().get((int[]) dst, from, k);
        plain.position(pos + 4 * k);
      }
      default -> {
        plain.asLongBuffer().get((long[]) dst, from, k);
        plain.position(pos + 8 * k);
      }
    }
  }

  private void one(Object dst, int i) throws IOException {
    if (ids != null) {
      int id = ids.next();
      switch (type) {
        case FLOAT -> ((float[]) dst)[i] = ((float[]) dictionaryValues)[id];
        case DOUBLE -> ((double[]) dst)[i] = ((double[]) dictionaryValues)[id];
        case INT32 -> ((int[]) dst)[i] = ((int[]) dictionaryValues)[id];
        default -> ((long[]) dst)[i] = ((long[]) dictionaryValues)[id];
      }
      return;
    }
    switch (type) {
      case FLOAT ->
          ((float[]) dst)[i] =
              plain != null
                  ? plain.getFloat()
                  : dictionaryIds
                      ? dictionary.decodeToFloat(values.readValueDictionaryId())
                      : values.readFloat();
      case DOUBLE ->
          ((double[]) dst)[i] =
              plain != null
                  ? plain.getDouble()
                  : dictionaryIds
                      ? dictionary.decodeToDouble(values.readValueDictionaryId())
                      : values.readDouble();
      case INT32 ->
          ((int[]) dst)[i] =
              plain != null
                  ? plain.getInt()
                  : dictionaryIds
                      ? dictionary.decodeToInt(values.readValueDictionaryId())
                      : values.readInteger();
      default ->
          ((long[]) dst)[i] =
              plain != null
                  ? plain.getLong()
                  : dictionaryIds
                      ? dictionary.decodeToLong(values.readValueDictionaryId())
                      : values.readLong();
    }
  }

  /**
   * Parquet's RLE / bit-packing hybrid encoding of dictionary ids, decoded a run at a time: runs of
   * one repeated id, and groups of 8 ids packed in {@code bitWidth} bits each.
   */
  static final class IdDecoder {
    private final ByteBuffer in;
    private final int bitWidth;
    private final org.apache.parquet.column.values.bitpacking.BytePacker packer;
    private final byte[] group;
    private final int[] unpacked = new int[8];
    private int unpackedPos = 8;
    private int rleLeft;
    private int rleValue;
    private int packedLeft;

    IdDecoder(ByteBuffer in, int bitWidth) throws IOException {
      if (bitWidth > 32) {
        throw new IOException("dictionary id bit width " + bitWidth + " is over 32");
      }
      this.in = in;
      this.bitWidth = bitWidth;
      this.packer =
          org.apache.parquet.column.values.bitpacking.Packer.LITTLE_ENDIAN.newBytePacker(bitWidth);
      this.group = new byte[Math.max(1, bitWidth)];
    }

    int next() throws IOException {
      while (true) {
        if (rleLeft > 0) {
          rleLeft--;
          return rleValue;
        }
        if (unpackedPos < 8 && packedLeft > 0) {
          packedLeft--;
          return unpacked[unpackedPos++];
        }
        if (packedLeft > 0) {
          unpackGroup();
          continue;
        }
        header();
      }
    }

    void read(int[] out, int n) throws IOException {
      int i = 0;
      while (i < n) {
        if (rleLeft > 0) {
          int k = Math.min(rleLeft, n - i);
          java.util.Arrays.fill(out, i, i + k, rleValue);
          rleLeft -= k;
          i += k;
        } else if (packedLeft > 0) {
          if (unpackedPos == 8 && packedLeft >= 8 && n - i >= 8) {
            in.get(group, 0, bitWidth);
            packer.unpack8Values(group, 0, out, i);
            packedLeft -= 8;
            i += 8;
          } else {
            out[i++] = next();
          }
        } else {
          header();
        }
      }
    }

    private void unpackGroup() {
      in.get(group, 0, bitWidth);
      packer.unpack8Values(group, 0, unpacked, 0);
      unpackedPos = 0;
    }

    private void header() throws IOException {
      if (!in.hasRemaining()) {
        throw new IOException("dictionary ids end before the page's values");
      }
      int h = readUnsignedVarInt();
      if ((h & 1) == 0) {
        rleLeft = h >>> 1;
        int v = 0;
        for (int b = 0; b < (bitWidth + 7) / 8; b++) {
          v |= (in.get() & 0xff) << (8 * b);
        }
        rleValue = v;
      } else {
        // Groups of 8 values; the last group of a page may be padded past the page's values.
        packedLeft = (h >>> 1) * 8;
        unpackedPos = 8;
      }
    }

    private int readUnsignedVarInt() {
      int value = 0;
      int shift = 0;
      int b;
      do {
        b = in.get() & 0xff;
        value |= (b & 0x7f) << shift;
        shift += 7;
      } while ((b & 0x80) != 0);
      return value;
    }
  }
}
