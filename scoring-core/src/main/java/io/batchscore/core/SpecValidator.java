package io.batchscore.core;

import io.batchscore.core.column.ColumnType;
import io.batchscore.core.column.ElementType;
import io.batchscore.core.column.InputSchema;
import io.batchscore.core.model.ModelSignature;
import io.batchscore.core.model.ValueInfo;
import io.batchscore.core.spec.InputBinding;
import io.batchscore.core.spec.Problem;
import io.batchscore.core.spec.ScoringSpec;
import io.batchscore.core.spec.TextConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a spec against a model's signature and an input schema, before any data is read, and
 * reports every problem at once, by where it is in the spec. Only {@link ScoringPlan#bind} calls
 * it. The spec's own structure was checked when it was built; the outputs are planned by {@link
 * OutputPlanner}, the memory a batch needs by {@link BatchMemory}, and which column types feed
 * which tensors is {@link TypeRules}.
 */
final class SpecValidator {
  private SpecValidator() {}

  /** Every problem found, and the prediction columns of the outputs that fit. */
  record Validation(List<Problem> problems, List<OutputColumn> outputs) {}

  /**
   * Every problem of the spec against the model and, when given, the input's schema.
   *
   * @param schema the input's columns, or null to check against the model only
   * @param maxMemory the memory a batch is measured against (this JVM's maximum heap)
   */
  static Validation validate(
      ScoringSpec spec, ModelSignature model, InputSchema schema, long maxMemory) {
    List<Problem> p = new ArrayList<>();
    checkInputs(spec, model, schema, p);
    List<OutputColumn> outputs = OutputPlanner.plan(spec, model, p);
    BatchMemory.check(spec, model, maxMemory, p);
    if (schema != null) {
      for (int i = 0; i < spec.passthrough().size(); i++) {
        String c = spec.passthrough().get(i);
        String where = "passthrough[" + i + "]";
        if (!schema.has(c)) {
          p.add(new Problem(where, missing(c, schema)));
        } else if (!schema.canPassThrough(c)) {
          p.add(
              new Problem(
                  where,
                  "column '"
                      + c
                      + "' is "
                      + schema.otherType(c)
                      + ", which this input's reader cannot copy to the output"));
        }
      }
    }
    return new Validation(List.copyOf(p), List.copyOf(outputs));
  }

  /** Above this many missing columns in one binding, they are reported as one problem. */
  static final int MANY_MISSING = 5;

  /**
   * Reports a binding's missing columns as one problem when there are many (a spec for 784 pixel
   * columns on an input holding them as one array column would list 784 lines), naming the first
   * and last, and the input's array columns, which {@code column:} would feed instead. Returns
   * whether it did.
   */
  private static boolean manyMissing(
      InputBinding b, String at, InputSchema schema, List<Problem> p) {
    List<String> gone = b.columns().stream().filter(c -> !schema.has(c)).toList();
    if (gone.size() <= MANY_MISSING) {
      return false;
    }
    String shown = String.join(", ", gone.subList(0, 3)) + ", ... " + gone.get(gone.size() - 1);
    StringBuilder m =
        new StringBuilder(
            gone.size()
                + " of the "
                + b.columns().size()
                + " columns are not in the input ("
                + shown
                + ")");
    List<String> arrays =
        schema.names().stream()
            .filter(c -> schema.type(c) != null && schema.type(c).isArray())
            .toList();
    if (!arrays.isEmpty()) {
      m.append("; the input has array column");
      m.append(arrays.size() > 1 ? "s " : " ");
      for (int i = 0; i < arrays.size(); i++) {
        m.append(i > 0 ? ", " : "")
            .append('\'')
            .append(arrays.get(i))
            .append("' (")
            .append(schema.type(arrays.get(i)))
            .append(')');
      }
      m.append(", which 'column: ").append(arrays.get(0)).append("' feeds as one array");
    } else {
      List<String> names = new java.util.ArrayList<>(schema.names());
      m.append("; the input's columns are ")
          .append(
              names.size() > 10
                  ? names.subList(0, 10) + " and " + (names.size() - 10) + " more"
                  : names);
    }
    p.add(new Problem(at + ".columns", m.toString()));
    return true;
  }

