package io.batchscore.core.spec;

import java.io.Serializable;
import java.util.List;

/**
 * How one model output becomes a column.
 *
 * @param output the model output's name
 * @param column the column to write
 * @param transform post-processing
 * @param labels class names by index (argmax and top_k), or null
 * @param labelsFromMetadata the model metadata key holding comma-separated class names, or null
 * @param k how many classes top_k keeps
 * @param positiveClass for positive_class: the class index or ZipMap key (default "1")
 * @param scoresColumn for top_k: the column that receives the top k scores, or null
 * @param normalize L2-normalise each row's vector (pooling, or a float array output)
 * @param keepShape with no transform, keep an output of one value per row declared as {@code [N,
 *     1]} as an array of length 1 (by default it is a scalar column)
 */
public record OutputBinding(
    String output,
    String column,
    Transform transform,
    List<String> labels,
    String labelsFromMetadata,
    int k,
    String positiveClass,
    String scoresColumn,
    boolean normalize,
    boolean keepShape)
    implements Serializable {
  public OutputBinding {
    labels = labels == null ? null : List.copyOf(labels);
    transform = transform == null ? Transform.NONE : transform;
  }

  public static OutputBinding of(String output, String column) {
    return new OutputBinding(
        output, column, Transform.NONE, null, null, 0, null, null, false, false);
  }

  public static OutputBinding of(String output, String column, Transform transform) {
    return new OutputBinding(output, column, transform, null, null, 0, null, null, false, false);
  }

  public OutputBinding withLabels(List<String> names) {
    return new OutputBinding(
        output,
        column,
        transform,
        names,
        labelsFromMetadata,
        k,
        positiveClass,
        scoresColumn,
        normalize,
        keepShape);
  }

  public OutputBinding withK(int topK, String scores) {
    return new OutputBinding(
        output,
        column,
        transform,
        labels,
        labelsFromMetadata,
        topK,
        positiveClass,
        scores,
        normalize,
        keepShape);
  }

  public OutputBinding withPositiveClass(String cls) {
    return new OutputBinding(
        output,
        column,
        transform,
        labels,
        labelsFromMetadata,
        k,
        cls,
        scoresColumn,
        normalize,
        keepShape);
  }

  public OutputBinding withNormalize(boolean n) {
    return new OutputBinding(
        output,
        column,
        transform,
        labels,
        labelsFromMetadata,
        k,
        positiveClass,
        scoresColumn,
        n,
        keepShape);
  }

  /** The same binding writing another column. */
  public OutputBinding withColumn(String name) {
    return new OutputBinding(
        output,
        name,
        transform,
        labels,
        labelsFromMetadata,
        k,
        positiveClass,
        scoresColumn,
        normalize,
        keepShape);
  }

  public OutputBinding withKeepShape(boolean keep) {
    return new OutputBinding(
        output,
        column,
        transform,
        labels,
        labelsFromMetadata,
        k,
        positiveClass,
        scoresColumn,
        normalize,
        keep);
  }

  /** The positive class for positive_class, "1" unless the spec says otherwise. */
  public String positiveClassOrDefault() {
    return positiveClass == null ? "1" : positiveClass;
  }
}
