package io.batchscore.core.monitor;

import java.util.Locale;

/** How far a column, or a run, has moved from its reference. Ordered: the worst is the last. */
public enum DriftStatus {
  /** Within every threshold. */
  OK,
  /** Past a warning threshold. */
  WARN,
  /** Past a drift threshold. */
  DRIFT;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The worse of two statuses. */
  public DriftStatus worst(DriftStatus other) {
    return other.ordinal() > ordinal() ? other : this;
  }

  public static DriftStatus parse(String s) {
    return valueOf(s.trim().toUpperCase(Locale.ROOT));
  }
}
