package io.batchscore.core.column;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A batch of rows held as named columns of equal size. This is the scorer's unit of work: rows are
 * never objects on the hot path.
 */
public final class ColumnBatch {
  private final int rowCount;
  private final Map<String, Column> columns;

  private ColumnBatch(int rowCount, Map<String, Column> columns) {
    this.rowCount = rowCount;
    this.columns = Collections.unmodifiableMap(columns);
  }

  public static Builder builder(int rowCount) {
    return new Builder(rowCount);
  }

  public int rowCount() {
    return rowCount;
  }

  /** The columns in insertion order. */
  public Map<String, Column> columns() {
    return columns;
  }

  public Set<String> names() {
    return columns.keySet();
  }

  /** The named column, or null. */
  public Column column(String name) {
    return columns.get(name);
  }

  /** The schema of this batch: each column's name and type. */
  public InputSchema schema() {
    InputSchema.Builder b = InputSchema.builder();
    columns.forEach((n, c) -> b.add(n, c.type()));
    return b.build();
  }

  /** Builds a batch; every column must have {@code rowCount} rows. */
  public static final class Builder {
    private final int rowCount;
    private final Map<String, Column> columns = new LinkedHashMap<>();

    private Builder(int rowCount) {
      this.rowCount = rowCount;
    }

    public Builder add(String name, Column column) {
      if (column.size() != rowCount) {
        throw new IllegalArgumentException(
            "column '" + name + "' has " + column.size() + " rows, the batch has " + rowCount);
      }
      if (columns.put(name, column) != null) {
        throw new IllegalArgumentException("column '" + name + "' added twice");
      }
      return this;
    }

    public ColumnBatch build() {
      return new ColumnBatch(rowCount, new LinkedHashMap<>(columns));
    }
  }
}
