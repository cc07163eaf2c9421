package io.batchscore.core;

import io.batchscore.core.model.ModelLoadException;
import io.batchscore.core.model.ModelSource;
import io.batchscore.core.spec.ScoringSpec;

/**
 * Where a process finds the model files a spec names: the champion's and each challenger's. The
 * default ({@link #local()}) reads them as local paths, relative to the spec's folder; the Spark
 * job has one that fetches them from a Hadoop file system or a file shipped with the job.
 */
public interface ModelLocator {
  /**
   * The model a spec names (its version already resolved), where this process can read it.
   *
   * @throws ModelLoadException the model cannot be found or fetched
   */
  ModelSource locate(ScoringSpec spec) throws ModelLoadException;

  /**
   * The spec with a versioned model folder resolved to one version's file ({@link
   * Models#resolveVersion}); unchanged for a model file.
   *
   * @throws ModelLoadException the folder has no versions, or not the one asked for
   */
  default ScoringSpec resolveVersion(ScoringSpec spec) throws ModelLoadException {
    return Models.resolveVersion(spec);
  }

  /** Models as local files, relative paths against the spec's folder. */
  static ModelLocator local() {
    return spec -> ModelSource.of(spec.resolvedModelPath());
  }
}
