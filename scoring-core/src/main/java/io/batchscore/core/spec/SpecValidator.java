package io.batchscore.core.spec;

import io.batchscore.core.ElementType;
import io.batchscore.core.OutputColumn;
import io.batchscore.core.Problem;
import io.batchscore.core.SpecException;
import io.batchscore.core.column.ColumnType;
import io.batchscore.core.column.InputSchema;
import io.batchscore.core.impl.Suggest;
import io.batchscore.core.model.ModelSignature;
import io.batchscore.core.model.ValueInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a spec against a model's signature and an input schema, before any data is read, and
 * reports every problem at once, by name.
 */
public final class SpecValidator {
  private SpecValidator() {}

  /**
   * Validates and throws a {@link SpecException} listing every problem.
   *
   * @param schema the input's columns, or null to check against the model only
   */
  public static void check(ScoringSpec spec, ModelSignature model, InputSchema schema)
      throws SpecException {
    List<Problem> problems = validate(spec, model, schema);
    if (!problems.isEmpty()) {
      throw new SpecException(spec.origin(), problems);
    }
  }

  /** Every problem of the spec against the model and (when given) the input schema. */
  public static List<Problem> validate(ScoringSpec spec, ModelSignature model, InputSchema schema) {
    List<Problem> p = new ArrayList<>(checkStructure(spec));
    checkInputs(spec, model, schema, p);
    outputColumns(spec, model, p);
    checkBatchMemory(spec, model, Runtime.getRuntime().maxMemory(), p);
    if (schema != null) {
      for (int i = 0; i < spec.passthrough().size(); i++) {
        String c = spec.passthrough().get(i);
        if (!schema.has(c)) {
          p.add(
              new Problem(
                  "passthrough[" + i + "]",
                  "no column '"
                      + c
                      + "' in the input"
                      + Suggest.didYouMean(c, schema.columns().keySet())));
        }
      }
    }
    return p;
  }

  /** The largest tensor a batch may hold: what one Java buffer can address. */
  static final long MAX_TENSOR_BYTES = Integer.MAX_VALUE;

  /**
   * A batch must fit in memory: its rows' columns, input tensors, outputs and result columns may
   * take at most a quarter of {@code maxMemory} (the JVM's maximum heap, which also caps its
   * direct buffers by default; a caller holds more than one batch at a time: read ahead, being
   * scored, being written), and no tensor may exceed {@link #MAX_TENSOR_BYTES}. Dimensions the
   * model leaves open count as the spec's columns or shape, else as 1: a row's size is never
   * overestimated, and the quarter is the margin left for the rest of the process.
   */
  static void checkBatchMemory(ScoringSpec spec, ModelSignature model, long maxMemory, List<Problem> p) {
    long perRow = 0;
    long largestTensorPerRow = 0;
    StringBuilder what = new StringBuilder();
    for (InputBinding b : spec.inputs()) {
      ValueInfo in = model.input(b.input());
      if (in == null) {
        continue;
      }
      long e = in.elementsPerRow();
      if (e < 0) {
        e = b.fromColumnList() ? b.columns().size() : b.shape() != null ? product(b.shape()) : 1;
      }
      int size = Math.max(1, in.elementType().byteSize());
      perRow += e * (8 + size); // the caller's column values and the tensor
      largestTensorPerRow = Math.max(largestTensorPerRow, e * size);
      what.append(what.length() == 0 ? "" : ", ").append(b.input()).append(": ").append(e).append(e == 1 ? " value" : " values");
    }
    if (spec.text() != null) {
      int len = spec.text().maxLength() == TextConfig.FROM_TOKENIZER ? TextConfig.DEFAULT_MAX_LENGTH : spec.text().maxLength();
      perRow += 3L * len * 8 + 256;
      largestTensorPerRow = Math.max(largestTensorPerRow, len * 8L);
      what.append(what.length() == 0 ? "" : ", ").append("text: ").append(len).append(" tokens");
    }
    Set<String> fetched = new HashSet<>();
    for (OutputBinding o : spec.outputs()) {
      ValueInfo out = model.output(o.output());
      if (out == null || !fetched.add(o.output())) {
        continue;
      }
      long e = out.kind() == ValueInfo.Kind.SEQUENCE_OF_MAPS ? 8 : Math.max(1, out.elementsPerRow());
      perRow += e * (8 + Math.max(4, out.elementType().byteSize())); // the output and its column
      largestTensorPerRow = Math.max(largestTensorPerRow, e * Math.max(1, out.elementType().byteSize()));
    }
    long rows = spec.batchSize();
    if (perRow == 0 || rows < 1) {
      return;
    }
    long budget = maxMemory / 4;
    long fit = Math.max(1, Math.min(budget / perRow, MAX_TENSOR_BYTES / Math.max(1, largestTensorPerRow)));
    if (rows > fit) {
      p.add(new Problem("batchSize", String.format(java.util.Locale.ROOT,
          "%,d rows a batch need about %s (%s a row; %s), more than %s; at most %,d rows fit here."
              + " Lower batchSize (a few thousand rows is usual) or give the JVM more memory (-Xmx)",
          rows, bytes(perRow * (double) rows), bytes(perRow), what,
          rows * largestTensorPerRow > MAX_TENSOR_BYTES
              ? "the 2 GiB one tensor can hold"
              : "a quarter of this JVM's " + bytes(maxMemory) + " maximum heap",
          fit)));
    }
  }

