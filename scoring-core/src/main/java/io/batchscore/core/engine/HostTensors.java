package io.batchscore.core.engine;

import io.batchscore.core.column.ElementType;
import java.nio.ByteBuffer;

/** Factories for {@link HostTensor}, for engine implementations. */
public final class HostTensors {
  private HostTensors() {}

  /** A dense tensor over a direct, native-order buffer sized to the shape. */
  public static HostTensor dense(ElementType type, long[] shape, ByteBuffer bytes) {
    return new HostTensor(type, shape.clone(), bytes, null);
  }

  /** A string tensor whose values the caller fills. */
  public static HostTensor strings(long[] shape, String[] values) {
    return new HostTensor(ElementType.STRING, shape.clone(), null, values);
  }
}
