package io.batchscore.core.engine.ort;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtProvider;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The one place that owns ONNX Runtime's process-wide {@link OrtEnvironment}. It is never closed by
 * a scorer, and never handed out: the engines in this package use it, DJL's engine gets it from
 * DJL.
 *
 * <p>DJL's ONNX Runtime engine creates the environment with {@code getEnvironment(level, name,
 * threadingOptions)}, which throws if any environment already exists. So when DJL is on the
 * classpath, its engine is started first and creates the environment (with DJL's offline defaults
 * applied); ours is then the same instance. Sessions keep their own thread pools either way, so the
 * engines do not share threads.
 */
public final class OrtRuntime {
  private static volatile OrtEnvironment env;

  private OrtRuntime() {}

  /** Starts the process's environment now, if it is not started: before DJL's engine runs. */
  public static void start() {
    env();
  }

  /** The process's environment, created on first use. Only ONNX Runtime's engine uses it. */
  static OrtEnvironment env() {
    OrtEnvironment e = env;
    if (e == null) {
      synchronized (OrtRuntime.class) {
        e = env;
        if (e == null) {
          startDjlFirst();
          e = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING);
          env = e;
        }
      }
    }
    return e;
  }

  private static void startDjlFirst() {
    try {
      Class.forName("ai.djl.engine.Engine", false, OrtRuntime.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError absent) {
      return;
    }
    try {
      io.batchscore.core.engine.DjlDefaults.apply();
      ai.djl.engine.Engine.getEngine("OnnxRuntime");
    } catch (RuntimeException | LinkageError e) {
      org.slf4j.LoggerFactory.getLogger(OrtRuntime.class)
          .warn(
              "DJL's ONNX Runtime engine did not start ({}); engine: djl will not work",
              e.toString());
    }
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
