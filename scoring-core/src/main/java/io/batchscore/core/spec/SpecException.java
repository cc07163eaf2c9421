package io.batchscore.core.spec;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A scoring spec is wrong: it cannot be parsed, or it does not fit the model or the input schema.
 * Carries every problem found, not just the first.
 */
public class SpecException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String origin;
  private final transient List<Problem> problems;

  public SpecException(String origin, List<Problem> problems) {
    super(format(origin, problems));
    this.origin = origin;
    this.problems = List.copyOf(problems);
  }

  public SpecException(String origin, String message) {
    this(origin, List.of(new Problem("", message)));
  }

  private static String format(String origin, List<Problem> problems) {
    String head =
        "spec "
            + origin
            + " has "
            + problems.size()
            + (problems.size() == 1 ? " problem" : " problems");
    return head + ":\n" + problems.stream().map(p -> "  - " + p).collect(Collectors.joining("\n"));
  }

  /** Where the spec came from (a file path, or a description). */
  public String origin() {
    return origin;
  }

  public List<Problem> problems() {
    return problems;
  }
}
