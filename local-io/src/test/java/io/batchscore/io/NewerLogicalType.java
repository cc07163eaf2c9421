package io.batchscore.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Makes a Parquet file with a logical type this project's parquet-java may not know: the footer's
 * schema element of a STRING column gets the GEOMETRY logical type (field 17 of the LogicalType
 * union, Parquet format 2.11) instead of STRING (field 1). The footer is Thrift's compact protocol:
 * after the column's name come its converted type (UTF8) and its logical type, {@code 0x25 0x00
 * 0x4c 0x1c 0x00 0x00}; field 17 does not fit a short field header, so it is written long-form
 * ({@code 0x0c}, then the id as a zigzag varint, {@code 0x22}), one byte longer, and the footer's
 * length is rewritten.
 */
final class NewerLogicalType {
  private NewerLogicalType() {}

  static byte[] geometryForString(byte[] file, String column) {
    int n = file.length;
    int footerLength = ByteBuffer.wrap(file, n - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    int footerStart = n - 8 - footerLength;
    byte[] name = column.getBytes(StandardCharsets.UTF_8);
    // the name is a binary field: its length as a varint, then its bytes
    byte[] pattern = new byte[name.length + 7];
    pattern[0] = (byte) name.length;
    System.arraycopy(name, 0, pattern, 1, name.length);
    byte[] tail = {0x25, 0x00, 0x4c, 0x1c, 0x00, 0x00};
    System.arraycopy(tail, 0, pattern, name.length + 1, tail.length);
    int at = indexOf(file, pattern, footerStart, n - 8);
    if (at < 0) {
      throw new IllegalStateException(
          "no STRING schema element named " + column + " in the footer");
    }
    int union = at + name.length + 1 + 3; // the 0x1c
    ByteArrayOutputStream out = new ByteArrayOutputStream(n + 1);
    out.write(file, 0, union);
    out.write(0x0c); // long form: type STRUCT
    out.write(0x22); // zigzag(17)
    out.write(file, union + 1, n - 8 - (union + 1));
    ByteBuffer len = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(footerLength + 1);
    out.write(len.array(), 0, 4);
    out.write(file, n - 4, 4); // PAR1
    return out.toByteArray();
  }

  private static int indexOf(byte[] a, byte[] p, int from, int to) {
    outer:
    for (int i = from; i <= to - p.length; i++) {
      for (int j = 0; j < p.length; j++) {
        if (a[i + j] != p[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