  private static long product(int[] dims) {
    long n = 1;
    for (int d : dims) {
      n *= Math.max(1, d);
    }
    return n;
  }

  private static String bytes(double b) {
    String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (b >= 1024 && u < units.length - 1) {
      b /= 1024;
      u++;
    }
    return u == 0 ? String.format(java.util.Locale.ROOT, "%.0f %s", b, units[u])
        : String.format(java.util.Locale.ROOT, "%.1f %s", b, units[u]);
  }

  /** Problems that can be seen without the model: sizes, names, duplicates. */
  static List<Problem> checkStructure(ScoringSpec s) {
    List<Problem> p = new ArrayList<>();
    if (s.modelPath() == null || s.modelPath().isBlank()) {
      p.add(new Problem("model.path", "missing: the model's file path or URI"));
    }
    if (s.batchSize() < 1) {
      p.add(new Problem("batchSize", "must be at least 1, got " + s.batchSize()));
    }
    SessionConfig c = s.session();
    if (c.intraOpThreads() != null && c.intraOpThreads() < 1) {
      p.add(new Problem("session.intraOpThreads", "must be at least 1"));
    }
    if (c.interOpThreads() < 1) {
      p.add(new Problem("session.interOpThreads", "must be at least 1"));
    }
    if (s.inputs().isEmpty() && s.text() == null) {
      p.add(new Problem("inputs", "at least one input binding is needed"));
    }
    if (s.text() != null) {
      if (s.text().column().isBlank()) {
        p.add(new Problem("text.column", "missing: the text column"));
      }
      if (s.text().tokenizer().isBlank()) {
        p.add(new Problem("text.tokenizer", "missing: the path of the model's tokenizer.json"));
      }
      if (s.text().maxLength() != TextConfig.FROM_TOKENIZER && s.text().maxLength() < 2) {
        p.add(new Problem("text.maxLength", "must be at least 2 (the special tokens count)"));
      }
    }
    if (s.outputs().isEmpty()) {
      p.add(new Problem("outputs", "at least one output binding is needed"));
    }
    Set<String> seenInputs = new HashSet<>();
    for (int i = 0; i < s.inputs().size(); i++) {
      InputBinding b = s.inputs().get(i);
      if (!b.input().isEmpty() && !seenInputs.add(b.input())) {
        p.add(new Problem("inputs[" + i + "].input", "model input '" + b.input() + "' bound twice"));
      }
      for (int j = 0; j < b.columns().size(); j++) {
        if (b.columns().get(j).isBlank()) {
          p.add(new Problem("inputs[" + i + "].columns[" + j + "]", "empty column name"));
        }
      }
      if (b.shape() != null) {
        for (int d : b.shape()) {
          if (d < 1) {
            p.add(new Problem("inputs[" + i + "].shape", "dimensions must be at least 1"));
            break;
          }
        }
      }
    }
    Set<String> columns = new HashSet<>(s.passthrough());
    if (columns.size() != s.passthrough().size()) {
      p.add(new Problem("passthrough", "a column is listed twice"));
    }
    for (int i = 0; i < s.outputs().size(); i++) {
      OutputBinding o = s.outputs().get(i);
      String at = "outputs[" + i + "]";
      for (String col : o.scoresColumn() == null ? List.of(o.column()) : List.of(o.column(), o.scoresColumn())) {
        if (col.isBlank()) {
          continue;
        }
        if (!columns.add(col)) {
          p.add(
              new Problem(
                  at + ".column",
                  "column '" + col + "' is written twice (by another output or passthrough)"));
        }
      }
      if (o.transform() == Transform.TOP_K && o.k() < 1) {
        p.add(new Problem(at + ".k", "top_k needs k of at least 1"));
      }
      if (o.transform() != Transform.TOP_K && o.scoresColumn() != null) {
        p.add(new Problem(at + ".scoresColumn", "only top_k writes a scores column"));
      }
    }
    return p;
  }