  private static String missing(String column, InputSchema schema) {
    return "no column '" + column + "' in the input" + Problem.didYouMean(column, schema.names());
  }

  /**
   * Why a column the spec feeds to a model cannot be used, or null when the schema has it with a
   * type a model can take.
   */
  private static String unusable(String column, InputSchema schema) {
    if (!schema.has(column)) {
      return missing(column, schema);
    }
    if (schema.type(column) == null) {
      return "column '"
          + column
          + "' is "
          + schema.otherType(column)
          + ", which cannot feed a model (it takes numbers, booleans, strings and arrays of them)";
    }
    return null;
  }

  private static void checkText(
      ScoringSpec spec,
      ModelSignature model,
      InputSchema schema,
      Set<String> bound,
      List<Problem> p) {
    TextConfig t = spec.text();
    if (t == null) {
      return;
    }
    List<String> names = TextAssembler.textInputs(t, model);
    String[] keys = {"text.inputIds", "text.attentionMask", "text.tokenTypeIds"};
    for (int i = 0; i < names.size(); i++) {
      String n = names.get(i);
      bound.add(n);
      ValueInfo in = model.input(n);
      if (in == null) {
        p.add(
            new Problem(
                keys[i],
                "the model has no input '"
                    + n
                    + "'"
                    + Problem.didYouMean(n, model.inputs().keySet())
                    + "; its inputs: "
                    + model.inputs().values()));
      } else if (!in.isTensor()
          || in.rank() != 2
          || !(in.elementType() == ElementType.INT64 || in.elementType() == ElementType.INT32)) {
        p.add(
            new Problem(
                keys[i],
                "model input '"
                    + n
                    + "' is "
                    + in.typeString()
                    + "; token inputs must be int64 or int32 [batch, sequence]"));
      }
    }
    Path tok = spec.resolvedTokenizerPath();
    if (!t.tokenizer().isBlank() && !Files.isRegularFile(tok)) {
      p.add(new Problem("text.tokenizer", "tokenizer file not found: " + tok));
    }
    if (schema != null) {
      String why = unusable(t.column(), schema);
      ColumnType ct = schema.type(t.column());
      if (why != null) {
        p.add(new Problem("text.column", why));
      } else if (!ct.equals(ColumnType.scalar(ElementType.STRING))) {
        p.add(
            new Problem(
                "text.column",
                "column '" + t.column() + "' is " + ct + "; a text column is string"));
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
                    + Problem.didYouMean(b.input(), model.inputs().keySet())
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
                    + ", which batchscore cannot feed (float, double, int64, int32, bool or string tensors)"));
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

  private static void checkShape(InputBinding b, String at, ValueInfo in, List<Problem> p) {
    int[] shape = b.shape();
    if (shape == null) {
      return;
    }
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
      return;
    }
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

  private static void checkBinding(
      InputBinding b, String at, ValueInfo in, InputSchema schema, List<Problem> p) {
    checkShape(b, at, in, p);
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
    boolean listedOnce = manyMissing(b, at, schema, p);
    for (int j = 0; j < b.columns().size(); j++) {
      String col = b.columns().get(j);
      String where = b.fromColumnList() ? at + ".columns[" + j + "]" : at + ".column";
      if (listedOnce && !schema.has(col)) {
        continue;
      }
      String why = unusable(col, schema);
      if (why != null) {
        p.add(new Problem(where, why));
        continue;
      }
      ColumnType t = schema.type(col);
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
      if (!TypeRules.convertible(t.element(), in.elementType())) {
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
                    + TypeRules.acceptedFor(in.elementType())
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
}
