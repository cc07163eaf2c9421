package io.batchscore.core;

import io.batchscore.core.column.ColumnType;
import io.batchscore.core.column.ElementType;
import io.batchscore.core.model.ModelSignature;
import io.batchscore.core.model.ValueInfo;
import io.batchscore.core.spec.OutputBinding;
import io.batchscore.core.spec.Problem;
import io.batchscore.core.spec.ScoringSpec;
import io.batchscore.core.spec.Transform;
import java.util.ArrayList;
import java.util.List;

/**
 * The prediction columns a spec's output bindings make from a model's outputs, with their types,
 * and the problems of those that do not fit (a transform the output cannot take, labels that do not
 * match its classes, a class the model does not have).
 */
final class OutputPlanner {
  private OutputPlanner() {}

  /**
   * The columns a spec writes for a model, in order (passthrough not included), recording problems
   * for outputs that do not fit.
   */
  static List<OutputColumn> plan(ScoringSpec spec, ModelSignature model, List<Problem> p) {
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
                    + Problem.didYouMean(o.output(), model.outputs().keySet())
                    + "; its outputs: "
                    + model.outputs().values()));
        continue;
      }
      boolean map = v.kind() == ValueInfo.Kind.SEQUENCE_OF_MAPS;
      if (!(v.isTensor() || map) || !v.elementType().isScorable()) {
        p.add(
            new Problem(
                at + ".output",
                "model output '"
                    + o.output()
                    + "' is "
                    + v.typeString()
                    + ", which batchscore cannot read"));
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
          } else if (v.rank() <= 1 || (oneValuePerRow(v) && !o.keepShape())) {
            // [N] and [N,1] (every scikit-learn regressor, many PyTorch heads): one value a row
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
            problem =
                o.transform().specName() + " needs token vectors: a float tensor [N, seq, hidden]";
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
      if (problem == null
          && o.normalize()
          && !(type.isArray() && type.element() == ElementType.FLOAT)) {
        problem = "normalize needs a float vector per row";
      }
      if (problem != null) {
        p.add(
            new Problem(
                at + ".transform", problem + "; '" + o.output() + "' is " + v.typeString()));
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

  /** A tensor output declared as [N, 1] (batch, then exactly one value per row). */
  static boolean oneValuePerRow(ValueInfo v) {
    return v.isTensor() && v.rank() == 2 && v.dim(1) == 1;
  }
}
