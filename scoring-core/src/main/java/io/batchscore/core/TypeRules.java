package io.batchscore.core;

import io.batchscore.core.column.ElementType;

/**
 * Which column element types feed which tensor element types. Assembly converts as it copies
 * (double to float, int32 to int64, a range-checked int64 to int32); validation lets only these
 * pairs through.
 */
final class TypeRules {
  private TypeRules() {}

  /** Whether a column element type can feed a tensor of the given type. */
  static boolean convertible(ElementType column, ElementType tensor) {
    switch (tensor) {
      case FLOAT:
      case DOUBLE:
        return column.isNumeric();
      case INT64:
      case INT32:
        return column == ElementType.INT64 || column == ElementType.INT32;
      case BOOL:
        return column == ElementType.BOOL;
      case STRING:
        return column == ElementType.STRING;
      default:
        return false;
    }
  }

  /** The columns a tensor type is fed from, for messages. */
  static String acceptedFor(ElementType tensor) {
    switch (tensor) {
      case FLOAT:
      case DOUBLE:
        return "from float, double, int32 or int64 columns";
      case INT64:
      case INT32:
        return "from int32 or int64 columns";
      default:
        return "from " + tensor + " columns";
    }
  }
}
