package io.batchscore.cli;

import io.batchscore.core.monitor.ColumnDrift;
import io.batchscore.core.monitor.Drift;
import io.batchscore.core.monitor.DriftReport;
import io.batchscore.core.monitor.DriftStatus;
import io.batchscore.core.monitor.HtmlReport;
import io.batchscore.core.monitor.Profile;
import io.batchscore.core.monitor.Profiles;
import io.batchscore.core.spec.Monitoring;
import io.batchscore.core.spec.ScoringSpec;
import io.batchscore.spark.job.ExitCodes;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code batchscore drift A B}: compares two profiles (files, or report folders holding one: a
 * run's {@code _reports/run_date=D/}) and prints each column's drift; with {@code --report-dir},
 * writes the same report.json and report.html as a run.
 */
@Command(
    name = "drift",
    mixinStandardHelpOptions = true,
    description =
        "Compare two profiles (profile.json files or report folders): B against the reference A.")
final class DriftCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "A",
      description = "The reference: a profile or a report folder.")
  Path reference;

  @Parameters(index = "1", paramLabel = "B", description = "The profile compared with it.")
  Path current;

  @Option(
      names = "--spec",
      paramLabel = "FILE",
      description =
          "Take the thresholds from this spec's monitoring section (default: the defaults).")
  Path spec;

  @Option(
      names = "--report-dir",
      paramLabel = "DIR",
      description = "Write DIR/report.json and DIR/report.html.")
  Path reportDir;

  @Option(names = "--fail-on-drift", description = "Exit with code 7 when the status is drift.")
  boolean failOnDrift;

  @CommandLine.Spec CommandLine.Model.CommandSpec commandSpec;

  @Override
  public Integer call() throws Exception {
    Monitoring monitoring =
        spec == null ? Monitoring.DEFAULTS : ScoringSpec.load(spec).monitoring();
    Path a = LocalMonitor.profileFile(reference);
    Path b = LocalMonitor.profileFile(current);
    Profile ra = read(a);
    Profile rb = read(b);
    DriftReport d = Drift.compare(ra, rb, monitoring);
    PrintWriter out = commandSpec.commandLine().getOut();
    out.printf(
        "%s against %s: %s (%d drift, %d warn, %d ok)%n",
        b,
        a,
        d.status().label(),
        d.count(DriftStatus.DRIFT),
        d.count(DriftStatus.WARN),
        d.count(DriftStatus.OK));
    out.printf("%-28s %-10s %-6s %9s %9s  %s%n", "column", "role", "status", "psi", "js", "why");
    for (ColumnDrift c : d.bySeverity()) {
      out.printf(
          Locale.ROOT,
          "%-28s %-10s %-6s %9s %9s  %s%n",
          c.column(),
          c.role().name().toLowerCase(Locale.ROOT),
          c.status().label(),
          HtmlReport.format(c.metric("psi")),
          HtmlReport.format(c.metric("js")),
          String.join("; ", c.reasons()));
    }
    if (reportDir != null) {
      Files.createDirectories(reportDir);
      var json = LocalMonitor.newReport();
      json.put("status", d.status().label());
      json.put("reference", a.toString());
      json.put("current", b.toString());
      var comparison =
          (com.fasterxml.jackson.databind.node.ObjectNode)
              new com.fasterxml.jackson.databind.ObjectMapper().readTree(d.toJson());
      comparison.put("profile", a.toString());
      json.putObject("drift").put("status", d.status().label()).set("reference", comparison);
      Files.writeString(
          reportDir.resolve("report.json"), LocalMonitor.toJson(json), StandardCharsets.UTF_8);
      Files.writeString(
          reportDir.resolve("report.html"),
          HtmlReport.titled("batchscore drift: " + b.getFileName() + " against " + a.getFileName())
              .status(d.status())
              .summary("reference (A)", a.toString())
              .summary("compared (B)", b.toString())
              .summary("rows in A / B", ra.rows() + " / " + rb.rows())
              .comparison("reference", "B against A", ra, rb, d)
              .render(),
          StandardCharsets.UTF_8);
      out.printf("report: %s%n", reportDir.resolve("report.html"));
    }
    out.flush();
    return failOnDrift && d.status() == DriftStatus.DRIFT ? ExitCodes.DRIFT : ExitCodes.OK;
  }

  /** A profile file; one that is missing or not a profile is bad input, named. */
  private static Profile read(Path p) {
    try {
      return Profiles.read(p);
    } catch (IOException e) {
      throw new io.batchscore.core.BadInputException(null, -1, null, e.getMessage());
    }
  }
}
