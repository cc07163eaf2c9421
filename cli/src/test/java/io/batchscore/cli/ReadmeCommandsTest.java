package io.batchscore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.batchscore.core.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every {@code bin/batchscore} command in the README's code blocks: each one's options are accepted
 * by the command line it documents, and each one whose inputs are in the repository (the sample)
 * runs and exits 0, its outputs written to a temporary folder. Commands that start Spark ({@code
 * run}, {@code schedule}) are only parsed here: the job's own tests and {@code LauncherIT} run
 * them.
 */
class ReadmeCommandsTest {
  @TempDir Path tmp;

  private static final Set<String> PARSE_ONLY = Set.of("run", "schedule");

  /**
   * The README's {@code bin/batchscore} commands, as shell words (comments dropped): lines ending
   * in a backslash continue on the next, and leading {@code NAME=value} environment settings are
   * dropped.
   */
  static List<List<String>> commands() throws Exception {
    List<List<String>> out = new ArrayList<>();
    boolean inBlock = false;
    StringBuilder pending = null;
    for (String line : Files.readAllLines(TestData.repoRoot().resolve("README.md"))) {
      if (line.startsWith("```")) {
        inBlock = !inBlock && line.startsWith("```bash");
        pending = null;
        continue;
      }
      if (!inBlock) {
        continue;
      }
      String t = line.trim();
      pending = pending == null ? new StringBuilder(t) : pending.append(' ').append(t);
      if (t.endsWith("\\")) {
        pending.setLength(pending.length() - 1);
        continue;
      }
      List<String> w = new ArrayList<>(words(pending.toString()));
      pending = null;
      while (!w.isEmpty() && w.get(0).matches("[A-Za-z_][A-Za-z0-9_]*=.*")) {
        w.remove(0);
      }
      if (w.size() > 1 && w.get(0).equals("bin/batchscore")) {
        out.add(w);
      }
    }
    return out;
  }

  /** Shell words: double and single quotes, backslash escapes, a comment after blank space. */
  static List<String> words(String line) {
    List<String> w = new ArrayList<>();
    StringBuilder cur = null;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote == 0 && c == '#' && cur == null) {
        break;
      }
      if (quote == 0 && Character.isWhitespace(c)) {
        if (cur != null) {
          w.add(cur.toString());
          cur = null;
        }
        continue;
      }
      if (cur == null) {
        cur = new StringBuilder();
      }
      if (c == '\\' && quote != '\'' && i + 1 < line.length()) {
        cur.append(line.charAt(++i));
      } else if (quote == 0 && (c == '"' || c == '\'')) {
        quote = c;
      } else if (c == quote) {
        quote = 0;
      } else {
        cur.append(c);
      }
    }
    if (cur != null) {
      w.add(cur.toString());
    }
    return w;
  }

  @Test
  void everyDocumentedCommandParsesAndEveryOneOnTheSampleRuns() throws Exception {
    List<List<String>> commands = commands();
    assertTrue(commands.size() >= 10, commands.size() + " commands found in the README");
    Path root = TestData.repoRoot();
    int ran = 0;
    for (List<String> cmd : commands) {
      List<String> args = new ArrayList<>(cmd.subList(1, cmd.size()));
      String shown = String.join(" ", cmd);
      // Options exist and take what the README gives them.
      CommandLine.ParseResult parsed;
      try {
        parsed = Main.commandLine().parseArgs(args.toArray(new String[0]));
      } catch (CommandLine.ParameterException e) {
        throw new AssertionError("the README's `" + shown + "`: " + e.getMessage(), e);
      }
      assertTrue(parsed.hasSubcommand(), shown);
      if (PARSE_ONLY.contains(args.get(0))) {
        continue;
      }
      // Inputs from the repository, outputs into a temporary folder; run it if every input is here.
      boolean runnable = true;
      List<String> mapped = new ArrayList<>();
      for (int i = 0; i < args.size(); i++) {
        String a = args.get(i);
        String prev = i > 0 ? args.get(i - 1) : "";
        boolean output = Set.of("-o", "--output", "--report-dir").contains(prev);
        if (output) {
          mapped.add(tmp.resolve(a).toString()); // never into the repository
        } else if (a.startsWith("-") || i == 0 || !(a.contains("/") || a.contains("."))) {
          mapped.add(a);
        } else if (Files.exists(root.resolve(a))) {
          mapped.add(root.resolve(a).toString());
        } else {
          runnable = false;
          break;
        }
      }
      if (!runnable) {
        continue;
      }
      for (int i = 1; i < mapped.size(); i++) {
        if (Set.of("-o", "--output", "--report-dir").contains(mapped.get(i - 1))) {
          assertTrue(Path.of(mapped.get(i)).startsWith(tmp), "outputs go to the temporary folder");
        }
      }
      CliRunner.Result r = CliRunner.run(mapped.toArray(new String[0]));
      assertEquals(0, r.code(), "the README's `" + shown + "`:\n" + r.err());
      ran++;
    }
    assertTrue(ran >= 4, ran + " README commands ran on the sample");
  }

  @Test
  void shellWordsAreSplitAsTheShellWould() {
    assertEquals(
        List.of("bin/batchscore", "schedule", "--cron", "0 3 * * *", "--input", "ds=${run_date}"),
        words("bin/batchscore schedule --cron \"0 3 * * *\" --input \"ds=\\${run_date}\" # x"));
    assertEquals(List.of("a", "f{0..29}"), words("a \"f{0..29}\""));
  }
}
