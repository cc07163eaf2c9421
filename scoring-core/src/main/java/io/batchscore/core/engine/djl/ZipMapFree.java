package io.batchscore.core.engine.djl;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A copy of an ONNX model in which every ZipMap node (scikit-learn's sequence-of-maps output) is an
 * Identity node, and its graph output the float tensor {@code [N, classes]} that ZipMap would have
 * zipped, with the class keys ZipMap would have used.
 *
 * <p>Why: DJL's ONNX Runtime engine never releases the native maps of a sequence-of-maps output nor
 * the run's result that holds them (measured: ~560 bytes a row, 890 MB over 1.6M rows of the sample
 * wine forest). Given the tensor instead, DJL releases everything with its arrays, and the runner
 * zips the maps itself with the keys read here, exactly as ZipMap would.
 *
 * <p>The rewrite works on the protobuf wire format: top-level fields of the model and graph are
 * copied byte for byte except the ZipMap nodes and their graph outputs, which are re-encoded. Only
 * the fields it needs are decoded (NodeProto input 1, output 2, name 3, op_type 4, attribute 5,
 * domain 7; AttributeProto name 1, ints 8, strings 9; ValueInfoProto name 1).
 */
final class ZipMapFree {
  /** The rewritten model and, per former ZipMap output, its class keys (Long or String). */
  record Rewrite(byte[] model, Map<String, Object[]> keys) {}

  private ZipMapFree() {}

  /** Returns null when the model has no ZipMap node (load it as it is). */
  static Rewrite rewrite(byte[] model) throws IOException {
    Map<String, Object[]> keys = new LinkedHashMap<>();
    ByteArrayOutputStream out = new ByteArrayOutputStream(model.length);
    Reader r = new Reader(model, 0, model.length);
    while (r.more()) {
      int start = r.pos;
      long tag = r.varint();
      if (tag >>> 3 == 7 && (tag & 7) == 2) {
        byte[] graph = r.bytes();
        byte[] rewritten = rewriteGraph(graph, keys);
        writeField(out, 7, rewritten);
      } else {
        r.skip((int) (tag & 7));
        out.write(model, start, r.pos - start);
      }
    }
    return keys.isEmpty() ? null : new Rewrite(out.toByteArray(), keys);
  }

