package io.batchscore.core;

import io.batchscore.core.engine.DevicePlan;
import io.batchscore.core.engine.EngineSession;
import io.batchscore.core.engine.SessionRequest;
import io.batchscore.core.engine.ort.OrtEngine;
import io.batchscore.core.model.ModelInfo;
import io.batchscore.core.model.ModelLoadException;
import io.batchscore.core.model.ModelSource;
import io.batchscore.core.model.ModelVersions;
import io.batchscore.core.spec.DeviceRequest;
import io.batchscore.core.spec.ScoringSpec;
import io.batchscore.core.spec.SessionConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading what a model is without scoring with it. */
public final class Models {
  private Models() {}

  /** Inspects a model file: SHA-256, size, inputs, outputs, metadata. */
  public static ModelInfo inspect(Path path) throws ModelLoadException {
    return inspect(ModelSource.of(path));
  }

  /**
   * Inspects the model a spec names (a local file, relative to the spec's folder), after checking
   * the spec's pin ({@code sha256}) against it.
   *
   * @throws ModelLoadException the model is missing or corrupt, or not the one the spec pins
   */
  public static ModelInfo inspect(ScoringSpec spec) throws ModelLoadException {
    try {
      ModelSource source = ModelSource.of(resolveVersion(spec).resolvedModelPath());
      source.checkPin(spec.modelSha256());
      return inspect(source);
    } catch (ModelLoadException e) {
      throw explained(spec, e);
    }
  }

  /**
   * A "model file not found" for a spec whose model path is relative, saying where it was looked
   * for: a spec copied to another folder takes its relative paths with it. Other failures as they
   * are.
   */
  public static ModelLoadException explained(ScoringSpec spec, ModelLoadException e) {
    String p = spec.modelPath();
    if (!e.getMessage().endsWith("model file not found")
        || p.contains("://")
        || Path.of(p).isAbsolute()
        || spec.baseDir() == null) {
      return e;
    }
    ModelLoadException x =
        new ModelLoadException(
            e.model(),
            "model file not found: the spec's model path '"
                + p
                + "' is relative to the spec's folder "
                + spec.baseDir());
    x.setStackTrace(e.getStackTrace());
    return x;
  }

  /**
   * The spec with its model resolved when it names a local versioned folder ({@link ModelVersions}:
   * {@code BASE/<version>/model.onnx}): the model is then that version's file and the version its
   * number, the name kept. Unchanged for a model file, or a URI (which the Spark job resolves
   * through its file system).
   *
   * @throws ModelLoadException the folder has no versions, not the one asked for, or no model file
   */
  public static ScoringSpec resolveVersion(ScoringSpec spec) throws ModelLoadException {
    if (spec.modelPath().contains("://") || !Files.isDirectory(spec.resolvedModelPath())) {
      return spec;
    }
    ModelVersions.Resolved r = ModelVersions.resolve(spec.resolvedModelPath(), spec.version());
    return withVersion(spec, r.file(), r.version());
  }

  /** The spec naming one version's model file and that version (its name kept). */
  public static ScoringSpec withVersion(ScoringSpec spec, String file, long version) {
    try {
      return spec.toBuilder().name(spec.name()).model(file).version(Long.toString(version)).build();
    } catch (io.batchscore.core.spec.SpecException e) {
      throw new IllegalStateException("a valid spec with another model path is valid", e);
    }
  }

  /**
   * Inspects a model: opens a short-lived CPU session with basic optimisation (not the cache's),
   * reads its signature and closes it.
   */
  public static ModelInfo inspect(ModelSource source) throws ModelLoadException {
    source.checkReadable();
    String sha = source.sha256();
    SessionConfig cfg = new SessionConfig(1, 1, "basic", false, null, null);
    SessionRequest req =
        new SessionRequest(source, DevicePlan.cpu(DeviceRequest.CPU, "inspect"), cfg, 1);
    try (EngineSession s = OrtEngine.INSTANCE.open(req)) {
      long size;
      try {
        size = source.path() != null ? Files.size(source.path()) : source.bytes().length;
      } catch (IOException e) {
        size = -1;
      }
      return new ModelInfo(source.name(), sha, size, s.signature());
    }
  }
}
