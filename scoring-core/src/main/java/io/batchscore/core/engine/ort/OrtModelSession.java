package io.batchscore.core.engine.ort;

import ai.onnxruntime.MapInfo;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxModelMetadata;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.SequenceInfo;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import io.batchscore.core.column.ElementType;
import io.batchscore.core.engine.EngineSession;
import io.batchscore.core.engine.Runner;
import io.batchscore.core.model.ModelLoadException;
import io.batchscore.core.model.ModelMetadata;
import io.batchscore.core.model.ModelSignature;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An ONNX Runtime session shared by all threads, with its signature read once. */
final class OrtModelSession implements EngineSession {
  private final OrtSession session;
  private final String name;
  private final String device;
  private final ModelSignature signature;

  OrtModelSession(OrtSession session, String name, String device) throws ModelLoadException {
    this.session = session;
    this.name = name;
    this.device = device;
    try {
      this.signature = readSignature(session);
    } catch (OrtException e) {
      try {
        session.close();
      } catch (OrtException ignored) {
        // already failing
      }
      throw new ModelLoadException(name, "cannot read the model's signature: " + e.getMessage(), e);
    }
  }

  OrtSession session() {
    return session;
  }

  String name() {
    return name;
  }

  @Override
  public ModelSignature signature() {
    return signature;
  }

  @Override
  public String device() {
    return device;
  }

  @Override
  public String engineDescription() {
    return "onnxruntime " + OrtRuntime.version();
  }

  @Override
  public Runner newRunner() {
    return new OrtRunner(this);
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException("closing session of " + name + ": " + e.getMessage(), e);
    }
  }

  static ModelSignature readSignature(OrtSession s) throws OrtException {
    List<io.batchscore.core.model.ValueInfo> in = new ArrayList<>();
    for (Map.Entry<String, NodeInfo> e : s.getInputInfo().entrySet()) {
      in.add(convert(e.getKey(), e.getValue().getInfo()));
    }
    List<io.batchscore.core.model.ValueInfo> out = new ArrayList<>();
    for (Map.Entry<String, NodeInfo> e : s.getOutputInfo().entrySet()) {
      out.add(convert(e.getKey(), e.getValue().getInfo()));
    }
    OnnxModelMetadata m = s.getMetadata();
    ModelMetadata meta =
        new ModelMetadata(
            m.getProducerName(),
            m.getGraphName(),
            m.getGraphDescription(),
            m.getDomain(),
            m.getDescription(),
            m.getVersion(),
            m.getCustomMetadata());
    return new ModelSignature(in, out, meta);
  }

  private static io.batchscore.core.model.ValueInfo convert(String name, ValueInfo info) {
    if (info instanceof TensorInfo t) {
      return io.batchscore.core.model.ValueInfo.tensor(
          name, elementType(t.type), t.getShape(), t.getDimensionNames());
    }
    if (info instanceof SequenceInfo s) {
      if (s.sequenceOfMaps) {
        MapInfo m = s.mapInfo;
        return io.batchscore.core.model.ValueInfo.sequenceOfMaps(
            name, elementType(m.keyType), elementType(m.valueType));
      }
      return io.batchscore.core.model.ValueInfo.other(
          name, io.batchscore.core.model.ValueInfo.Kind.SEQUENCE, elementType(s.sequenceType));
    }
    if (info instanceof MapInfo m) {
      return io.batchscore.core.model.ValueInfo.other(
          name, io.batchscore.core.model.ValueInfo.Kind.MAP, elementType(m.valueType));
    }
    return io.batchscore.core.model.ValueInfo.other(
        name, io.batchscore.core.model.ValueInfo.Kind.OTHER, ElementType.UNKNOWN);
  }

  static ElementType elementType(OnnxJavaType t) {
    switch (t) {
      case FLOAT:
        return ElementType.FLOAT;
      case DOUBLE:
        return ElementType.DOUBLE;
      case INT64:
        return ElementType.INT64;
      case INT32:
        return ElementType.INT32;
      case BOOL:
        return ElementType.BOOL;
      case STRING:
        return ElementType.STRING;
      case INT8:
        return ElementType.INT8;
      case UINT8:
        return ElementType.UINT8;
      case INT16:
        return ElementType.INT16;
      case FLOAT16:
        return ElementType.FLOAT16;
      case BFLOAT16:
        return ElementType.BFLOAT16;
      default:
        return ElementType.UNKNOWN;
    }
  }
}