  private static byte[] rewriteGraph(byte[] graph, Map<String, Object[]> keys) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(graph.length);
    Set<String> zipped = new HashSet<>();
    List<byte[]> outputs = new ArrayList<>();
    Reader r = new Reader(graph, 0, graph.length);
    while (r.more()) {
      int start = r.pos;
      long tag = r.varint();
      int field = (int) (tag >>> 3);
      if ((tag & 7) == 2 && field == 1) {
        byte[] node = r.bytes();
        Node n = Node.parse(node);
        if (n.isZipMap()) {
          keys.put(n.outputs.get(0), n.classLabels());
          zipped.add(n.outputs.get(0));
          writeField(out, 1, n.asIdentity());
        } else {
          writeField(out, 1, node);
        }
      } else if ((tag & 7) == 2 && field == 12) {
        outputs.add(r.bytes()); // graph outputs: written after the nodes are known
      } else {
        r.skip((int) (tag & 7));
        out.write(graph, start, r.pos - start);
      }
    }
    for (byte[] o : outputs) {
      String name = valueInfoName(o);
      writeField(out, 12, zipped.contains(name) ? floatTensorInfo(name) : o);
    }
    return out.toByteArray();
  }

  private static String valueInfoName(byte[] info) throws IOException {
    Reader r = new Reader(info, 0, info.length);
    while (r.more()) {
      long tag = r.varint();
      if (tag == (1 << 3 | 2)) {
        return new String(r.bytes(), StandardCharsets.UTF_8);
      }
      r.skip((int) (tag & 7));
    }
    return "";
  }

  /** ValueInfoProto {name, type: TypeProto {tensor_type: {elem_type: FLOAT}}}, shape left open. */
  private static byte[] floatTensorInfo(String name) throws IOException {
    ByteArrayOutputStream tensor = new ByteArrayOutputStream();
    writeVarint(tensor, 1 << 3); // elem_type
    writeVarint(tensor, 1); // FLOAT
    ByteArrayOutputStream type = new ByteArrayOutputStream();
    writeField(type, 1, tensor.toByteArray());
    ByteArrayOutputStream info = new ByteArrayOutputStream();
    writeField(info, 1, name.getBytes(StandardCharsets.UTF_8));
    writeField(info, 2, type.toByteArray());
    return info.toByteArray();
  }

  /** The fields of a NodeProto this rewrite reads. */
  private static final class Node {
    final List<String> inputs = new ArrayList<>();
    final List<String> outputs = new ArrayList<>();
    String name = "";
    String opType = "";
    String domain = "";
    final List<Long> intLabels = new ArrayList<>();
    final List<String> stringLabels = new ArrayList<>();

    static Node parse(byte[] node) throws IOException {
      Node n = new Node();
      Reader r = new Reader(node, 0, node.length);
      while (r.more()) {
        long tag = r.varint();
        int field = (int) (tag >>> 3);
        if ((tag & 7) != 2) {
          r.skip((int) (tag & 7));
          continue;
        }
        byte[] v = r.bytes();
        switch (field) {
          case 1 -> n.inputs.add(utf8(v));
          case 2 -> n.outputs.add(utf8(v));
          case 3 -> n.name = utf8(v);
          case 4 -> n.opType = utf8(v);
          case 5 -> n.attribute(v);
          case 7 -> n.domain = utf8(v);
          default -> {}
        }
      }
      return n;
    }

    private void attribute(byte[] a) throws IOException {
      Reader r = new Reader(a, 0, a.length);
      String attr = "";
      List<Long> ints = new ArrayList<>();
      List<String> strings = new ArrayList<>();
      while (r.more()) {
        long tag = r.varint();
        int field = (int) (tag >>> 3);
        int wire = (int) (tag & 7);
        if (field == 1 && wire == 2) {
          attr = utf8(r.bytes());
        } else if (field == 8 && wire == 0) {
          ints.add(r.varint());
        } else if (field == 8 && wire == 2) {
          byte[] packed = r.bytes();
          Reader p = new Reader(packed, 0, packed.length);
          while (p.more()) {
            ints.add(p.varint());
          }
        } else if (field == 9 && wire == 2) {
          strings.add(utf8(r.bytes()));
        } else {
          r.skip(wire);
        }
      }
      if (attr.equals("classlabels_int64s")) {
        intLabels.addAll(ints);
      } else if (attr.equals("classlabels_strings")) {
        stringLabels.addAll(strings);
      }
    }

    /** ONNX-ML's ZipMap: one tensor in, one sequence of maps out. */
    boolean isZipMap() {
      return "ZipMap".equals(opType)
          && "ai.onnx.ml".equals(domain)
          && inputs.size() == 1
          && outputs.size() == 1;
    }

    Object[] classLabels() throws IOException {
      if (!intLabels.isEmpty()) {
        return intLabels.toArray();
      }
      if (!stringLabels.isEmpty()) {
        return stringLabels.toArray();
      }
      throw new IOException("ZipMap node '" + name + "' has no class labels");
    }

    byte[] asIdentity() throws IOException {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      writeField(out, 1, inputs.get(0).getBytes(StandardCharsets.UTF_8));
      writeField(out, 2, outputs.get(0).getBytes(StandardCharsets.UTF_8));
      writeField(out, 3, name.getBytes(StandardCharsets.UTF_8));
      writeField(out, 4, "Identity".getBytes(StandardCharsets.UTF_8));
      return out.toByteArray();
    }
  }

  private static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private static void writeField(ByteArrayOutputStream out, int field, byte[] value) {
    writeVarint(out, (long) field << 3 | 2);
    writeVarint(out, value.length);
    out.write(value, 0, value.length);
  }

  private static void writeVarint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  /** Protobuf wire-format reading over a byte range. */
  private static final class Reader {
    private final byte[] b;
    private final int end;
    int pos;

    Reader(byte[] b, int from, int to) {
      this.b = b;
      this.pos = from;
      this.end = to;
    }

    boolean more() {
      return pos < end;
    }

    long varint() throws IOException {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= end) {
          throw new IOException("truncated model (offset " + pos + ")");
        }
        int x = b[pos++] & 0xff;
        v |= (long) (x & 0x7f) << shift;
        if ((x & 0x80) == 0) {
          return v;
        }
      }
      throw new IOException("not an ONNX model: a varint longer than 10 bytes");
    }

    byte[] bytes() throws IOException {
      long len = varint();
      if (len < 0 || pos + len > end) {
        throw new IOException("truncated model (offset " + pos + ")");
      }
      byte[] v = java.util.Arrays.copyOfRange(b, pos, pos + (int) len);
      pos += (int) len;
      return v;
    }

    /** Skips the value of a field of this wire type (its tag already read). */
    void skip(int wire) throws IOException {
      switch (wire) {
        case 0 -> varint();
        case 1 -> advance(8);
        case 2 -> advance(varint());
        case 5 -> advance(4);
        default ->
            throw new IOException("not an ONNX model: wire type " + wire + " at offset " + pos);
      }
    }

    private void advance(long n) throws IOException {
      if (n < 0 || pos + n > end) {
        throw new IOException("truncated model (offset " + pos + ")");
      }
      pos += (int) n;
    }
  }
}
