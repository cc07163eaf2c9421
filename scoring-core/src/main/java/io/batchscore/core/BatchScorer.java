package io.batchscore.core;

import io.batchscore.core.column.Column;
import io.batchscore.core.column.ColumnBatch;
import io.batchscore.core.engine.DevicePlan;
import io.batchscore.core.engine.DevicePlanner;
import io.batchscore.core.engine.Engine;
import io.batchscore.core.engine.EngineException;
import io.batchscore.core.engine.EngineSession;
import io.batchscore.core.engine.HostTensor;
import io.batchscore.core.engine.OutputValue;
import io.batchscore.core.engine.Runner;
import io.batchscore.core.engine.SessionRequest;
import io.batchscore.core.model.ModelInfo;
import io.batchscore.core.model.ModelLoadException;
import io.batchscore.core.model.ModelSignature;
import io.batchscore.core.model.ModelSource;
import io.batchscore.core.monitor.ModelComparison;
import io.batchscore.core.monitor.Profile;
import io.batchscore.core.monitor.Profiler;
import io.batchscore.core.spec.Challenger;
import io.batchscore.core.spec.NullPolicy;
import io.batchscore.core.spec.OutputBinding;
import io.batchscore.core.spec.ScoringSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Scores batches of rows with one ONNX model as a bound {@link ScoringPlan} says.
 *
 * <p>{@link #open} finds the plan's model session in the per-JVM model cache (loading and warming
 * it up once per process); the plan was checked when it was bound, so opening checks nothing again
 * but that the model is the one the plan was bound to. {@link #score} takes a {@link ColumnBatch}
 * and returns the passthrough and prediction columns; batches larger than the plan's batch size are
 * run in chunks of that size.
 *
 * <p>A scorer is for one thread: it owns reusable tensors. Open one per thread; they share the
 * cached session. With {@link ScorerOptions.Builder#concurrency} above 1, one {@code score} call
 * runs that many chunks at once on threads of its own. Closing the scorer stops them and releases
 * its reference to the session.
 *
 * <pre>{@code
 * ScoringPlan plan = ScoringPlan.bind(ScoringSpec.load(Path.of("spec.yaml")), batch.schema());
 * try (BatchScorer scorer = BatchScorer.open(plan, ScorerOptions.defaults())) {
 *   ScoreResult r = scorer.score(batch);
 * }
 * }</pre>
 */
public final class BatchScorer implements AutoCloseable {
  private final ScoringPlan plan;
  private final ScoringSpec spec;
  private final ModelHandle handle;
  private final EngineSession session;
  private final ModelInfo model;
  private final List<InputAssembler> assemblers;
  private final Map<OutputBinding, List<OutputColumn>> columnsByBinding = new LinkedHashMap<>();
  private final Set<String> fetch = new LinkedHashSet<>();
  private final boolean passthrough;
  private final int batchesPerCall;
  private final TextAssembler text;

  /** One per model call that may run at once: lane 0 is the calling thread's. */
  private final Lane[] lanes;

  /**
   * Runs a call's chunks on the lanes; threads for lanes 1.. start with the first call needing
   * them.
   */
  private final ChunkScheduler<Lane, Called> chunks;

  private boolean closed;

  /** A batch had NaN features: scan for them up front from now on (see {@link #score}). */
  private boolean nanSeen;

  /** Profiles what is scored ({@link ScorerOptions#profile}); null when not asked. */
  private final Profiler profiler;

  /** The token count of each row of the last call's output, for a profiled text model. */
  private int[] lastTokens;

  /** The challengers' scorers, in the plan's order; empty for a one-model plan. */
  private BatchScorer[] challengers = new BatchScorer[0];

  /**
   * Per challenger run inside this model's chunks, the index in each lane's assemblers of the
   * tensor each of its inputs is fed; null for a challenger that scores the batch itself. A lane's
   * assemblers are this model's inputs, then one per distinct binding ({@link
   * InputAssembler#fillsLike}) that only challengers read: each tensor is assembled once per chunk
   * and copied to every other model that reads it (docs/performance.md).
   */
  private int[][] sharedInputs = new int[0][];

  /**
   * Per lane assembler, the challenger whose runner its tensor is filled in; -1 for this model's
   * own inputs.
   */
  private int[] tensorOwner;

  /** The last batch's results of the challengers run in this model's chunks; null for others. */
  private ScoreResult[] sharedResults;

  /** Each challenger against the champion, when profiling; null otherwise. */
  private ModelComparison[] comparisons;

  /** Picks the model serving each row when the spec has canaries; null otherwise. */
  private CanaryRouter router;

  private BatchScorer(
      ScoringPlan plan,
      ModelHandle handle,
      ScorerOptions options,
      TextAssembler text,
      int concurrency) {
    this.plan = plan;
    this.batchesPerCall = options.batchesPerCall(concurrency);
    this.spec = plan.spec();
    this.model = plan.model();
    this.passthrough = options.passthrough();
    this.text = text;
    this.handle = handle;
    this.session = handle.session();
    this.lanes = new Lane[concurrency];
    for (int i = 0; i < concurrency; i++) {
      lanes[i] = new Lane(spec, model.signature());
    }
    this.assemblers = lanes[0].assemblers;
    this.tensorOwner = new int[assemblers.size()];
    java.util.Arrays.fill(tensorOwner, -1);
    this.chunks = new ChunkScheduler<>(List.of(lanes), "batchscore-lane");
    for (OutputColumn c : plan.modelOutputs()) {
      columnsByBinding.computeIfAbsent(c.binding(), k -> new ArrayList<>()).add(c);
      fetch.add(c.binding().output());
    }
    this.profiler = options.profile() ? profiler(plan, options.profileParts()) : null;
  }

  /** A profiler of the plan's profiled columns ({@link ScoringPlan#profiledColumns}). */
  static Profiler profiler(ScoringPlan plan, int parts) {
    Profiler.Builder b = Profiler.builder().parts(parts);
    String text = plan.spec().text() == null ? null : plan.spec().text().column();
    for (String c : plan.profiledColumns().keySet()) {
      if (plan.featureColumns().containsKey(c)) {
        if (c.equals(text)) {
          b.textTokens(c);
        } else {
          b.feature(c);
        }
      } else {
        b.prediction(c);
      }
    }
    return b.build();
  }

  /**
   * Opens a scorer for a plan, with the model from the file its spec names.
   *
   * @throws ModelLoadException the model is missing or corrupt, is no longer the one the plan was
   *     bound to, or the device is unavailable
   */
  public static BatchScorer open(ScoringPlan plan, ScorerOptions options)
      throws ModelLoadException {
    return open(plan, ModelLocator.local(), options);
  }

  /**
   * Opens a scorer for a plan with the model from {@code source}, such as a copy of the model where
   * this process can read it; its SHA-256 must be the one the plan was bound to. Challengers'
   * models are read as local files.
   *
   * @throws ModelLoadException the model is missing or corrupt, is not the one the plan was bound
   *     to, or the device is unavailable
   */
  public static BatchScorer open(ScoringPlan plan, ModelSource source, ScorerOptions options)
      throws ModelLoadException {
    return withChallengers(openModel(plan, source, options), ModelLocator.local(), options);
  }

  /**
   * Opens a scorer for a plan with its models where {@code models} finds them: the champion's and
   * each challenger's, whose SHA-256 must be the ones the plan was bound to. Every model's session
   * comes from the per-JVM cache.
   *
   * @throws ModelLoadException a model is missing or corrupt, is not the one the plan was bound to,
   *     or the device is unavailable
   */
  public static BatchScorer open(ScoringPlan plan, ModelLocator models, ScorerOptions options)
      throws ModelLoadException {
    return withChallengers(openModel(plan, models.locate(plan.spec()), options), models, options);
  }

  /** Opens the challengers' scorers beside a champion's; closes the champion if one fails. */
  private static BatchScorer withChallengers(
      BatchScorer champion, ModelLocator models, ScorerOptions options) throws ModelLoadException {
    List<ScoringPlan> plans = champion.plan.challengers();
    if (plans.isEmpty()) {
      return champion;
    }
    BatchScorer[] opened = new BatchScorer[plans.size()];
    try {
      ScorerOptions own = options.forChallenger();
      for (int i = 0; i < opened.length; i++) {
        ScoringPlan p = plans.get(i);
        opened[i] = openModel(p, models.locate(p.spec()), own);
      }
    } catch (ModelLoadException | RuntimeException e) {
      for (BatchScorer b : opened) {
        if (b != null) {
          b.close();
        }
      }
      champion.close();
      throw e;
    }
    champion.challengers = opened;
    champion.shareTensors();
    if (CanaryRouter.needed(champion.spec)) {
      champion.router = new CanaryRouter(champion.plan);
    }
    if (options.profile()) {
      champion.comparisons = new ModelComparison[opened.length];
      List<String> mine = champion.plan.modelOutputs().stream().map(OutputColumn::name).toList();
      for (int i = 0; i < opened.length; i++) {
        Challenger c = champion.spec.challengers().get(i);
        List<String> both = new ArrayList<>();
        for (OutputColumn o : plans.get(i).modelOutputs()) {
          if (mine.contains(o.name())) {
            both.add(o.name());
          }
        }
        champion.comparisons[i] =
            new ModelComparison(
                c.name(),
                c.mode().specName(),
                c.share(),
                plans.get(i).modelVersion(),
                plans.get(i).model().sha256(),
                both,
                options.profileParts(),
                inRun(champion.spec, c, both));
      }
    }
    return champion;
  }

  /** Whether challenger {@code i} (in the spec's order) runs inside this model's chunks. */
  boolean feedsChallenger(int i) {
    return sharedInputs[i] != null;
  }

  /** The tensors each chunk assembles: one per distinct binding of the models run in it. */
  int tensorsPerChunk() {
    return assemblers.size();
  }

  /**
   * Plans the chunks' tensors: every challenger that runs alike (no text on either side, the same
   * batch size and number of lanes) is run inside this model's chunks, each distinct binding
   * assembled once per chunk. Bindings only challengers read are added to every lane's assemblers,
   * so the null scan and the fill policy cover them as they cover this model's.
   */
  private void shareTensors() {
    int own = assemblers.size();
    List<Integer> owners = new ArrayList<>();
    for (Lane lane : lanes) {
      lane.shared = new Runner[challengers.length];
    }
    sharedInputs = new int[challengers.length][];
    for (int i = 0; i < challengers.length; i++) {
      BatchScorer other = challengers[i];
      if (text != null
          || other.text != null
          || other.assemblers.isEmpty()
          || other.lanes.length != lanes.length
          || other.spec.batchSize() != spec.batchSize()) {
        continue;
      }
      int[] from = new int[other.assemblers.size()];
      for (int a = 0; a < from.length; a++) {
        InputAssembler wanted = other.assemblers.get(a);
        int u = 0;
        while (u < assemblers.size() && !wanted.fillsLike(assemblers.get(u))) {
          u++;
        }
        if (u == assemblers.size()) {
          for (Lane lane : lanes) {
            lane.assemblers.add(wanted.fresh());
          }
          owners.add(i);
        }
        from[a] = u;
      }
      sharedInputs[i] = from;
    }
    tensorOwner = new int[assemblers.size()];
    for (int u = 0; u < tensorOwner.length; u++) {
      tensorOwner[u] = u < own ? -1 : owners.get(u - own);
    }
  }

  /**
   * Where the run's profile holds both sides of a comparison: a shadow's columns when no canary
   * changes the champion's published ones; else null (the comparison profiles them itself).
   */
  private static Map<String, String> inRun(ScoringSpec spec, Challenger c, List<String> columns) {
    if (c.mode() != Challenger.Mode.SHADOW || CanaryRouter.needed(spec)) {
      return null;
    }
    Map<String, String> out = new LinkedHashMap<>();
    columns.forEach(col -> out.put(col, c.publishedName(col)));
    return out;
  }

  /** Opens a scorer of one model, the plan's own. */
  private static BatchScorer openModel(ScoringPlan plan, ModelSource source, ScorerOptions options)
      throws ModelLoadException {
    ScoringSpec spec = plan.spec();
    String sha = source.sha256();
    if (!sha.equalsIgnoreCase(plan.model().sha256())) {
      throw new ModelLoadException(
          source.name(),
          "SHA-256 is "
              + sha
              + " but the plan was bound"
              + " to model "
              + plan.model().source()
              + " with SHA-256 "
              + plan.model().sha256());
    }
    Engine engine = Engines.of(spec.engine());
    DevicePlan device =
        DevicePlanner.plan(
            spec.device(), engine.availableProviders(), options.gpuAddresses(), source.name());
    // Batches at once: as asked on a CPU; a GPU runs one at a time. The CPU share is split
    // between them unless the spec fixes the intra-op threads.
    int concurrency = device.cuda() ? 1 : options.concurrency();
    int threads =
        spec.session().intraOpThreads() != null
            ? spec.session().intraOpThreads()
            : Math.max(1, options.cpuShare() / concurrency);
    CacheKey key =
        new CacheKey(
            sha, spec.engine().specName(), device.key(), spec.session().fingerprint(threads));
    SessionRequest req = new SessionRequest(source, device, spec.session(), threads);
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
      TextAssembler text =
          spec.text() == null
              ? null
              : new TextAssembler(
                  spec.text(), spec.resolvedTokenizerPath(), plan.model().signature());
      return new BatchScorer(plan, handle, options, text, concurrency);
    } catch (ModelLoadException | RuntimeException e) {
      handle.close();
      throw e;
    }
  }

  /** The plan this scorer scores with. */
  public ScoringPlan plan() {
    return plan;
  }

  /** True when opening this scorer loaded the model's session, false when the cache had it. */
  public boolean loadedModel() {
    return handle.loaded();
  }

  /** The device the session runs on: {@code cpu} or {@code cuda:N}. */
  public String device() {
    return session.device();
  }

  /** The engine's name and version. */
  public String engineDescription() {
    return session.engineDescription();
  }

  /**
   * Rows to hand {@link #score} at a time: {@link ScoringPlan#rowsPerCall} for the batches per call
   * the options asked for ({@link ScorerOptions.Builder#batchesPerCall}).
   */
  public int rowsPerCall() {
    return plan.rowsPerCall(batchesPerCall);
  }

  /** Model batches one call runs at once (1 on a GPU, whatever the options asked). */
  public int concurrency() {
    return lanes.length;
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
    // copy values into the tensor; a batch where one does is scored again with the exact scan,
    // which
    // names the row and applies the null policy. Once a batch had NaN, this scorer scans up front.
    ScoreResult r = nanSeen ? null : score(batch, true);
    if (r == null) {
      nanSeen = true;
      r = score(batch, false);
    }
    if (challengers.length > 0) {
      r = withChallengers(batch, r);
    }
    if (profiler != null) {
      profiler.addInputs(batch);
      profiler.addOutputs(r.columns(), lastTokens);
    }
    return r;
  }

  /**
   * The profile of every batch this scorer has scored so far (features and predictions, see {@link
   * ScoringPlan#profiledColumns}); live, for one thread.
   *
   * @throws IllegalStateException the options did not ask for profiling ({@link
   *     ScorerOptions.Builder#profile})
   */
  public Profile profile() {
    if (profiler == null) {
      throw new IllegalStateException(
          "this scorer does not profile: open it with ScorerOptions.builder().profile(true)");
    }
    return profiler.profile();
  }

  /**
   * Each challenger against the champion on the rows scored so far (agreement, differences, the two
   * prediction distributions), in the spec's order; live, for one thread. Empty without challengers
   * or without profiling.
   */
  public List<ModelComparison> comparisons() {
    if (comparisons == null) {
      return List.of();
    }
    for (ModelComparison c : comparisons) {
      c.withRunProfile(profiler.profile());
    }
    return List.of(comparisons);
  }

  /**
   * Scores the batch with every challenger and lays out the published columns: the champion's (on a
   * canary's rows, the canary's values), each shadow's under its prefix, then {@code served_by}.
   */
  private ScoreResult withChallengers(ColumnBatch batch, ScoreResult mine) {
    int n = mine.rowsScored();
    ScoreResult[] theirs = new ScoreResult[challengers.length];
    for (int i = 0; i < challengers.length; i++) {
      theirs[i] = sharedInputs[i] != null ? sharedResults[i] : challengers[i].score(batch);
      if (theirs[i].rowsScored() != n
          || !java.util.Arrays.equals(theirs[i].keptRows(), mine.keptRows())) {
        throw new ScoringException(
            "challenger '"
                + spec.challengers().get(i).name()
                + "' kept "
                + theirs[i].rowsScored()
                + " of the batch's rows and the champion "
                + n
                + "; models in one pass must keep the same rows");
      }
    }
    int[] route = router == null ? null : router.route(batch, mine);
    ColumnBatch.Builder out = ColumnBatch.builder(n);
    for (Map.Entry<String, Column> e : mine.columns().columns().entrySet()) {
      Column c = e.getValue();
      if (route != null && router.publishes(e.getKey())) {
        Column[] from = new Column[theirs.length];
        for (int i = 0; i < theirs.length; i++) {
          from[i] = theirs[i].columns().column(e.getKey());
        }
        c = CanaryRouter.merge(c, from, route);
      }
      out.add(e.getKey(), c);
    }
    List<Challenger> cs = spec.challengers();
    for (int i = 0; i < theirs.length; i++) {
      if (cs.get(i).mode() == Challenger.Mode.SHADOW) {
        for (Map.Entry<String, Column> e : theirs[i].columns().columns().entrySet()) {
          out.add(cs.get(i).publishedName(e.getKey()), e.getValue());
        }
      }
    }
    int[] served = new int[theirs.length];
    if (route != null) {
      String[] by = new String[n];
      for (int j = 0; j < n; j++) {
        if (route[j] < 0) {
          by[j] = plan.modelName();
        } else {
          by[j] = cs.get(route[j]).name();
          served[route[j]]++;
        }
      }
      out.add(Challenger.SERVED_BY, Column.ofStrings(by));
    }
    if (comparisons != null) {
      for (int i = 0; i < theirs.length; i++) {
        comparisons[i].add(mine.columns(), theirs[i].columns(), served[i]);
      }
    }
    return new ScoreResult(mine.rowsIn(), out.build(), mine.keptRows(), mine.rejections());
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
    Map<OutputBinding, OutputWriter> writers = writers(n);
    List<Map<OutputBinding, OutputWriter>> theirWriters = new ArrayList<>(challengers.length);
    for (int i = 0; i < challengers.length; i++) {
      theirWriters.add(sharedInputs[i] == null ? null : challengers[i].writers(n));
    }
    Chunks chunks = new Chunks(batch, order, n, scan, writers, theirWriters, nanLater);
    if (!chunks.run()) {
      return null;
    }
    sharedResults = new ScoreResult[challengers.length];
    for (int i = 0; i < challengers.length; i++) {
      if (theirWriters.get(i) != null) {
        ColumnBatch.Builder theirs = ColumnBatch.builder(n);
        addColumns(theirs, theirWriters.get(i), challengers[i].columnsByBinding, null, n);
        sharedResults[i] = new ScoreResult(rowsIn, theirs.build(), kept, scan.rejections);
      }
    }
    lastTokens = chunks.tokens;
    if (lastTokens != null && restore != null) {
      int[] inOrder = new int[n];
      for (int i = 0; i < n; i++) {
        inOrder[i] = lastTokens[restore[i]];
      }
      lastTokens = inOrder;
    }
    ColumnBatch.Builder out = ColumnBatch.builder(n);
    for (String p : passthrough ? spec.passthrough() : List.<String>of()) {
      Column c = batch.column(p);
      if (c == null) {
        throw new BadInputException(
            p,
            -1,
            null,
            "the batch has no passthrough column '" + p + "'; it has " + batch.names());
      }
      out.add(p, kept == null ? c : c.select(kept, n));
    }
    addColumns(out, writers, columnsByBinding, restore, n);
    return new ScoreResult(rowsIn, out.build(), kept, scan.rejections);
  }

  /** A writer per output binding of this model, for {@code n} rows. */
  private Map<OutputBinding, OutputWriter> writers(int n) {
    Map<OutputBinding, OutputWriter> writers = new LinkedHashMap<>();
    for (Map.Entry<OutputBinding, List<OutputColumn>> e : columnsByBinding.entrySet()) {
      writers.put(e.getKey(), OutputWriter.create(e.getValue(), n, model.source()));
    }
    return writers;
  }

  /** Writes a chunk's model outputs, rows {@code from..from+n}, with their writers. */
  private static void write(
      Map<OutputBinding, OutputWriter> writers,
      Map<String, OutputValue> values,
      int from,
      int n,
      int[] tokens) {
    for (Map.Entry<OutputBinding, OutputWriter> w : writers.entrySet()) {
      w.getValue().write(values.get(w.getKey().output()), from, n, tokens);
    }
  }

  /** Adds the written columns under their names, rows put back in order by {@code restore}. */
  private static void addColumns(
      ColumnBatch.Builder out,
      Map<OutputBinding, OutputWriter> writers,
      Map<OutputBinding, List<OutputColumn>> columns,
      int[] restore,
      int n) {
    for (Map.Entry<OutputBinding, OutputWriter> w : writers.entrySet()) {
      List<Column> cols = w.getValue().finish();
      List<OutputColumn> names = columns.get(w.getKey());
      for (int i = 0; i < cols.size(); i++) {
        out.add(
            names.get(i).name(), restore == null ? cols.get(i) : cols.get(i).select(restore, n));
      }
    }
  }

  /** Runs a runner's model; an engine failure is a {@link ScoringException}. */
  private static Map<String, OutputValue> run(Runner runner, Set<String> outputs) {
    try {
      return runner.run(outputs);
    } catch (EngineException e) {
      throw new ScoringException(e.getMessage(), e.getCause() == null ? e : e.getCause());
    }
  }

  /** Copies a filled tensor into another of the same type and shape. */
  private static void copy(HostTensor from, HostTensor to) {
    if (from.type() == io.batchscore.core.column.ElementType.STRING) {
      System.arraycopy(from.strings(), 0, to.strings(), 0, from.elementCount());
    } else {
      to.bytes().put(0, from.bytes(), 0, from.bytes().limit());
    }
  }

  /** The state one model call needs: its input assemblers and a runner (its own tensors). */
  private static final class Lane {
    final List<InputAssembler> assemblers = new ArrayList<>();
    Runner runner;

    /** Runners of the challengers run in this lane's chunks, by challenger; made when needed. */
    Runner[] shared = new Runner[0];

    Lane(ScoringSpec spec, ModelSignature sig) {
      spec.inputs().forEach(b -> assemblers.add(new InputAssembler(b, sig.input(b.input()))));
    }

    Runner sharedRunner(int challenger, EngineSession session) {
      if (shared[challenger] == null) {
        shared[challenger] = session.newRunner();
      }
      return shared[challenger];
    }

    void close() {
      if (runner != null) {
        runner.close();
      }
      for (Runner r : shared) {
        if (r != null) {
          r.close();
        }
      }
    }
  }

  /**
   * A chunk's model outputs, for text its rows' token counts, and the outputs of the challengers
   * run in its chunk (by challenger, null for others; null when none is).
   */
  private record Called(
      Map<String, OutputValue> values, int[] tokens, List<Map<String, OutputValue>> theirs) {}

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

    /** The writers of the challengers run in these chunks, by challenger; null for others. */
    private final List<Map<OutputBinding, OutputWriter>> theirWriters;

    private final boolean shares;
    private final boolean nanLater;
    private final int size = spec.batchSize();
    private final int count;

    /** Some writer appends: chunks must be written in order. */
    private final boolean inOrder;

    /** Each row's token count (in scoring order), for a profiled text model; null otherwise. */
    final int[] tokens;

    Chunks(
        ColumnBatch batch,
        int[] order,
        int rows,
        NullScan.Outcome scan,
        Map<OutputBinding, OutputWriter> writers,
        List<Map<OutputBinding, OutputWriter>> theirWriters,
        boolean nanLater) {
      this.batch = batch;
      this.order = order;
      this.rows = rows;
      this.scan = scan;
      this.writers = writers;
      this.theirWriters = theirWriters;
      this.shares = theirWriters.stream().anyMatch(w -> w != null);
      this.nanLater = nanLater;
      this.tokens = profiler != null && text != null ? new int[rows] : null;
      this.count = (rows + size - 1) / size;
      // Measured on the logistic regression: writing in chunk order cost ~5% of two lanes'
      // throughput, so positional writers are written by each lane as its chunk has run.
      this.inOrder =
          writers.values().stream().anyMatch(w -> !w.positional())
              || theirWriters.stream()
                  .filter(w -> w != null)
                  .flatMap(w -> w.values().stream())
                  .anyMatch(w -> !w.positional());
    }

    /** Scores every chunk; false when a NaN was seen (with {@code nanLater}). */
    boolean run() {
      return chunks.run(
          count,
          inOrder,
          this::call,
          this::write,
          failure -> new ScoringException(model.source() + ": " + failure, failure));
    }

    /** Fills chunk {@code c}'s inputs on the lane and runs the model; null if a NaN was copied. */
    private Called call(Lane lane, int c) {
      int from = c * size;
      int to = Math.min(rows, from + size);
      if (lane.runner == null) {
        lane.runner = session.newRunner();
      }
      HostTensor[] filled = new HostTensor[lane.assemblers.size()];
      for (int a = 0; a < lane.assemblers.size(); a++) {
        InputAssembler assembler = lane.assemblers.get(a);
        int owner = tensorOwner[a];
        Runner into =
            owner < 0 ? lane.runner : lane.sharedRunner(owner, challengers[owner].session);
        HostTensor t = assembler.fill(batch, order, from, to, into, nanLater);
        if (nanLater && assembler.sawNaN()) {
          return null;
        }
        if (spec.nullPolicy() == NullPolicy.FILL) {
          applyFills(t, scan.fills.get(a), from, to);
        }
        filled[a] = t;
      }
      int[] tokens = text == null ? null : text.fill(batch, order, from, to, lane.runner);
      Map<String, OutputValue> values = BatchScorer.run(lane.runner, fetch);
      return new Called(values, tokens, shares ? runShared(lane, filled) : null);
    }

    /**
     * Runs the challengers inside this chunk: each is fed a copy of the tensors filled in another
     * model's runner; those filled in its own are there already.
     */
    private List<Map<String, OutputValue>> runShared(Lane lane, HostTensor[] filled) {
      List<Map<String, OutputValue>> out = new ArrayList<>(challengers.length);
      for (int i = 0; i < challengers.length; i++) {
        int[] from = sharedInputs[i];
        if (from == null) {
          out.add(null);
          continue;
        }
        BatchScorer other = challengers[i];
        Runner r = lane.sharedRunner(i, other.session);
        for (int a = 0; a < from.length; a++) {
          if (tensorOwner[from[a]] != i) {
            HostTensor t = filled[from[a]];
            copy(t, r.input(other.assemblers.get(a).input(), t.shape()));
          }
        }
        out.add(BatchScorer.run(r, other.fetch));
      }
      return out;
    }

    private void write(Called r, int c) {
      int from = c * size;
      int n = Math.min(rows, from + size) - from;
      if (tokens != null && r.tokens() != null) {
        System.arraycopy(r.tokens(), 0, tokens, from, n);
      }
      BatchScorer.write(writers, r.values(), from, n, r.tokens());
      for (int i = 0; r.theirs() != null && i < r.theirs().size(); i++) {
        if (r.theirs().get(i) != null) {
          BatchScorer.write(theirWriters.get(i), r.theirs().get(i), from, n, null);
        }
      }
    }
  }

  /** The rows to score (kept, or all) ordered by text length, stable. */
  private int[] byTextLength(ColumnBatch batch, int[] kept, int n) {
    Column c = batch.column(text.column());
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) {
      idx[i] = kept == null ? i : kept[i];
    }
    java.util.Arrays.sort(
        idx, java.util.Comparator.comparingInt(r -> c.isNull(r) ? 0 : c.getString(r).length()));
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
   * Scores one row given as column name to value (Float, Double, Long, Integer, Boolean, String, or
   * a float[]/double[] for array inputs). A convenience over {@link #score}; for many rows, build a
   * batch.
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
      // The lanes' runners first: some run the challengers' sessions, released below.
      for (Lane lane : lanes) {
        lane.close();
      }
    } finally {
      try {
        for (BatchScorer c : challengers) {
          c.close();
        }
      } finally {
        handle.close();
      }
    }
  }
}
