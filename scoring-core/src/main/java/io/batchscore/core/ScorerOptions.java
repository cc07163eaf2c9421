package io.batchscore.core;

import io.batchscore.core.cache.ModelCache;
import io.batchscore.core.column.InputSchema;
import java.util.List;

/**
 * How the caller runs a scorer: the input schema to validate against, its CPU share (the intra-op
 * threads when the spec gives none), the GPUs it was assigned, and the model cache.
 */
public final class ScorerOptions {
  private final InputSchema inputSchema;
  private final int cpuShare;
  private final List<String> gpuAddresses;
  private final ModelCache cache;
  private final boolean passthrough;

  private ScorerOptions(Builder b) {
    this.inputSchema = b.inputSchema;
    this.cpuShare = b.cpuShare;
    this.gpuAddresses = b.gpuAddresses == null ? null : List.copyOf(b.gpuAddresses);
    this.cache = b.cache;
    this.passthrough = b.passthrough;
  }

  /** Defaults: no schema check, a CPU share of 1, GPU assignment unknown, the global cache. */
  public static ScorerOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public InputSchema inputSchema() {
    return inputSchema;
  }

  public int cpuShare() {
    return cpuShare;
  }

  public List<String> gpuAddresses() {
    return gpuAddresses;
  }

  public ModelCache cache() {
    return cache == null ? ModelCache.global() : cache;
  }

  /** False when the caller copies passthrough columns itself (batches then need only features). */
  public boolean passthrough() {
    return passthrough;
  }

  /** Builds options. */
  public static final class Builder {
    private InputSchema inputSchema;
    private int cpuShare = 1;
    private List<String> gpuAddresses;
    private ModelCache cache;
    private boolean passthrough = true;

    /** The columns the scorer will be given; the spec is checked against them at open. */
    public Builder inputSchema(InputSchema schema) {
      this.inputSchema = schema;
      return this;
    }

    /** Cores this caller may use (Spark: {@code spark.task.cpus}); sizes intra-op threads. */
    public Builder cpuShare(int cores) {
      if (cores < 1) {
        throw new IllegalArgumentException("cpuShare must be at least 1");
      }
      this.cpuShare = cores;
      return this;
    }

    /** GPU addresses assigned to the caller (Spark task resources); empty means none. */
    public Builder gpuAddresses(List<String> addresses) {
      this.gpuAddresses = addresses;
      return this;
    }

    public Builder cache(ModelCache c) {
      this.cache = c;
      return this;
    }

    /**
     * The caller copies the spec's passthrough columns itself: results hold predictions only and
     * batches need only the feature columns (the Spark job does this).
     */
    public Builder callerHandlesPassthrough() {
      this.passthrough = false;
      return this;
    }

    public ScorerOptions build() {
      return new ScorerOptions(this);
    }
  }
}
