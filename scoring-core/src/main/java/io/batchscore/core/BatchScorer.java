package io.batchscore.core;

import io.batchscore.core.cache.CacheKey;
import io.batchscore.core.cache.ModelHandle;
import io.batchscore.core.column.Column;
import io.batchscore.core.column.ColumnBatch;
import io.batchscore.core.device.DevicePlan;
import io.batchscore.core.device.DevicePlanner;
import io.batchscore.core.engine.Engine;
import io.batchscore.core.engine.EngineSession;
import io.batchscore.core.engine.HostTensor;
import io.batchscore.core.engine.OutputValue;
import io.batchscore.core.engine.Runner;
import io.batchscore.core.engine.SessionRequest;
import io.batchscore.core.impl.InputAssembler;
import io.batchscore.core.impl.NullScan;
import io.batchscore.core.impl.OutputWriter;
import io.batchscore.core.impl.WarmUp;
import io.batchscore.core.model.ModelInfo;
import io.batchscore.core.model.ModelSignature;
import io.batchscore.core.model.ModelSource;
import io.batchscore.core.spec.NullPolicy;
import io.batchscore.core.spec.OutputBinding;
import io.batchscore.core.spec.ScoringSpec;
import io.batchscore.core.spec.SpecValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Scores batches of rows with one ONNX model as a scoring spec describes.
 *
 * <p>{@link #open} finds the model's session in the per-JVM {@link
 * io.batchscore.core.cache.ModelCache} (loading and warming it up once per process), checks the
 * spec against the model's signature and the caller's input schema, and reports every problem at
 * once. {@link #score} takes a {@link ColumnBatch} and returns the passthrough and prediction
 * columns; batches larger than the spec's batch size are run in chunks of that size.
 *
 * <p>A scorer is for one thread: it owns reusable tensors. Open one per thread; they share the
 * cached session. With {@link ScorerOptions.Builder#concurrency} above 1, one {@code score} call
 * runs that many chunks at once on threads of its own. Closing the scorer stops them and releases
 * its reference to the session.
 *
 * <pre>{@code
 * ScoringSpec spec = ScoringSpec.load(Path.of("spec.yaml"));
 * try (BatchScorer scorer = BatchScorer.open(spec, ScorerOptions.defaults())) {
 *   ScoreResult r = scorer.score(batch);
 * }
 * }</pre>
 */
public final class BatchScorer implements AutoCloseable {
  private final ScoringSpec spec;
  private final ModelHandle handle;
  private final EngineSession session;
  private final ModelInfo model;
  private final List<InputAssembler> assemblers;
  private final List<OutputColumn> outputColumns;
  private final Map<OutputBinding, List<OutputColumn>> columnsByBinding = new LinkedHashMap<>();
  private final Set<String> fetch = new LinkedHashSet<>();
  private final DevicePlan device;
  private final boolean passthrough;
  private final io.batchscore.core.impl.TextAssembler text;
  /** One per model call that may run at once: lane 0 is the calling thread's. */
  private final Lane[] lanes;
  /** Runs a call's chunks on the lanes; threads for lanes 1.. start with the first call needing them. */
  private final ChunkScheduler<Lane, Called> chunks;
  private boolean closed;
  /** A batch had NaN features: scan for them up front from now on (see {@link #score}). */
  private boolean nanSeen;

  private BatchScorer(
      ScoringSpec spec, ModelHandle handle, ModelInfo model, DevicePlan device,
      List<OutputColumn> outputs, boolean passthrough, io.batchscore.core.impl.TextAssembler text,
      int concurrency) {
    this.spec = spec;
    this.passthrough = passthrough;
    this.text = text;
    this.handle = handle;
    this.session = handle.session();
    this.model = model;
    this.device = device;
    this.outputColumns = List.copyOf(outputs);
    this.lanes = new Lane[concurrency];
    for (int i = 0; i < concurrency; i++) {
      lanes[i] = new Lane(spec, model.signature());
    }
    this.assemblers = lanes[0].assemblers;
    this.chunks = new ChunkScheduler<>(List.of(lanes), "batchscore-lane");
    for (OutputColumn c : outputs) {
      columnsByBinding.computeIfAbsent(c.binding(), k -> new ArrayList<>()).add(c);
      fetch.add(c.binding().output());
    }
  }

  /**
   * Opens a scorer for a spec: loads (or reuses) the model and validates the spec against it and
   * the options' input schema.
   *
   * @throws ModelLoadException the model is missing, corrupt, or the device is unavailable
   * @throws SpecException the spec does not fit the model or the schema (every problem listed)
   */
  public static BatchScorer open(ScoringSpec spec, ScorerOptions options)
      throws ModelLoadException, SpecException {
    ModelSource source = ModelSource.of(spec.resolvedModelPath());
    return open(spec, source, options);
  }

  /** Opens a scorer with the model from {@code source} instead of the spec's path. */
  public static BatchScorer open(ScoringSpec spec, ModelSource source, ScorerOptions options)
      throws ModelLoadException, SpecException {
    source.checkPin(spec.modelSha256());
    String sha = source.sha256();
    Engine engine;
    try {
      engine = Engine.of(spec.engine());
    } catch (UnsupportedOperationException e) {
      throw new SpecException(spec.origin(), List.of(new Problem("engine", e.getMessage())));
    }
    DevicePlan plan =
        DevicePlanner.plan(
            spec.device(), engine.availableProviders(), options.gpuAddresses(), source.name());
    // Batches at once: as asked on a CPU; a GPU runs one at a time. The CPU share is split
    // between them unless the spec fixes the intra-op threads.
    int concurrency = plan.cuda() ? 1 : options.concurrency();
    int threads =
        spec.session().intraOpThreads() != null
            ? spec.session().intraOpThreads()
            : Math.max(1, options.cpuShare() / concurrency);
    CacheKey key =
        new CacheKey(
            sha, spec.engine().specName(), plan.key(), spec.session().fingerprint(threads));
    SessionRequest req = new SessionRequest(source, plan, spec.session(), threads);
    ModelHandle handle =
        options
            .cache()
            .acquire(
                key,
                () -> {
                  EngineSession s = engine.open(req);
                  WarmUp.run(s, source.name());
                  return s;
                });
    try {
      ModelSignature sig = handle.session().signature();
      List<Problem> problems = SpecValidator.validate(spec, sig, options.inputSchema());
      List<OutputColumn> outputs = SpecValidator.outputColumns(spec, sig, new ArrayList<>());
      if (!problems.isEmpty()) {
        throw new SpecException(spec.origin(), problems);
      }
      ModelInfo info = new ModelInfo(source.name(), sha, size(source), sig);
      io.batchscore.core.impl.TextAssembler text =
          spec.text() == null
              ? null
              : new io.batchscore.core.impl.TextAssembler(spec.text(), spec.resolvedTokenizerPath(), sig);
      return new BatchScorer(
          spec, handle, info, plan, outputs, options.passthrough(), text, concurrency);
    } catch (SpecException | ModelLoadException | RuntimeException e) {
      handle.close();
      throw e;
    }
  }

  private static long size(ModelSource s) {
    if (s.bytes() != null) {
      return s.bytes().length;
    }
    try {
      return Files.size(s.path());
    } catch (IOException e) {
      return -1;
    }
  }

  public ScoringSpec spec() {
    return spec;
  }

  /** The model: source, SHA-256, size, signature. */
  public ModelInfo model() {
    return model;
  }

  /** The version written to output rows: the spec's, else the model's metadata version. */
  public String modelVersion() {
    return spec.version() != null
        ? spec.version()
        : Long.toString(model.signature().metadata().version());
  }

  /** The device the session runs on: {@code cpu} or {@code cuda:N}. */
  public String device() {
    return session.device();
  }

  /** Why this device was chosen. */
  public DevicePlan devicePlan() {
    return device;
  }

  /** The engine's name and version. */
  public String engineDescription() {
    return session.engineDescription();
  }

  /**
   * Rows to hand {@link #score} at a time for best throughput: the spec's read size, and with
   * concurrency above 1 at least eight chunks per batch scored at once, so every thread has work
   * and the wait for the last chunk of a call is short next to the call.
   */
  public int rowsPerCall() {
    return lanes.length == 1
        ? spec.readBatchRows()
        : (int) Math.min(1 << 20, Math.max(spec.readBatchRows(), (long) spec.batchSize() * lanes.length * 8));
  }

  /** Model batches one call runs at once (1 on a GPU, whatever the options asked). */
  public int concurrency() {
    return lanes.length;
  }

  /** The prediction columns this scorer writes, in order (passthrough columns not included). */
  public List<OutputColumn> outputColumns() {
    return outputColumns;
  }

  /**
   * Scores a batch. Rows with null or NaN features follow the spec's null policy.
   *
   * @throws BadInputException a value the model cannot take, naming the column and row
   * @throws ScoringException the engine failed
   */
  public ScoreResult score(ColumnBatch batch) {
    if (closed) {
      throw new IllegalStateException("scorer is closed");
    }
    // NaN features are rare, and a separate pass over the batch to rule them out cost 16-101%
    // of the copy into the tensor (docs/performance.md). So the assemblers look for NaN while they
    // copy values into the tensor; a batch where one does is scored again with the exact scan, which
    // names the row and applies the null policy. Once a batch had NaN, this scorer scans up front.
    if (!nanSeen) {
      ScoreResult r = score(batch, true);
      if (r != null) {
        return r;
      }
      nanSeen = true;
    }
    return score(batch, false);
  }

  /** Scores the batch; with {@code nanLater}, returns null as soon as a NaN feature is copied. */
  private ScoreResult score(ColumnBatch batch, boolean nanLater) {
    int rowsIn = batch.rowCount();
    NullScan.Outcome scan =
        NullScan.scan(
            batch,
            assemblers,
            spec.nullPolicy(),
            text == null ? null : text.column(),
            spec.text() == null ? null : spec.text().inputIds(),
            nanLater);
    int[] kept = null;
    int n = rowsIn;
    if (scan.rejectedCount > 0) {
      n = rowsIn - scan.rejectedCount;
      kept = new int[n];
      for (int r = 0, j = 0; r < rowsIn; r++) {
        if (!scan.rejected[r]) {
          kept[j++] = r;
        }
      }
    }
    // Text: score rows in order of length so each batch pads little; restore the order after.
    int[] order = kept;
    int[] restore = null;
    boolean fillsNumbers = spec.nullPolicy() == NullPolicy.FILL && !assemblers.isEmpty();
    if (text != null && n > spec.batchSize() && !fillsNumbers) {
      order = byTextLength(batch, kept, n);
      restore = new int[n];
      int[] pos = new int[rowsIn];
      for (int i = 0; i < n; i++) {
        pos[kept == null ? i : kept[i]] = i;
      }
      for (int i = 0; i < n; i++) {
        restore[pos[order[i]]] = i;
      }
    }
    Map<OutputBinding, OutputWriter> writers = new LinkedHashMap<>();
    for (Map.Entry<OutputBinding, List<OutputColumn>> e : columnsByBinding.entrySet()) {
      writers.put(e.getKey(), OutputWriter.create(e.getValue(), n, model.source()));
    }
    Chunks chunks = new Chunks(batch, order, n, scan, writers, nanLater);
    if (!chunks.run()) {
      return null;
    }
    ColumnBatch.Builder out = ColumnBatch.builder(n);
    for (String p : passthrough ? spec.passthrough() : List.<String>of()) {
      Column c = batch.column(p);
      if (c == null) {
        throw new BadInputException(
            p, -1, null, "the batch has no passthrough column '" + p + "'; it has " + batch.names());
      }
      out.add(p, kept == null ? c : c.select(kept, n));
    }
    for (Map.Entry<OutputBinding, OutputWriter> w : writers.entrySet()) {
      List<Column> cols = w.getValue().finish();
      List<OutputColumn> names = columnsByBinding.get(w.getKey());
      for (int i = 0; i < cols.size(); i++) {
        out.add(names.get(i).name(), restore == null ? cols.get(i) : cols.get(i).select(restore, n));
      }
    }
    return new ScoreResult(rowsIn, out.build(), kept, scan.rejections);
  }

  /** The state one model call needs: its input assemblers and a runner (its own tensors). */
  private static final class Lane {
    final List<InputAssembler> assemblers = new ArrayList<>();
    Runner runner;

    Lane(ScoringSpec spec, ModelSignature sig) {
      spec.inputs().forEach(b -> assemblers.add(new InputAssembler(b, sig.input(b.input()))));
    }
  }

  /** A chunk's model outputs and, for text, its rows' token counts. */
  private record Called(Map<String, OutputValue> values, int[] tokens) {}

  /**
   * One batch's chunks of the spec's batch size, each assembled and run on a lane by {@link
   * ChunkScheduler}. With several lanes, writers that place every row by position (one value or a
   * fixed-width vector per row) are written by each lane as soon as its chunk has run; otherwise
   * (arrays, maps, which append) outputs are written in chunk order.
   */
  private final class Chunks {
    private final ColumnBatch batch;
    private final int[] order;
    private final int rows;
    private final NullScan.Outcome scan;
    private final Map<OutputBinding, OutputWriter> writers;
    private final boolean nanLater;
    private final int size = spec.batchSize();
    private final int count;
    /** Some writer appends: chunks must be written in order. */
    private final boolean inOrder;

    Chunks(ColumnBatch batch, int[] order, int rows, NullScan.Outcome scan,
        Map<OutputBinding, OutputWriter> writers, boolean nanLater) {
      this.batch = batch;
      this.order = order;
      this.rows = rows;
      this.scan = scan;
      this.writers = writers;
      this.nanLater = nanLater;
      this.count = (rows + size - 1) / size;
      // Measured on the logistic regression: writing in chunk order cost ~5% of two lanes'
      // throughput, so positional writers are written by each lane as its chunk has run.
      this.inOrder = writers.values().stream().anyMatch(w -> !w.positional());
    }

    /** Scores every chunk; false when a NaN was seen (with {@code nanLater}). */
    boolean run() {
      return chunks.run(count, inOrder, this::call, this::write,
          failure -> new ScoringException(model.source() + ": " + failure, failure));
    }

    /** Fills chunk {@code c}'s inputs on the lane and runs the model; null if a NaN was copied. */
    private Called call(Lane lane, int c) {
      int from = c * size;
      int to = Math.min(rows, from + size);
      if (lane.runner == null) {
        lane.runner = session.newRunner();
      }
      for (int a = 0; a < lane.assemblers.size(); a++) {
        InputAssembler assembler = lane.assemblers.get(a);
        HostTensor t = assembler.fill(batch, order, from, to, lane.runner, nanLater);
        if (nanLater && assembler.sawNaN()) {
          return null;
        }
        if (spec.nullPolicy() == NullPolicy.FILL) {
          applyFills(t, scan.fills.get(a), from, to);
        }
      }
      int[] tokens = text == null ? null : text.fill(batch, order, from, to, lane.runner);
      return new Called(lane.runner.run(fetch), tokens);
    }

    private void write(Called r, int c) {
      int from = c * size;
      int n = Math.min(rows, from + size) - from;
      for (Map.Entry<OutputBinding, OutputWriter> w : writers.entrySet()) {
        w.getValue().write(r.values().get(w.getKey().output()), from, n, r.tokens());
      }
    }
  }

  /** The rows to score (kept, or all) ordered by text length, stable. */
  private int[] byTextLength(ColumnBatch batch, int[] kept, int n) {
    io.batchscore.core.column.StringColumn c =
        (io.batchscore.core.column.StringColumn) batch.column(text.column());
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) {
      idx[i] = kept == null ? i : kept[i];
    }
    java.util.Arrays.sort(idx, java.util.Comparator.comparingInt(r -> c.isNull(r) ? 0 : c.value(r).length()));
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = idx[i];
    }
    return out;
  }

  private void applyFills(HostTensor t, List<int[]> fills, int from, int to) {
    if (fills.isEmpty()) {
      return;
    }
    int perRow = (int) (HostTensor.count(t.shape()) / Math.max(1, t.shape()[0]));
    for (int[] f : fills) {
      if (f[0] >= from && f[0] < to) {
        InputAssembler.patch(t, (f[0] - from) * perRow + f[1], spec.fillValue());
      }
    }
  }

  /**
   * Scores one row given as column name to value (Float, Double, Long, Integer, Boolean, String,
   * or a float[]/double[] for array inputs). A convenience over {@link #score}; for many rows,
   * build a batch.
   */
  public Map<String, Object> scoreRow(Map<String, Object> row) {
    ColumnBatch batch = SingleRow.toBatch(row);
    ScoreResult r = score(batch);
    Map<String, Object> out = new LinkedHashMap<>();
    if (r.rowsScored() == 0) {
      return out;
    }
    r.columns().columns().forEach((name, c) -> out.put(name, c.get(0)));
    return out;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      chunks.close();
      for (Lane lane : lanes) {
        if (lane.runner != null) {
          lane.runner.close();
        }
      }
    } finally {
      handle.close();
    }
  }
}
