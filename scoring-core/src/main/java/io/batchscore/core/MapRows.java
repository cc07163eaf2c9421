package io.batchscore.core;

import java.util.Arrays;
import java.util.Map;

/** Helpers for the boxed maps of a ZipMap output. */
final class MapRows {
  private MapRows() {}

  /** The map's keys in natural order, so every row lists classes the same way. */
  static Object[] sortedKeys(Map<Object, Object> m) {
    Object[] keys = m.keySet().toArray();
    Arrays.sort(keys);
    return keys;
  }

  /** The value for a class given as text: a string key, or an int64 key written in decimal. */
  static Object lookup(Map<Object, Object> m, String cls) {
    Object v = m.get(cls);
    if (v == null) {
      try {
        v = m.get(Long.parseLong(cls));
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return v;
  }

  static void put(OutputWriter.Flat flat, Object value) {
    switch (flat.type) {
      case FLOAT:
        ((float[]) flat.data)[flat.size++] = ((Number) value).floatValue();
        break;
      case DOUBLE:
        ((double[]) flat.data)[flat.size++] = ((Number) value).doubleValue();
        break;
      case INT64:
        ((long[]) flat.data)[flat.size++] = ((Number) value).longValue();
        break;
      case INT32:
        ((int[]) flat.data)[flat.size++] = ((Number) value).intValue();
        break;
      default:
        ((String[]) flat.data)[flat.size++] = String.valueOf(value);
    }
  }
}
