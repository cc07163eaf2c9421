package io.batchscore.core;

import java.util.List;

/**
 * How the caller runs a scorer: its CPU share, how many model batches one {@code score} call may
 * run at once, the GPUs it was assigned, and whether it copies passthrough columns itself. What is
 * scored, and how, is the {@link ScoringPlan}'s.
 */
public final class ScorerOptions {
  private final int cpuShare;
  private final int concurrency;
  private final List<String> gpuAddresses;
  private final ModelCache cache;
  private final boolean passthrough;
  private final int batchesPerCall;
  private final boolean profile;
  private final int profileParts;

  private ScorerOptions(Builder b) {
    this.profile = b.profile;
    this.profileParts = b.profileParts;
    this.batchesPerCall = b.batchesPerCall;
    this.cpuShare = b.cpuShare;
    this.concurrency = b.concurrency;
    this.gpuAddresses = b.gpuAddresses == null ? null : List.copyOf(b.gpuAddresses);
    this.cache = b.cache;
    this.passthrough = b.passthrough;
  }

  /** Defaults: a CPU share of 1, one batch at a time, GPU assignment unknown. */
  public static ScorerOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public int cpuShare() {
    return cpuShare;
  }

  /** Model batches one {@code score} call may run at once (see {@link Builder#concurrency}). */
  public int concurrency() {
    return concurrency;
  }

  public List<String> gpuAddresses() {
    return gpuAddresses;
  }

  ModelCache cache() {
    return cache == null ? ModelCache.global() : cache;
  }

  /**
   * Model batches the caller hands over per {@code score} call, for a scorer that runs {@code
   * lanes} at once: as set, else one with one lane, else eight per lane.
   */
  int batchesPerCall(int lanes) {
    return batchesPerCall > 0 ? batchesPerCall : lanes == 1 ? 1 : 8 * lanes;
  }

  /** Whether the scorer profiles what it scores ({@link BatchScorer#profile}). */
  public boolean profile() {
    return profile;
  }

  /** How many scorers' profiles are merged into one ({@link Builder#profileParts}). */
  public int profileParts() {
    return profileParts;
  }

  /** False when the caller copies passthrough columns itself (batches then need only features). */
  public boolean passthrough() {
    return passthrough;
  }

  /** These options for a challenger's scorer: its predictions only, profiled by the champion's. */
  ScorerOptions forChallenger() {
    Builder b = new Builder();
    b.cpuShare = cpuShare;
    b.concurrency = concurrency;
    b.gpuAddresses = gpuAddresses;
    b.cache = cache;
    b.passthrough = false;
    b.batchesPerCall = batchesPerCall;
    b.profile = false;
    b.profileParts = profileParts;
    return new ScorerOptions(b);
  }

  /** Builds options. */
  public static final class Builder {
    private int cpuShare = 1;
    private int concurrency = 1;
    private List<String> gpuAddresses;
    private ModelCache cache;
    private boolean passthrough = true;
    private int batchesPerCall;
    private boolean profile;
    private int profileParts = 1;

    /**
     * Cores this caller may use (Spark: {@code spark.task.cpus}). When the spec sets no intra-op
     * threads, each model call gets {@code cpuShare / concurrency} of them (at least one).
     */
    public Builder cpuShare(int cores) {
      if (cores < 1) {
        throw new IllegalArgumentException("cpuShare must be at least 1");
      }
      this.cpuShare = cores;
      return this;
    }

    /**
     * Model batches one {@code score} call may run at once on a CPU (default 1). With more than
     * one, a call given more rows than the spec's batch size runs its batches on that many threads
     * (the calling thread and {@code concurrency - 1} of the scorer's own), each with its own input
     * and output buffers on the one shared session, and puts the results together in row order. On
     * a CPU this is how ONNX Runtime is fastest for batch work: two batches at once with one
     * intra-op thread each scored 1.5x the rows of one batch at a time with two
     * (docs/performance.md). On a GPU a scorer runs one batch at a time whatever this says.
     */
    public Builder concurrency(int batches) {
      if (batches < 1) {
        throw new IllegalArgumentException("concurrency must be at least 1");
      }
      this.concurrency = batches;
      return this;
    }

    /**
     * Model batches the caller will hand over per {@code score} call ({@link
     * BatchScorer#rowsPerCall} rows). By default one with one batch at a time, and eight per batch
     * at once with more: every thread then has work, and the wait for the last batch of a call is
     * short next to the call. A caller that streams with little memory asks for fewer (a Spark
     * task: one per CPU).
     */
    public Builder batchesPerCall(int batches) {
      if (batches < 1) {
        throw new IllegalArgumentException("batchesPerCall must be at least 1");
      }
      this.batchesPerCall = batches;
      return this;
    }

    /**
     * Profile what is scored (default: off): every feature column of the plan over every input row,
     * unless the spec's monitoring section says {@code features: false}, and every prediction
     * column over the scored rows; read it from {@link BatchScorer#profile}. Costs a few percent of
     * a cheap model's throughput (docs/performance.md).
     */
    public Builder profile(boolean on) {
      this.profile = on;
      return this;
    }

    /**
     * The profile will be one of about {@code parts} merged into one (a Spark stage's tasks): its
     * quantiles sample 1/parts as many values, so the merged profile costs what one scorer of every
     * row would (see {@link io.batchscore.core.monitor.Profiler.Builder#parts}). Default 1.
     */
    public Builder profileParts(int parts) {
      if (parts < 1) {
        throw new IllegalArgumentException("profileParts must be at least 1, not " + parts);
      }
      this.profileParts = parts;
      return this;
    }

    /** GPU addresses assigned to the caller (Spark task resources); empty means none. */
    public Builder gpuAddresses(List<String> addresses) {
      this.gpuAddresses = addresses;
      return this;
    }

    /** A cache of the caller's own instead of the per-JVM one (tests). */
    Builder cache(ModelCache c) {
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
