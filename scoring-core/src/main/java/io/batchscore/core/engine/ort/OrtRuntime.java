package io.batchscore.core.engine.ort;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtProvider;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The one place that owns ONNX Runtime's process-wide {@link OrtEnvironment}. It is created once,
 * with per-session thread pools (no global pools), so DJL's ONNX Runtime engine, which asks for
 * the default environment, shares it. It is never closed by a scorer.
 */
public final class OrtRuntime {
  private static volatile OrtEnvironment env;

  private OrtRuntime() {}

  /** The process's environment, created on first use. */
  public static OrtEnvironment env() {
    OrtEnvironment e = env;
    if (e == null) {
      synchronized (OrtRuntime.class) {
        e = env;
        if (e == null) {
          e = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING);
          env = e;
        }
      }
    }
    return e;
  }

  /** Execution providers of the ONNX Runtime build on the classpath, e.g. {@code [CPU, CUDA]}. */
  public static Set<String> providers() {
    Set<String> out = new LinkedHashSet<>();
    for (OrtProvider p : OrtEnvironment.getAvailableProviders()) {
      switch (p) {
        case CPU:
          out.add("CPU");
          break;
        case CUDA:
          out.add("CUDA");
          break;
        default:
          out.add(p.name());
      }
    }
    return out;
  }

  /** The ONNX Runtime version. */
  public static String version() {
    return env().getVersion();
  }
}
