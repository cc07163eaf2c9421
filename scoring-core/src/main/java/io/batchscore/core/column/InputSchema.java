package io.batchscore.core.column;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Names and types of the columns a scorer will be given, known before any data is read (from a
 * Parquet footer, a CSV header, a Spark schema). A spec is validated against it.
 */
public final class InputSchema {
  private final Map<String, ColumnType> columns;

  private InputSchema(Map<String, ColumnType> columns) {
    this.columns = Collections.unmodifiableMap(columns);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Map<String, ColumnType> columns() {
    return columns;
  }

  /** The column's type, or null when the schema has no such column. */
  public ColumnType type(String column) {
    return columns.get(column);
  }

  public boolean has(String column) {
    return columns.containsKey(column);
  }

  @Override
  public String toString() {
    return columns.toString();
  }

  /** Builds a schema in column order. */
  public static final class Builder {
    private final Map<String, ColumnType> columns = new LinkedHashMap<>();

    public Builder add(String name, ColumnType type) {
      columns.put(name, type);
      return this;
    }

    public InputSchema build() {
      return new InputSchema(new LinkedHashMap<>(columns));
    }
  }
}
