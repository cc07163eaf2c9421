package io.batchscore.core.column;

import java.util.Locale;

/**
 * Element types of tensors and columns. The first six are the ones batchscore scores with; the rest
 * are reported when a model is inspected and refused with a clear message when a spec tries to feed
 * or read them.
 */
public enum ElementType {
  FLOAT("float", 4),
  DOUBLE("double", 8),
  INT64("int64", 8),
  INT32("int32", 4),
  BOOL("bool", 1),
  STRING("string", 0),
  INT8("int8", 1),
  UINT8("uint8", 1),
  INT16("int16", 2),
  FLOAT16("float16", 2),
  BFLOAT16("bfloat16", 2),
  UNKNOWN("unknown", 0);

  private final String displayName;
  private final int byteSize;

  ElementType(String displayName, int byteSize) {
    this.displayName = displayName;
    this.byteSize = byteSize;
  }

  /** Bytes per element in a tensor buffer; 0 for strings and unknown types. */
  public int byteSize() {
    return byteSize;
  }

  /** True for the types batchscore can feed to a model and read back. */
  public boolean isScorable() {
    return ordinal() <= STRING.ordinal();
  }

  /** True for float, double, int64 and int32. */
  public boolean isNumeric() {
    return this == FLOAT || this == DOUBLE || this == INT64 || this == INT32;
  }

  public boolean isFloatingPoint() {
    return this == FLOAT || this == DOUBLE;
  }

  /** Parses a display name such as {@code float} or {@code int64}; case-insensitive. */
  public static ElementType parse(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (ElementType t : values()) {
      if (t.displayName.equals(n)) {
        return t;
      }
    }
    switch (n) {
      case "float32":
        return FLOAT;
      case "float64":
        return DOUBLE;
      case "long":
        return INT64;
      case "int":
        return INT32;
      case "boolean":
        return BOOL;
      default:
        throw new IllegalArgumentException("unknown element type '" + name + "'");
    }
  }

  @Override
  public String toString() {
    return displayName;
  }
}
