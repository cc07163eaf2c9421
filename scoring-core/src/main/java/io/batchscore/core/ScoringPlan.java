package io.batchscore.core;

import io.batchscore.core.column.ColumnType;
import io.batchscore.core.column.ElementType;
import io.batchscore.core.column.InputSchema;
import io.batchscore.core.model.ModelInfo;
import io.batchscore.core.model.ModelLoadException;
import io.batchscore.core.model.ModelMetadata;
import io.batchscore.core.model.ModelSignature;
import io.batchscore.core.model.ModelSource;
import io.batchscore.core.monitor.ColumnProfile;
import io.batchscore.core.monitor.Profile;
import io.batchscore.core.spec.Challenger;
import io.batchscore.core.spec.InputBinding;
import io.batchscore.core.spec.NullPolicy;
import io.batchscore.core.spec.Problem;
import io.batchscore.core.spec.ScoringSpec;
import io.batchscore.core.spec.SpecException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scoring spec bound to a model and an input's schema: checked once, before any data is read, and
 * the only way to open a {@link BatchScorer}.
 *
 * <p>{@link #bind} checks the spec against the model's signature and the schema and reports every
 * problem at once ({@link SpecException}); what it returns is immutable and serializable, and
 * carries what a scorer and a reader need: the columns read and the element type each is fed as,
 * the prediction columns and their types, the rows to read per call, the null policy, the model's
 * name, version and SHA-256. A Spark driver binds once and ships the plan to its tasks, which
 * neither parse nor check the spec again.
 *
 * <pre>{@code
 * ScoringSpec spec = ScoringSpec.load(Path.of("spec.yaml"));
 * ScoringPlan plan = ScoringPlan.bind(spec, batch.schema());
 * try (BatchScorer scorer = BatchScorer.open(plan, ScorerOptions.defaults())) {
 *   ScoreResult r = scorer.score(batch);
 * }
 * }</pre>
 */
public final class ScoringPlan implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(ScoringPlan.class);

  /** Batches of a text spec that are read at once and sorted by length together, to pad less. */
  public static final int TEXT_SORT_WINDOW = 16;

  private final ScoringSpec spec;
  private final ModelInfo model;
  private final InputSchema schema;
  private final List<OutputColumn> modelOutputs;
  private final List<OutputColumn> outputs;
  private final Map<String, ElementType> features;
  private final Set<String> modelFeatures;
  private final List<ScoringPlan> challengers;

  private ScoringPlan(
      ScoringSpec spec,
      ModelInfo model,
      InputSchema schema,
      List<OutputColumn> modelOutputs,
      List<ScoringPlan> challengers) {
    this.spec = spec;
    this.model = model;
    this.schema = schema;
    this.modelOutputs = modelOutputs;
    this.challengers = List.copyOf(challengers);
    Map<String, ElementType> f = modelFeatures(spec, model.signature());
    for (ScoringPlan c : challengers) {
      c.features.forEach(f::putIfAbsent);
    }
    this.modelFeatures = Collections.unmodifiableSet(new LinkedHashSet<>(f.keySet()));
    List<OutputColumn> out = new ArrayList<>(modelOutputs);
    boolean canary = false;
    for (int i = 0; i < challengers.size(); i++) {
      Challenger c = spec.challengers().get(i);
      if (c.mode() == Challenger.Mode.SHADOW) {
        for (OutputColumn oc : challengers.get(i).modelOutputs) {
          out.add(
              new OutputColumn(
                  c.publishedName(oc.name()), oc.type(), oc.binding(), oc.scores(), oc.labels()));
        }
      } else {
        canary = true;
        if (!f.containsKey(c.key())) {
          f.put(c.key(), keyType(schema, c.key()));
        }
      }
    }
    if (canary) {
      out.add(
          new OutputColumn(
              Challenger.SERVED_BY, ColumnType.scalar(ElementType.STRING), null, false, null));
    }
    this.outputs = Collections.unmodifiableList(out);
    this.features = Collections.unmodifiableMap(f);
  }

  /** The columns a spec's own model reads, each with the element type of the input it feeds. */
  private static Map<String, ElementType> modelFeatures(ScoringSpec spec, ModelSignature sig) {
    Map<String, ElementType> f = new LinkedHashMap<>();
    if (spec.text() != null) {
      f.put(spec.text().column(), ElementType.STRING);
    }
    for (InputBinding b : spec.inputs()) {
      for (String c : b.columns()) {
        f.putIfAbsent(c, sig.input(b.input()).elementType());
      }
    }
    return f;
  }

  /** A canary key is read as the input holds it: a number or text (text when not known). */
  private static ElementType keyType(InputSchema schema, String key) {
    ColumnType t = schema == null ? null : schema.type(key);
    return t == null || !t.isScalar() ? ElementType.STRING : t.element();
  }

  /**
   * Binds a spec to the model its path names (a local file), read here, and to an input's schema.
   *
   * @param schema the input's columns, or null to check against the model only (a batch then
   *     missing a column fails when it is scored)
   * @throws ModelLoadException the model is missing, corrupt, or not the one the spec pins
   * @throws SpecException the spec does not fit the model or the schema (every problem listed)
   */
  public static ScoringPlan bind(ScoringSpec spec, InputSchema schema)
      throws SpecException, ModelLoadException {
    return bind(spec, Models.inspect(spec), schema);
  }

  /**
   * Binds a spec to a model already inspected ({@link Models#inspect}) and to an input's schema;
   * challengers' models are local files.
   *
   * @param schema the input's columns, or null to check against the model only
   * @throws ModelLoadException the model is not the one the spec pins ({@code sha256})
   * @throws SpecException the spec does not fit the model or the schema (every problem listed)
   */
  public static ScoringPlan bind(ScoringSpec spec, ModelInfo model, InputSchema schema)
      throws SpecException, ModelLoadException {
    return bind(spec, model, schema, ModelLocator.local());
  }

  /**
   * Binds a spec to a model already inspected and to an input's schema, with each challenger's
   * model found by {@code models}, its version resolved, its pin checked and its signature read.
   *
   * @param schema the input's columns, or null to check against the models only
   * @throws ModelLoadException a model is missing, corrupt, or not the one the spec pins
   * @throws SpecException the spec does not fit the models or the schema (every problem listed)
   */
  public static ScoringPlan bind(
      ScoringSpec spec, ModelInfo model, InputSchema schema, ModelLocator models)
      throws SpecException, ModelLoadException {
    ScoringSpec versioned = Models.resolveVersion(spec);
    if (versioned != spec
        && !versioned
            .resolvedModelPath()
            .toAbsolutePath()
            .normalize()
            .toString()
            .equals(model.source())) {
      // A version arrived between inspecting the model and binding: bind what was inspected.
      throw new ModelLoadException(
          spec.resolvedModelPath().toString(),
          "its latest version changed while the spec was bound (now "
              + versioned.version()
              + "); run again");
    }
    spec = versioned;
    String pin = spec.modelSha256();
    if (pin != null && !pin.equalsIgnoreCase(model.sha256())) {
      throw new ModelLoadException(
          model.source(), "SHA-256 is " + model.sha256() + " but the spec expects " + pin);
    }
    long memory = Runtime.getRuntime().maxMemory();
    SpecValidator.Validation v = SpecValidator.validate(spec, model.signature(), schema, memory);
    List<Problem> problems = new ArrayList<>(v.problems());
    List<ScoringPlan> bound = new ArrayList<>();
    List<Challenger> resolved = new ArrayList<>();
    for (int i = 0; i < spec.challengers().size(); i++) {
      Challenger c = spec.challengers().get(i);
      ScoringSpec cs = models.resolveVersion(c.spec());
      ModelInfo info;
      try {
        ModelSource source = models.locate(cs);
        source.checkPin(cs.modelSha256());
        info = Models.inspect(source);
      } catch (ModelLoadException e) {
        throw Models.explained(cs, e);
      }
      SpecValidator.Validation cv = SpecValidator.validate(cs, info.signature(), schema, memory);
      String at = "challengers[" + i + "].";
      for (Problem p : cv.problems()) {
        problems.add(new Problem(at + p.where(), p.message()));
      }
      resolved.add(new Challenger(c.name(), c.mode(), c.share(), c.key(), c.prefix(), cs));
      if (cv.problems().isEmpty()) {
        ScoringPlan plan = new ScoringPlan(cs, info, schema, cv.outputs(), List.of());
        Challengers.check(
            spec,
            modelFeatures(spec, model.signature()),
            v.outputs(),
            c,
            plan,
            schema,
            at,
            problems);
        bound.add(plan);
      }
    }
    if (!problems.isEmpty()) {
      throw new SpecException(spec.origin(), problems);
    }
    if (!resolved.isEmpty()) {
      ScoringSpec.Builder b = spec.toBuilder().clearChallengers();
      resolved.forEach(b::challenger);
      spec = b.build();
    }
    ScoringPlan plan = new ScoringPlan(spec, model, schema, v.outputs(), bound);
    LOG.debug("bound the spec {}: {}", spec.origin(), plan);
    return plan;
  }

  /** The spec as bound. */
  public ScoringSpec spec() {
    return spec;
  }

  /** The model it was bound to: where it was read, its SHA-256, size and signature. */
  public ModelInfo model() {
    return model;
  }

  /** The name written to output rows and reports: the spec's, else the model file's base name. */
  public String modelName() {
    return spec.name();
  }

  /**
   * The version written to output rows: the spec's (for a versioned folder, the resolved number),
   * else the model's {@code model_version}, else, for a model that sets none, {@code sha256:} and
   * the first 12 hex digits of its SHA-256, which change whenever the model does.
   */
  public String modelVersion() {
    if (spec.version() != null) {
      return spec.version();
    }
    ModelMetadata m = model.signature().metadata();
    return m.hasVersion()
        ? Long.toString(m.version())
        : "sha256:" + model.sha256().substring(0, Math.min(12, model.sha256().length()));
  }

  /** The input's schema it was checked against, or null when bound to the model only. */
  public InputSchema inputSchema() {
    return schema;
  }

  /**
   * The columns the scorer reads, in the spec's order without duplicates, each with the element
   * type of the model input it feeds (a text column: {@code STRING}): the champion's, then the
   * challengers' other columns, then a canary key (as the input holds it). A reader that converts
   * values as it reads converts to these.
   */
  public Map<String, ElementType> featureColumns() {
    return features;
  }

  /** The columns copied unchanged to the output, in order. */
  public List<String> passthrough() {
    return spec.passthrough();
  }

  /**
   * The prediction columns, in order (passthrough columns not included): the champion's, then each
   * shadow challenger's under its prefix, then {@code served_by} when the spec has a canary.
   */
  public List<OutputColumn> outputColumns() {
    return outputs;
  }

  /** The columns this plan's own model writes (a one-model plan: {@link #outputColumns}). */
  List<OutputColumn> modelOutputs() {
    return modelOutputs;
  }

  /**
   * The challengers bound beside the champion, in the order of the spec's {@link
   * ScoringSpec#challengers}: each a plan of the challenger's own spec and model.
   */
  public List<ScoringPlan> challengers() {
    return challengers;
  }

  /** Rows per engine call. */
  public int batchSize() {
    return spec.batchSize();
  }

  /** What happens to rows with null, NaN or infinite features. */
  public NullPolicy nullPolicy() {
    return spec.nullPolicy();
  }

  /**
   * Rows to read and hand {@link BatchScorer#score} per call, for a caller that hands over {@code
   * batches} model batches at a time: that many batches of the batch size, and for a text spec at
   * least 16 batches, which the scorer sorts by text length so that rows of similar length share a
   * batch (the output keeps the input's order); at most 2^20 rows.
   */
  public int rowsPerCall(int batches) {
    long read = spec.text() == null ? spec.batchSize() : (long) spec.batchSize() * TEXT_SORT_WINDOW;
    return (int) Math.min(1 << 20, Math.max(read, (long) spec.batchSize() * Math.max(1, batches)));
  }

  /**
   * The columns a profiling scorer profiles ({@link ScorerOptions.Builder#profile}), in order, and
   * what their profiles hold: the features (unless the spec's monitoring section says {@code
   * features: false}; arrays by their rows' norm and a text column by its token counts, both
   * numbers), then every prediction column but maps.
   */
  public Map<String, ColumnProfile.Kind> profiledColumns() {
    Map<String, ColumnProfile.Kind> out = new LinkedHashMap<>();
    if (spec.monitoring().features()) {
      features.forEach(
          (c, type) -> {
            if (!modelFeatures.contains(c)) {
              return; // a canary key, read only to route rows
            }
            boolean text = spec.text() != null && spec.text().column().equals(c);
            boolean array = schema != null && schema.type(c) != null && schema.type(c).isArray();
            boolean numbers = text || array || type.isNumeric();
            out.put(c, numbers ? ColumnProfile.Kind.NUMERIC : ColumnProfile.Kind.CATEGORICAL);
          });
    }
    for (OutputColumn c : outputs) {
      if (!c.type().isMap()) {
        boolean numbers = c.type().isArray() || c.type().element().isNumeric();
        out.put(c.name(), numbers ? ColumnProfile.Kind.NUMERIC : ColumnProfile.Kind.CATEGORICAL);
      }
    }
    return out;
  }

  /**
   * Checks that a reference profile has every column this plan profiles, each holding the same kind
   * of values, so runs can be compared with it.
   *
   * @param name the reference's file, for messages
   * @throws SpecException a column the reference lacks or holds differently (every one listed)
   */
  public void checkReference(Profile reference, String name) throws SpecException {
    List<Problem> problems = new ArrayList<>();
    Set<String> own = new java.util.HashSet<>(modelFeatures);
    modelOutputs.forEach(o -> own.add(o.name()));
    for (Map.Entry<String, ColumnProfile.Kind> e : profiledColumns().entrySet()) {
      if (!own.contains(e.getKey())) {
        continue; // a challenger's column: compared with the champion's, not the reference
      }
      ColumnProfile r = reference.column(e.getKey());
      if (r == null) {
        problems.add(
            new Problem(
                "monitoring.reference",
                "the reference profile "
                    + name
                    + " has no column '"
                    + e.getKey()
                    + "'"
                    + Problem.didYouMean(e.getKey(), reference.columns().keySet())
                    + "; make it again (batchscore profile) with this spec"));
      } else if (r.kind() != e.getValue()) {
        problems.add(
            new Problem(
                "monitoring.reference",
                "column '"
                    + e.getKey()
                    + "' holds "
                    + kind(e.getValue())
                    + " here but "
                    + kind(r.kind())
                    + " in the reference profile "
                    + name));
      }
    }
    if (!problems.isEmpty()) {
      throw new SpecException(spec.origin(), problems);
    }
  }

  private static String kind(ColumnProfile.Kind k) {
    return k == ColumnProfile.Kind.NUMERIC ? "numbers" : "labels";
  }

  @Override
  public String toString() {
    return "ScoringPlan("
        + spec.name()
        + " v"
        + modelVersion()
        + ", model "
        + model.source()
        + ", "
        + features.size()
        + " feature columns, "
        + outputs.size()
        + " predictions)";
  }
}