  /** The model inputs a text spec feeds: ids, mask, and token types when the model has them. */
  public static List<String> textInputs(TextConfig t, ModelSignature model) {
    List<String> out = new ArrayList<>(List.of(t.inputIds(), t.attentionMask()));
    String types = t.tokenTypeIds();
    if (types == null && model.input("token_type_ids") != null) {
      types = "token_type_ids";
    }
    if (types != null) {
      out.add(types);
    }
    return out;
  }

  private static void checkText(
      ScoringSpec spec, ModelSignature model, InputSchema schema, Set<String> bound, List<Problem> p) {
    TextConfig t = spec.text();
    if (t == null) {
      return;
    }
    List<String> names = textInputs(t, model);
    String[] keys = {"text.inputIds", "text.attentionMask", "text.tokenTypeIds"};
    for (int i = 0; i < names.size(); i++) {
      String n = names.get(i);
      bound.add(n);
      ValueInfo in = model.input(n);
      if (in == null) {
        p.add(new Problem(keys[i], "the model has no input '" + n + "'"
            + Suggest.didYouMean(n, model.inputs().keySet()) + "; its inputs: " + model.inputs().values()));
      } else if (!in.isTensor() || in.rank() != 2
          || !(in.elementType() == ElementType.INT64 || in.elementType() == ElementType.INT32)) {
        p.add(new Problem(keys[i], "model input '" + n + "' is " + in.typeString()
            + "; token inputs must be int64 or int32 [batch, sequence]"));
      }
    }
    java.nio.file.Path tok = spec.resolvedTokenizerPath();
    if (!t.tokenizer().isBlank() && !java.nio.file.Files.isRegularFile(tok)) {
      p.add(new Problem("text.tokenizer", "tokenizer file not found: " + tok));
    }
    if (schema != null) {
      ColumnType ct = schema.type(t.column());
      if (ct == null) {
        p.add(new Problem("text.column", "no column '" + t.column() + "' in the input"
            + Suggest.didYouMean(t.column(), schema.columns().keySet())));
      } else if (!ct.equals(ColumnType.scalar(ElementType.STRING))) {
        p.add(new Problem("text.column", "column '" + t.column() + "' is " + ct + "; a text column is string"));
      }
    }
  }

  private static void checkInputs(
      ScoringSpec spec, ModelSignature model, InputSchema schema, List<Problem> p) {
    Set<String> bound = new HashSet<>();
    checkText(spec, model, schema, bound, p);
    for (int i = 0; i < spec.inputs().size(); i++) {
      InputBinding b = spec.inputs().get(i);
      String at = "inputs[" + i + "]";
      bound.add(b.input());
      ValueInfo in = model.input(b.input());
      if (in == null) {
        p.add(
            new Problem(
                at + ".input",
                "the model has no input '"
                    + b.input()
                    + "'"
                    + Suggest.didYouMean(b.input(), model.inputs().keySet())
                    + "; its inputs: "
                    + model.inputs().values()));
        continue;
      }
      if (!in.isTensor() || !in.elementType().isScorable()) {
        p.add(
            new Problem(
                at + ".input",
                "model input '"
                    + in.name()
                    + "' is "
                    + in.typeString()
                    + ", which batchscore cannot feed (float, double, int64, int32, bool or"
                    + " string tensors)"));
        continue;
      }
      checkBinding(b, at, in, schema, p);
    }
    for (ValueInfo in : model.inputs().values()) {
      if (!bound.contains(in.name())) {
        p.add(
            new Problem(
                "inputs",
                "model input '"
                    + in.name()
                    + "' ("
                    + in.typeString()
                    + ") has no binding; add {input: "
                    + in.name()
                    + ", columns: [...]}"));
      }
    }
  }

