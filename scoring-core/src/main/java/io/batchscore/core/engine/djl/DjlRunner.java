package io.batchscore.core.engine.djl;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import io.batchscore.core.column.ElementType;
import io.batchscore.core.engine.EngineException;
import io.batchscore.core.engine.HostTensor;
import io.batchscore.core.engine.HostTensors;
import io.batchscore.core.engine.OutputValue;
import io.batchscore.core.engine.Runner;
import io.batchscore.core.model.ValueInfo;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One thread's DJL predictor. Inputs are filled into reused direct buffers (the same contract as
 * the ONNX Runtime runner); DJL copies them into its own tensors for each batch. Outputs are copied
 * out of DJL's arrays.
 */
final class DjlRunner implements Runner {
  private final DjlSession owner;
  private final Predictor<NDList, NDList> predictor;
  private final Map<String, ByteBuffer> buffers = new LinkedHashMap<>();
  private final Map<String, HostTensor> current = new LinkedHashMap<>();
  private NDManager batchManager;

  DjlRunner(DjlSession owner) {
    this.owner = owner;
    this.predictor = owner.model().newPredictor(new NoopTranslator());
  }

  @Override
  public HostTensor input(String name, long[] shape) {
    ValueInfo info = owner.signature().input(name);
    if (info == null) {
      throw new IllegalArgumentException("model has no input '" + name + "'");
    }
    long n = HostTensor.count(shape);
    HostTensor t;
    if (info.elementType() == ElementType.STRING) {
      t = HostTensors.strings(shape, new String[Math.toIntExact(n)]);
    } else {
      int bytes = Math.toIntExact(n * info.elementType().byteSize());
      ByteBuffer b = buffers.get(name);
      if (b == null || b.capacity() < bytes) {
        b =
            ByteBuffer.allocateDirect(Math.max(bytes, b == null ? 0 : b.capacity() * 3 / 2))
                .order(ByteOrder.nativeOrder());
        buffers.put(name, b);
      }
      ByteBuffer view = b.duplicate().order(ByteOrder.nativeOrder());
      view.position(0).limit(bytes);
      t = HostTensors.dense(info.elementType(), shape, view.slice().order(ByteOrder.nativeOrder()));
    }
    current.put(name, t);
    return t;
  }

  @Override
  public Map<String, OutputValue> run(Set<String> outputs) {
    if (batchManager != null) {
      batchManager.close();
    }
    batchManager = owner.model().getNDManager().newSubManager();
    NDList in = new NDList();
    for (String name : owner.signature().inputs().keySet()) {
      HostTensor t = current.get(name);
      if (t == null) {
        throw new IllegalStateException("input '" + name + "' was not filled");
      }
      NDArray a;
      Shape shape = new Shape(t.shape());
      if (t.type() == ElementType.STRING) {
        a = batchManager.create(t.strings(), java.nio.charset.StandardCharsets.UTF_8, shape);
      } else {
        a =
            batchManager.create(
                t.bytes().duplicate().order(ByteOrder.nativeOrder()), shape, dataType(t.type()));
      }
      a.setName(name);
      in.add(a);
    }
    NDList out;
    try {
      out = predictor.predict(in);
    } catch (TranslateException | RuntimeException e) {
      throw new EngineException(owner.name() + ": DJL failed on a batch: " + e.getMessage(), e);
    }
    out.attach(batchManager);
    Map<String, OutputValue> values = new LinkedHashMap<>();
    for (NDArray a : out) {
      if (a.getName() != null && outputs.contains(a.getName())) {
        Object[] keys = owner.mapKeys(a.getName());
        values.put(a.getName(), keys == null ? dense(a) : maps(a, keys));
      }
    }
    for (String o : outputs) {
      if (!values.containsKey(o)) {
        throw new EngineException(owner.name() + ": DJL returned no output '" + o + "'");
      }
    }
    return values;
  }

  /** A former ZipMap output, the [N, classes] tensor, zipped into one map per row. */
  private static OutputValue maps(NDArray a, Object[] keys) {
    long[] shape = a.getShape().getShape();
    if (shape.length != 2 || shape[1] != keys.length) {
      throw new EngineException(
          "output '"
              + a.getName()
              + "' has shape "
              + a.getShape()
              + ", not [N, "
              + keys.length
              + "] as its ZipMap's "
              + keys.length
              + " class labels say");
    }
    float[] v = a.toFloatArray();
    int n = (int) shape[0];
    int c = keys.length;
    java.util.List<Map<Object, Object>> rows = new java.util.ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Map<Object, Object> m = new java.util.HashMap<>(c * 2);
      for (int j = 0; j < c; j++) {
        m.put(keys[j], v[i * c + j]);
      }
      rows.add(m);
    }
    return new OutputValue.MapSequence(rows);
  }

  private static OutputValue dense(NDArray a) {
    long[] shape = a.getShape().getShape();
    ElementType type = elementType(a.getDataType());
    if (type == ElementType.STRING) {
      return new OutputValue.Dense(type, shape, null, a.toStringArray());
    }
    ByteBuffer b = a.toByteBuffer().order(ByteOrder.nativeOrder());
    Buffer typed;
    switch (type) {
      case FLOAT:
        typed = b.asFloatBuffer();
        break;
      case DOUBLE:
        typed = b.asDoubleBuffer();
        break;
      case INT64:
        typed = b.asLongBuffer();
        break;
      case INT32:
        typed = b.asIntBuffer();
        break;
      default:
        typed = b;
    }
    return new OutputValue.Dense(type, shape, typed, null);
  }

  private static DataType dataType(ElementType t) {
    switch (t) {
      case FLOAT:
        return DataType.FLOAT32;
      case DOUBLE:
        return DataType.FLOAT64;
      case INT64:
        return DataType.INT64;
      case INT32:
        return DataType.INT32;
      case BOOL:
        return DataType.BOOLEAN;
      default:
        throw new IllegalArgumentException("no DJL type for " + t);
    }
  }

  private static ElementType elementType(DataType t) {
    switch (t) {
      case FLOAT32:
        return ElementType.FLOAT;
      case FLOAT64:
        return ElementType.DOUBLE;
      case INT64:
        return ElementType.INT64;
      case INT32:
        return ElementType.INT32;
      case BOOLEAN:
        return ElementType.BOOL;
      case STRING:
        return ElementType.STRING;
      default:
        return ElementType.UNKNOWN;
    }
  }

  @Override
  public void close() {
    if (batchManager != null) {
      batchManager.close();
      batchManager = null;
    }
    predictor.close();
  }
}
