package io.batchscore.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.batchscore.core.ScoringPlan;
import io.batchscore.core.monitor.Drift;
import io.batchscore.core.monitor.DriftReport;
import io.batchscore.core.monitor.DriftStatus;
import io.batchscore.core.monitor.HtmlReport;
import io.batchscore.core.monitor.ModelComparison;
import io.batchscore.core.monitor.Profile;
import io.batchscore.core.monitor.Profiles;
import io.batchscore.core.spec.Monitoring;
import io.batchscore.core.spec.Problem;
import io.batchscore.core.spec.ScoringSpec;
import io.batchscore.core.spec.SpecException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Monitoring of a local run: the spec's reference profile and a previous profile the user names,
 * read and checked before anything is scored; after the run, its drift against both and the report
 * folder ({@code profile.json}, {@code report.json}, {@code report.html}, the same files a job run
 * writes beside its report).
 */
final class LocalMonitor {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Monitoring monitoring;
  private final Profile reference;
  private final String referenceName;
  private final Profile previous;
  private final String previousName;
  private DriftReport againstReference;
  private DriftReport againstPrevious;

  private LocalMonitor(
      Monitoring monitoring,
      Profile reference,
      String referenceName,
      Profile previous,
      String previousName) {
    this.monitoring = monitoring;
    this.reference = reference;
    this.referenceName = referenceName;
    this.previous = previous;
    this.previousName = previousName;
  }

  /**
   * Reads the spec's reference profile and {@code previous} (a profile file, or a report folder
   * holding one; may be null), and checks the reference against the plan.
   *
   * @throws SpecException the reference cannot be read or lacks a profiled column (exit 3)
   * @throws IOException the previous profile cannot be read
   */
  static LocalMonitor open(ScoringPlan plan, Path previous) throws SpecException, IOException {
    ScoringSpec spec = plan.spec();
    Path ref = spec.resolvedReference();
    Profile reference = null;
    if (ref != null) {
      try {
        reference = Profiles.read(ref);
      } catch (IOException e) {
        throw new SpecException(
            spec.origin(),
            List.of(
                new Problem(
                    "monitoring.reference",
                    e.getMessage()
                        + (Files.exists(ref) ? "" : " (make one with batchscore profile)"))));
      }
      plan.checkReference(reference, ref.toString());
    }
    Path prev = profileFile(previous);
    return new LocalMonitor(
        spec.monitoring(),
        reference,
        ref == null ? null : ref.toString(),
        prev == null ? null : Profiles.read(prev),
        prev == null ? null : prev.toString());
  }

  /** A profile file, or the {@code profile.json} of a report folder. */
  static Path profileFile(Path p) {
    if (p == null) {
      return null;
    }
    return Files.isDirectory(p) ? p.resolve("profile.json") : p;
  }

  /** Compares the run's profile with the reference and the previous profile; the run's status. */
  DriftStatus compare(Profile current) {
    DriftStatus status = DriftStatus.OK;
    if (reference != null) {
      againstReference = Drift.compare(reference, current, monitoring);
      status = status.worst(againstReference.status());
    }
    if (previous != null) {
      againstPrevious = Drift.compare(previous, current, monitoring);
      status = status.worst(againstPrevious.status());
    }
    return status;
  }

  /** Writes {@code profile.json}, {@code report.json} and {@code report.html} into {@code dir}. */
  void write(
      Path dir,
      Profile current,
      DriftStatus status,
      String title,
      Map<String, String> about,
      ObjectNode report,
      List<ModelComparison> challengers)
      throws IOException {
    Files.createDirectories(dir);
    Profiles.write(dir.resolve("profile.json"), current, about);
    report.put("status", status.label());
    ObjectNode drift = report.putObject("drift");
    drift.put("status", status.label());
    if (againstReference != null) {
      ObjectNode r = (ObjectNode) JSON.readTree(againstReference.toJson());
      r.put("profile", referenceName);
      drift.set("reference", r);
    } else {
      drift
          .putObject("reference")
          .put("note", "the spec names no reference profile (monitoring.reference)");
    }
    if (againstPrevious != null) {
      ObjectNode p = (ObjectNode) JSON.readTree(againstPrevious.toJson());
      p.put("profile", previousName);
      drift.set("previous", p);
    } else {
      drift.putObject("previous").put("note", "no previous profile given (--previous)");
    }
    if (!challengers.isEmpty()) {
      com.fasterxml.jackson.databind.node.ArrayNode cs = report.putArray("challengers");
      for (ModelComparison c : challengers) {
        cs.add(JSON.readTree(c.toJson()));
      }
    }
    report.put("profile", dir.resolve("profile.json").toString());
    Files.writeString(
        dir.resolve("report.json"), JSON.writeValueAsString(report), StandardCharsets.UTF_8);
    HtmlReport html = HtmlReport.titled(title).status(status);
    about.forEach(html::summary);
    if (againstReference != null) {
      html.comparison(
          "reference",
          "Against the reference " + referenceName,
          reference,
          current,
          againstReference);
    }
    if (againstPrevious != null) {
      html.comparison("previous", "Against " + previousName, previous, current, againstPrevious);
    }
    challengers.forEach(html::challenger);
    Files.writeString(dir.resolve("report.html"), html.render(), StandardCharsets.UTF_8);
  }

  /** What a report says the profile is of. */
  static Map<String, String> about(ScoringPlan plan, String input) {
    Map<String, String> about = new LinkedHashMap<>();
    about.put("model", plan.modelName() + " v" + plan.modelVersion());
    about.put("modelSha256", plan.model().sha256());
    about.put("input", input);
    about.put("createdAt", java.time.Instant.now().toString());
    return about;
  }

  static ObjectNode newReport() {
    return JSON.createObjectNode();
  }

  static String toJson(ObjectNode n) throws IOException {
    return JSON.writeValueAsString(n);
  }
}
