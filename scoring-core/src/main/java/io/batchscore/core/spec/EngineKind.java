package io.batchscore.core.spec;

import java.util.Locale;

/** The inference engine: ONNX Runtime's Java API (the default), or DJL's ONNX Runtime engine. */
public enum EngineKind {
  ORT,
  DJL;

  public static EngineKind parse(String s) {
    String n = s.trim().toUpperCase(Locale.ROOT);
    if (n.equals("ONNXRUNTIME")) {
      return ORT;
    }
    return EngineKind.valueOf(n);
  }

  public String specName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