  /** Values per row the model input needs after the batch dimension, or -1 when dynamic. */
  static long expectedPerRow(InputBinding b, ValueInfo in) {
    int[] shape = b.shape();
    if (shape != null) {
      long n = 1;
      for (int d : shape) {
        n *= d;
      }
      return n;
    }
    return in.elementsPerRow();
  }

  private static void checkBinding(
      InputBinding b, String at, ValueInfo in, InputSchema schema, List<Problem> p) {
    int[] shape = b.shape();
    if (shape != null) {
      if (shape.length != in.rank() - 1) {
        p.add(
            new Problem(
                at + ".shape",
                "shape "
                    + Arrays.toString(shape)
                    + " has "
                    + shape.length
                    + " dimensions; model input '"
                    + in.name()
                    + "' "
                    + in.shapeString()
                    + " has "
                    + (in.rank() - 1)
                    + " after the batch dimension"));
      } else {
        for (int d = 0; d < shape.length; d++) {
          long m = in.dim(d + 1);
          if (m >= 0 && m != shape[d]) {
            p.add(
                new Problem(
                    at + ".shape",
                    "dimension "
                        + (d + 1)
                        + " is "
                        + shape[d]
                        + " but model input '"
                        + in.name()
                        + "' "
                        + in.shapeString()
                        + " fixes it at "
                        + m));
          }
        }
      }
    }
    long expected = expectedPerRow(b, in);
    if (in.rank() == 0) {
      p.add(
          new Problem(
              at + ".input",
              "model input '" + in.name() + "' is a scalar with no batch dimension"));
      return;
    }
    if (b.fromColumnList()) {
      int k = b.columns().size();
      if (expected >= 0 && expected != k) {
        p.add(
            new Problem(
                at + ".columns",
                k
                    + " columns given but model input '"
                    + in.name()
                    + "' "
                    + in.typeString()
                    + " takes "
                    + expected
                    + " values per row"));
      } else if (expected < 0 && in.rank() > 2) {
        p.add(
            new Problem(
                at + ".shape",
                "model input '"
                    + in.name()
                    + "' "
                    + in.shapeString()
                    + " has dynamic dimensions; give 'shape' for the dimensions after the batch"));
      }
    } else if (expected < 0 && in.rank() > 2) {
      p.add(
          new Problem(
              at + ".shape",
              "model input '"
                  + in.name()
                  + "' "
                  + in.shapeString()
                  + " has dynamic dimensions after the batch; give 'shape' to reshape column '"
                  + b.columns().get(0)
                  + "'"));
    }
    if (schema == null) {
      return;
    }
    for (int j = 0; j < b.columns().size(); j++) {
      String col = b.columns().get(j);
      String where = b.fromColumnList() ? at + ".columns[" + j + "]" : at + ".column";
      ColumnType t = schema.type(col);
      if (t == null) {
        p.add(
            new Problem(
                where,
                "no column '"
                    + col
                    + "' in the input"
                    + Suggest.didYouMean(col, schema.columns().keySet())));
        continue;
      }
      if (b.fromColumnList() && !t.isScalar()) {
        p.add(
            new Problem(
                where,
                "column '"
                    + col
                    + "' is "
                    + t
                    + "; a 'columns' list takes scalar columns (use 'column' for an array)"));
        continue;
      }
      if (t.isMap()) {
        p.add(new Problem(where, "column '" + col + "' is " + t + "; maps cannot feed a model"));
        continue;
      }
      if (!convertible(t.element(), in.elementType())) {
        p.add(
            new Problem(
                where,
                "column '"
                    + col
                    + "' is "
                    + t
                    + " but model input '"
                    + in.name()
                    + "' expects "
                    + in.elementType()
                    + " ("
                    + acceptedFor(in.elementType())
                    + ")"));
        continue;
      }
      if (!b.fromColumnList()) {
        long width = t.isScalar() ? 1 : t.width();
        if (width >= 0 && expected >= 0 && width != expected) {
          p.add(
              new Problem(
                  where,
                  "column '"
                      + col
                      + "' holds "
                      + width
                      + " values per row but model input '"
                      + in.name()
                      + "' "
                      + in.typeString()
                      + " takes "
                      + expected));
        }
        if (t.isScalar() && expected < 0) {
          p.add(
              new Problem(
                  where,
                  "scalar column '"
                      + col
                      + "' cannot fill the dynamic dimensions of '"
                      + in.name()
                      + "' "
                      + in.shapeString()));
        }
      }
    }
  }

