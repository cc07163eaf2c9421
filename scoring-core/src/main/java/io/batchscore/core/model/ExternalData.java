package io.batchscore.core.model;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The external-data locations an ONNX model names: the {@code location} entries of every tensor
 * whose bytes live in a file beside the model (initializers, sparse initializers, tensor
 * attributes, in the main graph, in subgraphs and in local functions).
 *
 * <p>Read straight from the protobuf wire format, in one streaming pass that skips every field it
 * does not need (weights inline in the model are skipped, not read), so a 2 GB model costs a few
 * seeks, not its size in memory. Only the fields on the way to a tensor's {@code external_data} are
 * decoded:
 *
 * <pre>
 * ModelProto      graph = 7, functions = 25
 * FunctionProto   node = 7
 * GraphProto      node = 1, initializer = 5, sparse_initializer = 15
 * NodeProto       attribute = 5
 * AttributeProto  t = 5, g = 6, tensors = 10, graphs = 11, sparse_tensor = 22, sparse_tensors = 23
 * SparseTensorProto values = 1, indices = 2
 * TensorProto     external_data = 13 (StringStringEntryProto: key = 1, value = 2)
 * </pre>
 */
final class ExternalData {
  /** Nesting deeper than this (subgraphs of subgraphs...) is refused as not a real model. */
  private static final int MAX_DEPTH = 64;

  private enum Msg {
    MODEL,
    FUNCTION,
    GRAPH,
    NODE,
    ATTRIBUTE,
    SPARSE,
    TENSOR,
    ENTRY
  }

  private final InputStream in;
  private long pos;
  private final TreeSet<String> locations = new TreeSet<>();

  private ExternalData(InputStream in) {
    this.in = in;
  }

  /** The distinct locations, sorted, that the model file names; empty for most models. */
  static List<String> locations(Path model) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(model), 1 << 16)) {
      return read(in, Files.size(model));
    }
  }

  /** The same for a model held in memory. */
  static List<String> locations(byte[] model) throws IOException {
    return read(new ByteArrayInputStream(model), model.length);
  }

  private static List<String> read(InputStream in, long size) throws IOException {
    ExternalData r = new ExternalData(in);
    r.message(Msg.MODEL, size, 0);
    return new ArrayList<>(r.locations);
  }

  /** Reads the fields of one message up to {@code end}; returns an entry's key/value for ENTRY. */
  private String[] message(Msg type, long end, int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new IOException("the model nests messages more than " + MAX_DEPTH + " deep");
    }
    String key = null;
    String value = null;
    while (pos < end) {
      long tag = varint();
      int field = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      if (wire != 2) {
        skipScalar(wire);
        continue;
      }
      long len = varint();
      long fieldEnd = pos + len;
      if (len < 0 || fieldEnd > end) {
        throw new IOException("a field runs past the end of its message (offset " + pos + ")");
      }
      Msg child = child(type, field);
      if (child == Msg.ENTRY) {
        String[] kv = message(Msg.ENTRY, fieldEnd, depth + 1);
        if ("location".equals(kv[0]) && kv[1] != null) {
          locations.add(kv[1]);
        }
      } else if (child != null) {
        message(child, fieldEnd, depth + 1);
      } else if (type == Msg.ENTRY && (field == 1 || field == 2)) {
        String s = string(len);
        if (field == 1) {
          key = s;
        } else {
          value = s;
        }
      } else {
        skip(len);
      }
      if (pos != fieldEnd) {
        throw new IOException("a message does not end where its length says (offset " + pos + ")");
      }
    }
    return new String[] {key, value};
  }

  /** The message type of a length-delimited field worth descending into, or null to skip it. */
  private static Msg child(Msg type, int field) {
    switch (type) {
      case MODEL:
        return field == 7 ? Msg.GRAPH : field == 25 ? Msg.FUNCTION : null;
      case FUNCTION:
        return field == 7 ? Msg.NODE : null;
      case GRAPH:
        return field == 1 ? Msg.NODE : field == 5 ? Msg.TENSOR : field == 15 ? Msg.SPARSE : null;
      case NODE:
        return field == 5 ? Msg.ATTRIBUTE : null;
      case ATTRIBUTE:
        switch (field) {
          case 5:
          case 10:
            return Msg.TENSOR;
          case 6:
          case 11:
            return Msg.GRAPH;
          case 22:
          case 23:
            return Msg.SPARSE;
          default:
            return null;
        }
      case SPARSE:
        return field == 1 || field == 2 ? Msg.TENSOR : null;
      case TENSOR:
        return field == 13 ? Msg.ENTRY : null;
      default:
        return null;
    }
  }

  private void skipScalar(int wire) throws IOException {
    switch (wire) {
      case 0:
        varint();
        break;
      case 1:
        skip(8);
        break;
      case 5:
        skip(4);
        break;
      case 3: // a group (deprecated, still valid protobuf): its fields up to the matching end
        while (true) {
          long tag = varint();
          int wire2 = (int) (tag & 7);
          if (wire2 == 4) {
            return;
          }
          if (wire2 == 2) {
            skip(varint());
          } else {
            skipScalar(wire2);
          }
        }
      default:
        throw new IOException("not an ONNX model: wire type " + wire + " at offset " + pos);
    }
  }

  private long varint() throws IOException {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("the model ends inside a field (offset " + pos + ")");
      }
      pos++;
      v |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw new IOException("not an ONNX model: a varint longer than 10 bytes at offset " + pos);
  }

  private String string(long len) throws IOException {
    if (len > 1 << 20) {
      throw new IOException("an external-data entry of " + len + " bytes");
    }
    byte[] b = in.readNBytes((int) len);
    if (b.length != len) {
      throw new EOFException("the model ends inside a field (offset " + pos + ")");
    }
    pos += len;
    return new String(b, StandardCharsets.UTF_8);
  }

  private void skip(long n) throws IOException {
    try {
      in.skipNBytes(n);
    } catch (EOFException e) {
      throw new EOFException("the model ends inside a field (offset " + pos + ")");
    }
    pos += n;
  }
}
