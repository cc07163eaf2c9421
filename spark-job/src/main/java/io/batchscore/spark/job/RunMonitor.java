package io.batchscore.spark.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.batchscore.core.ScoringPlan;
import io.batchscore.core.monitor.ColumnDrift;
import io.batchscore.core.monitor.Drift;
import io.batchscore.core.monitor.DriftReport;
import io.batchscore.core.monitor.DriftStatus;
import io.batchscore.core.monitor.HtmlReport;
import io.batchscore.core.monitor.ModelComparison;
import io.batchscore.core.monitor.Profile;
import io.batchscore.core.monitor.Profiles;
import io.batchscore.core.spec.Problem;
import io.batchscore.core.spec.ScoringSpec;
import io.batchscore.core.spec.SpecException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A run's monitoring: its profile compared with the spec's reference profile and with the previous
 * run's (the latest earlier run date of the same output that stored a profile), the drift in the
 * report, and the files beside the report: {@code profile.json} (what any later run compares with)
 * and {@code report.html}.
 *
 * <p>The reference is read and checked against the plan's profiled columns before any data is read:
 * a column it lacks, or has with another kind, is a spec error naming the column.
 */
final class RunMonitor {
  /** Earlier runs whose drift the report's trend shows, at most. */
  static final int TREND_RUNS = 14;

  private final FileSystem fs;
  private final Path reports;
  private final ScoringSpec spec;
  private final LocalDate runDate;
  private final Profile reference;
  private final String referenceName;
  private Previous previous;
  private DriftReport againstReference;
  private DriftReport againstPrevious;
  private Profile current;

  /** The latest earlier run that stored a profile. */
  private record Previous(LocalDate date, Path file, Profile profile) {}

  private RunMonitor(
      FileSystem fs,
      Path reports,
      ScoringSpec spec,
      LocalDate runDate,
      Profile reference,
      String referenceName) {
    this.fs = fs;
    this.reports = reports;
    this.spec = spec;
    this.runDate = runDate;
    this.reference = reference;
    this.referenceName = referenceName;
  }