  /** Whether a column element type can feed a tensor of the given type. */
  public static boolean convertible(ElementType column, ElementType tensor) {
    switch (tensor) {
      case FLOAT:
      case DOUBLE:
        return column.isNumeric();
      case INT64:
      case INT32:
        return column == ElementType.INT64 || column == ElementType.INT32;
      case BOOL:
        return column == ElementType.BOOL;
      case STRING:
        return column == ElementType.STRING;
      default:
        return false;
    }
  }

  private static String acceptedFor(ElementType tensor) {
    switch (tensor) {
      case FLOAT:
      case DOUBLE:
        return "from float, double, int32 or int64 columns";
      case INT64:
      case INT32:
        return "from int32 or int64 columns";
      default:
        return "from " + tensor + " columns";
    }
  }

  /**
   * The columns a spec writes for a model, in order (passthrough not included), recording
   * problems for outputs that do not fit.
   */
  public static List<OutputColumn> outputColumns(
      ScoringSpec spec, ModelSignature model, List<Problem> p) {
    List<OutputColumn> out = new ArrayList<>();
    for (int i = 0; i < spec.outputs().size(); i++) {
      OutputBinding o = spec.outputs().get(i);
      String at = "outputs[" + i + "]";
      ValueInfo v = model.output(o.output());
      if (v == null) {
        p.add(
            new Problem(
                at + ".output",
                "the model has no output '"
                    + o.output()
                    + "'"
                    + Suggest.didYouMean(o.output(), model.outputs().keySet())
                    + "; its outputs: "
                    + model.outputs().values()));
        continue;
      }
      boolean map = v.kind() == ValueInfo.Kind.SEQUENCE_OF_MAPS;
      if (!(v.isTensor() || map) || !v.elementType().isScorable()) {
        p.add(
            new Problem(
                at + ".output",
                "model output '" + o.output() + "' is " + v.typeString() + ", which batchscore cannot read"));
        continue;
      }
      long classes = map ? -1 : (v.rank() == 2 ? v.dim(1) : -1);
      List<String> labels = resolveLabels(o, model, at, p);
      if (labels != null && classes >= 0 && labels.size() != classes) {
        p.add(
            new Problem(
                at + ".labels",
                labels.size() + " labels for " + classes + " classes of '" + o.output() + "'"));
      }
      boolean numeric = v.elementType().isFloatingPoint();
      boolean classScores = map || (v.isTensor() && v.rank() == 2 && numeric);
      String problem = null;
      ColumnType type;
      switch (o.transform()) {
        case NONE:
          if (map) {
            type = ColumnType.map(v.keyType(), v.elementType());
          } else if (v.rank() <= 1) {
            type = ColumnType.scalar(v.elementType());
          } else {
            long w = v.elementsPerRow();
            type = ColumnType.array(v.elementType(), (int) w);
          }
          break;
        case SOFTMAX:
          if (map || !(numeric && v.rank() == 2)) {
            problem = "softmax needs a float or double tensor [N, classes]";
          }
          type = ColumnType.array(ElementType.FLOAT, (int) classes);
          break;
        case ARGMAX:
          if (!classScores) {
            problem = "argmax needs class scores: a float tensor [N, classes] or a ZipMap output";
          }
          type = ColumnType.scalar(labelType(labels, map, v));
          break;
        case TOP_K:
          if (!classScores) {
            problem = "top_k needs class scores: a float tensor [N, classes] or a ZipMap output";
          } else if (classes >= 0 && o.k() > classes) {
            problem = "k = " + o.k() + " but '" + o.output() + "' has " + classes + " classes";
          } else if (labels != null && o.k() > labels.size()) {
            problem = "k = " + o.k() + " but only " + labels.size() + " labels are given";
          }
          type = ColumnType.array(labelType(labels, map, v), o.k());
          break;
        case MEAN_POOLING:
        case CLS_POOLING:
          if (map || !(v.elementType() == ElementType.FLOAT && v.rank() == 3)) {
            problem = o.transform().specName() + " needs token vectors: a float tensor [N, seq, hidden]";
          } else if (spec.text() == null && o.transform() == Transform.MEAN_POOLING) {
            problem = "mean_pooling needs the attention mask of a text input (a 'text' section)";
          }
          type = ColumnType.array(ElementType.FLOAT, v.rank() == 3 ? (int) v.dim(2) : -1);
          break;
        case POSITIVE_CLASS:
          if (!classScores) {
            problem =
                "positive_class needs class scores: a float tensor [N, classes] or a ZipMap output";
          } else if (!map) {
            problem = checkClassIndex(o.positiveClassOrDefault(), classes);
          } else if (v.keyType() == ElementType.INT64) {
            problem = checkLong(o.positiveClassOrDefault());
          }
          type = ColumnType.scalar(ElementType.FLOAT);
          break;
        default:
          throw new IllegalStateException(o.transform().toString());
      }
      if (problem == null && o.normalize() && !(type.isArray() && type.element() == ElementType.FLOAT)) {
        problem = "normalize needs a float vector per row";
      }
      if (problem != null) {
        p.add(new Problem(at + ".transform", problem + "; '" + o.output() + "' is " + v.typeString()));
        continue;
      }
      out.add(new OutputColumn(o.column(), type, o, false, labels));
      if (o.transform() == Transform.TOP_K && o.scoresColumn() != null) {
        out.add(
            new OutputColumn(
                o.scoresColumn(), ColumnType.array(ElementType.FLOAT, o.k()), o, true, labels));
      }
    }
    return out;
  }

