package io.batchscore.core;

import io.batchscore.core.column.ElementType;
import io.batchscore.core.column.InputSchema;
import io.batchscore.core.model.ModelInfo;
import io.batchscore.core.model.ModelLoadException;
import io.batchscore.core.model.ModelSignature;
import io.batchscore.core.monitor.ColumnProfile;
import io.batchscore.core.monitor.Profile;
import io.batchscore.core.spec.InputBinding;
import io.batchscore.core.spec.NullPolicy;
import io.batchscore.core.spec.Problem;
import io.batchscore.core.spec.ScoringSpec;
import io.batchscore.core.spec.SpecException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  private final List<OutputColumn> outputs;
  private final Map<String, ElementType> features;

  private ScoringPlan(
      ScoringSpec spec, ModelInfo model, InputSchema schema, List<OutputColumn> outputs) {
    this.spec = spec;
    this.model = model;
    this.schema = schema;
    this.outputs = outputs;
    Map<String, ElementType> f = new LinkedHashMap<>();
    if (spec.text() != null) {
      f.put(spec.text().column(), ElementType.STRING);
    }
    ModelSignature sig = model.signature();
    for (InputBinding b : spec.inputs()) {
      for (String c : b.columns()) {
        f.putIfAbsent(c, sig.input(b.input()).elementType());
      }
    }
    this.features = Collections.unmodifiableMap(f);
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
   * Binds a spec to a model already inspected ({@link Models#inspect}) and to an input's schema.
   *
   * @param schema the input's columns, or null to check against the model only
   * @throws ModelLoadException the model is not the one the spec pins ({@code sha256})
   * @throws SpecException the spec does not fit the model or the schema (every problem listed)
   */
  public static ScoringPlan bind(ScoringSpec spec, ModelInfo model, InputSchema schema)
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
    SpecValidator.Validation v =
        SpecValidator.validate(spec, model.signature(), schema, Runtime.getRuntime().maxMemory());
    if (!v.problems().isEmpty()) {
      throw new SpecException(spec.origin(), v.problems());
    }
    ScoringPlan plan = new ScoringPlan(spec, model, schema, v.outputs());
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

  /** The version written to output rows: the spec's, else the model's metadata version. */
  public String modelVersion() {
    return spec.version() != null
        ? spec.version()
        : Long.toString(model.signature().metadata().version());
  }

  /** The input's schema it was checked against, or null when bound to the model only. */
  public InputSchema inputSchema() {
    return schema;
  }

  /**
   * The columns the scorer reads, in the spec's order without duplicates, each with the element
   * type of the model input it feeds (a text column: {@code STRING}). A reader that converts values
   * as it reads converts to these.
   */
  public Map<String, ElementType> featureColumns() {
    return features;
  }

  /** The columns copied unchanged to the output, in order. */
  public List<String> passthrough() {
    return spec.passthrough();
  }

  /** The prediction columns, in order (passthrough columns not included). */
  public List<OutputColumn> outputColumns() {
    return outputs;
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
    for (Map.Entry<String, ColumnProfile.Kind> e : profiledColumns().entrySet()) {
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
