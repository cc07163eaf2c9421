package io.batchscore.core.column;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Names and types of the columns a scorer will be given, known before any data is read (from a
 * Parquet footer, a CSV header, a Spark schema). A spec is bound to it ({@code ScoringPlan.bind}).
 *
 * <p>Besides the columns a reader can hand to a model ({@link Builder#add}), a schema may list
 * columns it has but cannot feed to a model ({@link Builder#addOther}): a Spark timestamp or
 * struct, which the job can still copy to its output, or a Parquet type a reader cannot read at
 * all. A spec that names one of those gets a problem that says so, instead of "no column".
 */
public final class InputSchema implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Map<String, ColumnType> columns;
  private final Map<String, Other> others;

  /** A column the reader has but cannot hand to a model. */
  private record Other(String type, boolean passthrough) implements Serializable {}

  private InputSchema(Map<String, ColumnType> columns, Map<String, Other> others) {
    this.columns = Collections.unmodifiableMap(columns);
    this.others = Collections.unmodifiableMap(others);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The columns a reader can hand to a model, with their types, in column order. */
  public Map<String, ColumnType> columns() {
    return columns;
  }

  /** The column's type, or null when the schema has no such column a model can take. */
  public ColumnType type(String column) {
    return columns.get(column);
  }

  /** Whether the input has the column at all, whether or not a model can take it. */
  public boolean has(String column) {
    return columns.containsKey(column) || others.containsKey(column);
  }

  /** Every column name: those a model can take, then the others. */
  public Set<String> names() {
    Map<String, Boolean> all = new LinkedHashMap<>();
    columns.keySet().forEach(c -> all.put(c, true));
    others.keySet().forEach(c -> all.put(c, true));
    return Collections.unmodifiableSet(all.keySet());
  }

  /**
   * The type, as the source names it, of a column the input has but a model cannot take; null for
   * the other columns.
   */
  public String otherType(String column) {
    Other o = others.get(column);
    return o == null ? null : o.type();
  }

  /** Whether a column can be copied to the output unchanged (passthrough). */
  public boolean canPassThrough(String column) {
    Other o = others.get(column);
    return o == null ? columns.containsKey(column) : o.passthrough();
  }

  @Override
  public String toString() {
    return others.isEmpty() ? columns.toString() : columns + " and " + others.keySet();
  }

  /** Builds a schema in column order. */
  public static final class Builder {
    private final Map<String, ColumnType> columns = new LinkedHashMap<>();
    private final Map<String, Other> others = new LinkedHashMap<>();

    private Builder() {}

    /** A column a model can take. */
    public Builder add(String name, ColumnType type) {
      others.remove(name);
      columns.put(name, type);
      return this;
    }

    /**
     * A column the input has but no model can take.
     *
     * @param type its type as the source names it, for messages ({@code timestamp}, {@code INT96})
     * @param passthrough whether the caller can still copy it to the output unchanged
     */
    public Builder addOther(String name, String type, boolean passthrough) {
      if (!columns.containsKey(name)) {
        others.put(name, new Other(type, passthrough));
      }
      return this;
    }

    public InputSchema build() {
      return new InputSchema(new LinkedHashMap<>(columns), new LinkedHashMap<>(others));
    }
  }
}
