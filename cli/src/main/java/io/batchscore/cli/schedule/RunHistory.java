package io.batchscore.cli.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The scheduler's run history: one JSON line per tick outcome ({@code ok}, {@code failed}, {@code
 * skipped}, {@code interrupted}), appended and flushed as each happens.
 */
public final class RunHistory {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path file;

  public RunHistory(Path file) {
    this.file = file;
  }

  public Path file() {
    return file;
  }

  /**
   * One entry.
   *
   * @param outcome ok, failed, drift (committed, and drifted under --fail-on-drift), skipped or
   *     interrupted
   * @param drift the run's drift status (ok, warn, drift), or null when it did not get that far
   */
  public record Entry(
      Instant tick,
      String runDate,
      String outcome,
      int exitCode,
      String message,
      Instant at,
      String drift) {
    public Entry(
        Instant tick, String runDate, String outcome, int exitCode, String message, Instant at) {
      this(tick, runDate, outcome, exitCode, message, at, null);
    }
  }

  public synchronized void append(Entry e) throws IOException {
    ObjectNode n = JSON.createObjectNode();
    n.put("tick", e.tick().toString());
    n.put("runDate", e.runDate());
    n.put("outcome", e.outcome());
    n.put("exitCode", e.exitCode());
    n.put("message", e.message());
    n.put("at", e.at().toString());
    if (e.drift() != null) {
      n.put("drift", e.drift());
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(
        file,
        JSON.writeValueAsString(n) + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND,
        StandardOpenOption.SYNC);
  }

  public List<Entry> read() throws IOException {
    List<Entry> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      try {
        JsonNode n = JSON.readTree(line);
        out.add(
            new Entry(
                Instant.parse(n.get("tick").asText()),
                n.get("runDate").asText(),
                n.get("outcome").asText(),
                n.get("exitCode").asInt(),
                n.get("message").asText(),
                Instant.parse(n.get("at").asText()),
                n.hasNonNull("drift") ? n.get("drift").asText() : null));
      } catch (IOException | RuntimeException torn) {
        // a line torn by a crash mid-write: ignore it
      }
    }
    return out;
  }

  /** The latest tick that was attempted (ok or failed), or null. */
  public Instant lastAttemptedTick() throws IOException {
    Instant last = null;
    for (Entry e : read()) {
      if ((e.outcome().equals("ok") || e.outcome().equals("failed") || e.outcome().equals("drift"))
          && (last == null || e.tick().isAfter(last))) {
        last = e.tick();
      }
    }
    return last;
  }
}
