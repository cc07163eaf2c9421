package io.batchscore.core.monitor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How a current profile moved from a reference one: a {@link ColumnDrift} per column the two share,
 * and the run's status, the worst of its columns'.
 */
public final class DriftReport {
  private final List<ColumnDrift> columns;
  private final DriftStatus status;

  DriftReport(List<ColumnDrift> columns) {
    this.columns = List.copyOf(columns);
    DriftStatus s = DriftStatus.OK;
    for (ColumnDrift c : columns) {
      s = s.worst(c.status());
    }
    this.status = s;
  }

  /** Each column, in the current profile's order. */
  public List<ColumnDrift> columns() {
    return columns;
  }

  /** The columns by severity: drift first, then warn, then ok; by PSI within a status. */
  public List<ColumnDrift> bySeverity() {
    List<ColumnDrift> out = new ArrayList<>(columns);
    out.sort(
        Comparator.comparing((ColumnDrift c) -> c.status().ordinal())
            .reversed()
            .thenComparing(c -> -(Double.isNaN(c.metric("psi")) ? 0 : c.metric("psi"))));
    return out;
  }

  /** The named column, or null. */
  public ColumnDrift column(String name) {
    for (ColumnDrift c : columns) {
      if (c.column().equals(name)) {
        return c;
      }
    }
    return null;
  }

  /** The worst status of any column. */
  public DriftStatus status() {
    return status;
  }

  /**
   * The comparison as JSON: {@code {"status": ..., "columns": {name: {role, kind, status, metrics:
   * {...}, reasons: [...]}}}}, the form the run reports use.
   */
  public String toJson() {
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    com.fasterxml.jackson.databind.node.ObjectNode s = json.createObjectNode();
    s.put("status", status.label());
    com.fasterxml.jackson.databind.node.ObjectNode cols = s.putObject("columns");
    for (ColumnDrift c : columns) {
      com.fasterxml.jackson.databind.node.ObjectNode n = cols.putObject(c.column());
      n.put("role", c.role().name().toLowerCase(java.util.Locale.ROOT));
      n.put("kind", c.kind().name().toLowerCase(java.util.Locale.ROOT));
      n.put("status", c.status().label());
      com.fasterxml.jackson.databind.node.ObjectNode m = n.putObject("metrics");
      c.metrics()
          .forEach(
              (k, v) -> {
                if (!Double.isNaN(v)) {
                  m.put(k, v);
                }
              });
      c.reasons().forEach(n.putArray("reasons")::add);
    }
    try {
      return json.writeValueAsString(s);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** How many columns have a status. */
  public long count(DriftStatus s) {
    return columns.stream().filter(c -> c.status() == s).count();
  }
}
