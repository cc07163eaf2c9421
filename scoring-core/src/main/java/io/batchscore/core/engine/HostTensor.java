package io.batchscore.core.engine;

import io.batchscore.core.column.ElementType;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;

/**
 * A tensor in host memory that an engine reads or writes without a copy where it can: a direct,
 * native-order buffer (or a String array for strings). Handed out by a {@link Runner}, reused from
 * batch to batch; valid until the runner's next call for the same input.
 */
public final class HostTensor {
  private final ElementType type;
  private final long[] shape;
  private final int elements;
  private final ByteBuffer bytes;
  private final String[] strings;

  HostTensor(ElementType type, long[] shape, ByteBuffer bytes, String[] strings) {
    this.type = type;
    this.shape = shape;
    this.elements = (int) count(shape);
    this.bytes = bytes;
    this.strings = strings;
  }

  /** Number of elements in a shape. */
  public static long count(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  public ElementType type() {
    return type;
  }

  public long[] shape() {
    return shape.clone();
  }

  public int elementCount() {
    return elements;
  }

  /** The raw bytes (direct, native order, position 0, limit at the tensor's end). */
  public ByteBuffer bytes() {
    return bytes;
  }

  public FloatBuffer floats() {
    return bytes.asFloatBuffer();
  }

  public DoubleBuffer doubles() {
    return bytes.asDoubleBuffer();
  }

  public LongBuffer longs() {
    return bytes.asLongBuffer();
  }

  public IntBuffer ints() {
    return bytes.asIntBuffer();
  }

  /** The values of a string tensor, to be filled by the caller. */
  public String[] strings() {
    return strings;
  }
}