  /**
   * Reads the spec's reference profile, if it names one.
   *
   * @param reports the folder holding each run date's report ({@code _reports} of the output)
   * @throws SpecException the reference cannot be read
   */
  static RunMonitor open(FileSystem fs, Path reports, ScoringSpec spec, LocalDate runDate)
      throws SpecException {
    java.nio.file.Path ref = spec.resolvedReference();
    Profile reference = null;
    if (ref != null) {
      Path p = new Path(ref.toString());
      try (InputStream in = p.getFileSystem(fs.getConf()).open(p)) {
        reference =
            Profiles.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), ref.toString());
      } catch (java.io.FileNotFoundException e) {
        throw new SpecException(
            spec.origin(),
            List.of(
                new Problem(
                    "monitoring.reference",
                    "reference profile not found: "
                        + ref
                        + " (make one with batchscore profile)")));
      } catch (IOException e) {
        throw new SpecException(
            spec.origin(), List.of(new Problem("monitoring.reference", e.getMessage())));
      }
    }
    return new RunMonitor(
        fs, reports, spec, runDate, reference, ref == null ? null : ref.toString());
  }

  /**
   * Checks that the reference has every column the plan profiles, with the same kind; finds the
   * previous run's profile.
   *
   * @throws SpecException a column the reference lacks or has with another kind
   */
  void check(ScoringPlan plan) throws SpecException, IOException {
    if (reference != null) {
      plan.checkReference(reference, referenceName);
    }
    previous = previous();
  }

  /** The latest earlier run date with a stored profile, or null. */
  private Previous previous() throws IOException {
    for (Map.Entry<LocalDate, Path> e : earlierRuns().descendingMap().entrySet()) {
      Path file = new Path(e.getValue(), "profile.json");
      if (fs.exists(file)) {
        try (InputStream in = fs.open(file)) {
          return new Previous(
              e.getKey(),
              file,
              Profiles.parse(
                  new String(in.readAllBytes(), StandardCharsets.UTF_8), file.toString()));
        } catch (IOException bad) {
          // a broken earlier profile is skipped, not fatal: the run still scores and says so
          org.slf4j.LoggerFactory.getLogger(RunMonitor.class)
              .warn("skipping the earlier profile {}: {}", file, bad.getMessage());
        }
      }
    }
    return null;
  }

  /** Earlier run dates that have a report folder, by date. */
  private TreeMap<LocalDate, Path> earlierRuns() throws IOException {
    TreeMap<LocalDate, Path> out = new TreeMap<>();
    if (!fs.exists(reports)) {
      return out;
    }
    for (FileStatus s : fs.listStatus(reports)) {
      String n = s.getPath().getName();
      if (s.isDirectory() && n.startsWith("run_date=")) {
        try {
          LocalDate d = LocalDate.parse(n.substring("run_date=".length()));
          if (d.isBefore(runDate)) {
            out.put(d, s.getPath());
          }
        } catch (java.time.format.DateTimeParseException ignored) {
          // not a run's folder
        }
      }
    }
    return out;
  }

  /** Compares the run's profile; puts {@code status} and {@code drift} into the report. */
  DriftStatus compare(Profile profile, ObjectNode report) {
    this.current = profile;
    ObjectNode drift = report.putObject("drift");
    DriftStatus status = DriftStatus.OK;
    if (reference != null) {
      againstReference = Drift.compare(reference, profile, spec.monitoring());
      status = status.worst(againstReference.status());
      ObjectNode r = section(drift, "reference", againstReference);
      r.put("profile", referenceName);
    } else {
      drift
          .putObject("reference")
          .put("note", "the spec names no reference profile (monitoring.reference)");
    }
    if (previous != null) {
      againstPrevious = Drift.compare(previous.profile(), profile, spec.monitoring());
      status = status.worst(againstPrevious.status());
      ObjectNode p = section(drift, "previous", againstPrevious);
      p.put("runDate", previous.date().toString());
      p.put("profile", previous.file().toString());
    } else {
      drift
          .putObject("previous")
          .put(
              "note",
              "no earlier run of this output stored a profile: this run is the first to compare with");
    }
    drift.put("status", status.label());
    report.put("status", status.label());
    return status;
  }

  private static ObjectNode section(ObjectNode drift, String name, DriftReport d) {
    try {
      return (ObjectNode) drift.set(name, RunReport.JSON.readTree(d.toJson())).get(name);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Writes the run's {@code profile.json} into the output's {@code _reports/run_date=D/} (where
   * later runs look for it) and {@code report.html} beside the report.
   */
  void write(
      Path reportFile,
      String title,
      Map<String, String> about,
      Map<String, String> summary,
      DriftStatus status,
      List<ModelComparison> challengers)
      throws IOException {
    write(
        new Path(reports, "run_date=" + runDate + "/profile.json"),
        Profiles.toJson(current, about));
    HtmlReport html = HtmlReport.titled(title).status(status);
    summary.forEach(html::summary);
    if (againstReference != null) {
      html.comparison(
          "reference",
          "Against the reference " + referenceName,
          reference,
          current,
          againstReference);
    }
    if (againstPrevious != null) {
      html.comparison(
          "previous",
          "Against the run of " + previous.date(),
          previous.profile(),
          current,
          againstPrevious);
    }
    boolean vsReference = againstReference != null;
    DriftReport today = vsReference ? againstReference : againstPrevious;
    if (today != null) {
      html.trends(
          "psi",
          vsReference ? "against the reference" : "against each run's previous",
          trends(today, vsReference ? "reference" : "previous"));
    }
    challengers.forEach(html::challenger);
    write(new Path(reportFile.getParent(), "report.html"), html.render());
  }

  /** Each column's PSI over the earlier runs' reports and this one, oldest first. */
  private Map<String, List<HtmlReport.TrendPoint>> trends(DriftReport today, String against)
      throws IOException {
    Map<String, List<HtmlReport.TrendPoint>> out = new LinkedHashMap<>();
    List<Map.Entry<LocalDate, Path>> runs = new ArrayList<>(earlierRuns().entrySet());
    runs = runs.subList(Math.max(0, runs.size() - TREND_RUNS), runs.size());
    for (Map.Entry<LocalDate, Path> e : runs) {
      Path file = new Path(e.getValue(), "report.json");
      if (!fs.exists(file)) {
        continue;
      }
      JsonNode cols;
      try (InputStream in = fs.open(file)) {
        cols = RunReport.JSON.readTree(in).path("drift").path(against).path("columns");
      } catch (IOException bad) {
        continue;
      }
      for (ColumnDrift c : today.columns()) {
        JsonNode n = cols.path(c.column());
        if (n.has("metrics")) {
          out.computeIfAbsent(c.column(), k -> new ArrayList<>())
              .add(
                  new HtmlReport.TrendPoint(
                      e.getKey().toString(),
                      n.path("metrics").path("psi").asDouble(Double.NaN),
                      DriftStatus.parse(n.path("status").asText("ok"))));
        }
      }
    }
    for (ColumnDrift c : today.columns()) {
      out.computeIfAbsent(c.column(), k -> new ArrayList<>())
          .add(new HtmlReport.TrendPoint(runDate.toString(), c.metric("psi"), c.status()));
    }
    return out;
  }

  private void write(Path p, String text) throws IOException {
    try (OutputStream os = fs.create(p, true)) {
      os.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }
}
