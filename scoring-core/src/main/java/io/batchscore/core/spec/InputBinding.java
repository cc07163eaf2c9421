package io.batchscore.core.spec;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * How columns feed one model input: several scalar columns assembled in order into {@code [N, k]},
 * or one column (scalar, or an array reshaped into the input's shape).
 *
 * @param input the model input's name
 * @param columns the columns, in order; one entry when fed from a single column
 * @param fromColumnList true when the spec gave {@code columns:} (a list), false for {@code
 *     column:}
 * @param shape the per-row shape to reshape into (dimensions after the batch), or null to take it
 *     from the model
 */
public record InputBinding(String input, List<String> columns, boolean fromColumnList, int[] shape)
    implements Serializable {
  public InputBinding {
    columns = List.copyOf(columns);
    shape = shape == null ? null : shape.clone();
  }

  public static InputBinding ofColumns(String input, List<String> columns) {
    return new InputBinding(input, columns, true, null);
  }

  public static InputBinding ofColumn(String input, String column) {
    return new InputBinding(input, List.of(column), false, null);
  }

  public InputBinding withShape(int... perRowShape) {
    return new InputBinding(input, columns, fromColumnList, perRowShape);
  }

  @Override
  public int[] shape() {
    return shape == null ? null : shape.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InputBinding b
        && input.equals(b.input)
        && columns.equals(b.columns)
        && fromColumnList == b.fromColumnList
        && Arrays.equals(shape, b.shape);
  }

  @Override
  public int hashCode() {
    return input.hashCode() * 31 + columns.hashCode() + Arrays.hashCode(shape);
  }
}