  private static ElementType labelType(List<String> labels, boolean map, ValueInfo v) {
    if (labels != null) {
      return ElementType.STRING;
    }
    return map ? v.keyType() : ElementType.INT64;
  }

  private static String checkClassIndex(String positive, long classes) {
    try {
      int idx = Integer.parseInt(positive);
      if (idx < 0 || (classes >= 0 && idx >= classes)) {
        return "positiveClass " + idx + " is not a class index below " + classes;
      }
      return null;
    } catch (NumberFormatException e) {
      return "positiveClass '" + positive + "' must be a class index for a tensor output";
    }
  }

  private static String checkLong(String positive) {
    try {
      Long.parseLong(positive);
      return null;
    } catch (NumberFormatException e) {
      return "positiveClass '" + positive + "' must be an int64 key of the ZipMap";
    }
  }

  private static List<String> resolveLabels(
      OutputBinding o, ModelSignature model, String at, List<Problem> p) {
    if (o.labels() != null) {
      return o.labels();
    }
    if (o.labelsFromMetadata() == null) {
      return null;
    }
    String v = model.metadata().custom().get(o.labelsFromMetadata());
    if (v == null) {
      p.add(
          new Problem(
              at + ".labels.metadata",
              "the model's metadata has no key '"
                  + o.labelsFromMetadata()
                  + "'; its keys: "
                  + model.metadata().custom().keySet()));
      return null;
    }
    List<String> out = new ArrayList<>();
    for (String s : v.split(",", -1)) {
      out.add(s.trim());
    }
    return out;
  }
}
