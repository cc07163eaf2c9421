package io.batchscore.core.monitor;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The profile of a scored set of rows: a {@link ColumnProfile} per profiled column (the features a
 * spec binds and the predictions it writes), and the rows seen. Mergeable: profiles of any
 * partitioning of the rows merge into the profile of all of them, within the sketches' errors.
 * Memory is bounded by the columns, not the rows.
 *
 * <p>Made by a scorer while it scores ({@code BatchScorer.profile()}), read from and written to a
 * JSON file ({@link Profiles}), compared with another by {@link Drift}.
 */
public final class Profile implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Map<String, ColumnProfile> columns = new LinkedHashMap<>();

  /** Values the quantiles of a column added here sample per level ({@link SampledQuantiles}). */
  private int levelSize = SampledQuantiles.LEVEL;

  private long rows;

  /** An empty profile, to merge others into. */
  public Profile() {}

  /** Rows seen (scored or rejected). */
  public long rows() {
    return rows;
  }

  /** The profiled columns in order: features, then predictions. */
  public Map<String, ColumnProfile> columns() {
    return Collections.unmodifiableMap(columns);
  }

  /** The named column's profile, or null. */
  public ColumnProfile column(String name) {
    return columns.get(name);
  }

  public boolean isEmpty() {
    return rows == 0 && columns.isEmpty();
  }

  /** Adds another profile's rows to this one; returns this. */
  public Profile merge(Profile other) {
    rows += other.rows;
    for (ColumnProfile c : other.columns.values()) {
      ColumnProfile mine = columns.get(c.name());
      if (mine == null) {
        columns.put(c.name(), c.copy());
      } else {
        mine.merge(c);
      }
    }
    return this;
  }

  /** A copy that shares nothing with this profile. */
  public Profile copy() {
    return new Profile().merge(this);
  }

  void addRows(long n) {
    rows += n;
  }

  /** The column's profile, made the first time it is asked for. */
  Profile levelSize(int size) {
    this.levelSize = size;
    return this;
  }

  ColumnProfile column(
      String name, ColumnProfile.Kind kind, ColumnProfile.Role role, String measure) {
    return columns.computeIfAbsent(name, n -> new ColumnProfile(n, kind, role, measure, levelSize));
  }

  void put(ColumnProfile c) {
    columns.put(c.name(), c);
  }

  void setRows(long n) {
    rows = n;
  }

  @Override
  public String toString() {
    return "Profile(" + rows + " rows, " + columns.keySet() + ")";
  }
}
