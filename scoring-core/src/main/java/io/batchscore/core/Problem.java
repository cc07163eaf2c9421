package io.batchscore.core;

/**
 * One thing wrong with a spec: where it is ({@code inputs[0].columns[3]}, {@code model.path}) and
 * what is wrong, with what was expected.
 */
public record Problem(String where, String message) {
  @Override
  public String toString() {
    return where.isEmpty() ? message : where + ": " + message;
  }
}
