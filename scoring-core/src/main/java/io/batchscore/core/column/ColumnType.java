package io.batchscore.core.column;

import java.io.Serializable;
import java.util.Objects;

/**
 * The type of a column: a scalar, an array of scalars (with a fixed width when known), or a map
 * from scalar keys to scalar values.
 */
public final class ColumnType implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The shape of a column's values. */
  public enum Kind {
    SCALAR,
    ARRAY,
    MAP
  }

  /** Width of an array column whose rows may differ in length or whose width is not known. */
  public static final int VARIABLE_WIDTH = -1;

  private final Kind kind;
  private final ElementType element;
  private final ElementType keyType;
  private final int width;

  private ColumnType(Kind kind, ElementType element, ElementType keyType, int width) {
    this.kind = Objects.requireNonNull(kind);
    this.element = Objects.requireNonNull(element);
    this.keyType = keyType;
    this.width = width;
  }

  private static final ColumnType[] SCALARS = new ColumnType[ElementType.values().length];

  static {
    for (ElementType e : ElementType.values()) {
      SCALARS[e.ordinal()] = new ColumnType(Kind.SCALAR, e, null, 0);
    }
  }

  public static ColumnType scalar(ElementType element) {
    return SCALARS[element.ordinal()];
  }

  public static ColumnType array(ElementType element) {
    return new ColumnType(Kind.ARRAY, element, null, VARIABLE_WIDTH);
  }

  public static ColumnType array(ElementType element, int width) {
    return new ColumnType(Kind.ARRAY, element, null, width);
  }

  public static ColumnType map(ElementType keyType, ElementType valueType) {
    return new ColumnType(Kind.MAP, valueType, Objects.requireNonNull(keyType), 0);
  }

  public Kind kind() {
    return kind;
  }

  /** The scalar type, the array's element type, or the map's value type. */
  public ElementType element() {
    return element;
  }

  /** The map's key type; null for scalars and arrays. */
  public ElementType keyType() {
    return keyType;
  }

  /** The fixed width of an array column, or {@link #VARIABLE_WIDTH}. */
  public int width() {
    return width;
  }

  public boolean isScalar() {
    return kind == Kind.SCALAR;
  }

  public boolean isArray() {
    return kind == Kind.ARRAY;
  }

  public boolean isMap() {
    return kind == Kind.MAP;
  }

  /** The same type with the width forgotten (for comparisons that do not care about width). */
  public ColumnType withoutWidth() {
    return kind == Kind.ARRAY ? array(element) : this;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ColumnType)) {
      return false;
    }
    ColumnType t = (ColumnType) o;
    return kind == t.kind && element == t.element && keyType == t.keyType && width == t.width;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, element, keyType, width);
  }

  @Override
  public String toString() {
    switch (kind) {
      case ARRAY:
        return "array<" + element + ">" + (width >= 0 ? "[" + width + "]" : "");
      case MAP:
        return "map<" + keyType + "," + element + ">";
      default:
        return element.toString();
    }
  }
}
