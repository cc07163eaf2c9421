package io.batchscore.cli;

import io.batchscore.core.Models;
import io.batchscore.core.ScoringPlan;
import io.batchscore.core.column.ColumnType;
import io.batchscore.core.column.ElementType;
import io.batchscore.core.column.InputSchema;
import io.batchscore.core.model.ModelInfo;
import io.batchscore.core.model.ValueInfo;
import io.batchscore.core.spec.ScoringSpec;
import io.batchscore.core.spec.SpecException;
import io.batchscore.io.CsvTableReader;
import io.batchscore.io.Formats;
import io.batchscore.io.ParquetTableReader;
import io.batchscore.io.TableReader;
import io.batchscore.spark.job.ExitCodes;
import io.batchscore.spark.job.OutputConflictException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code batchscore init}: writes a starter spec from a model's signature and a data file's columns
 * (inputs bound by name, else by order; outputs with the transform their type suggests; labels from
 * the model's metadata when it has them), checks it as {@code validate} would, and prints what it
 * guessed.
 */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description =
        "Write a starter spec for a model and a data file (Parquet or CSV): inputs bound by name,"
            + " else by order; outputs with the transform their type suggests. Prints what it"
            + " guessed and checks the spec as validate does.")
final class InitCommand implements Callable<Integer> {
  /** Columns that are keys or training targets, never features, when inputs are bound by order. */
  static final Set<String> NOT_FEATURES =
      Set.of("id", "key", "target", "label", "y", "class", "run_date");

  @Option(names = "--model", required = true, paramLabel = "FILE", description = "ONNX model.")
  Path model;

  @Option(
      names = {"-i", "--input"},
      required = true,
      paramLabel = "FILE",
      description = "Parquet or CSV file with the columns to score.")
  Path input;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "spec.yaml",
      paramLabel = "FILE",
      description = "The spec to write (default: ${DEFAULT-VALUE}).")
  Path output;

  @Option(names = "--overwrite", description = "Replace an existing spec file.")
  boolean overwrite;

  @Option(
      names = "--input-format",
      paramLabel = "parquet|csv",
      description = "Default: from the file name.")
  String inputFormat;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec commandSpec;

  @Override
  public Integer call() throws Exception {
    if (Files.exists(output) && !overwrite) {
      throw new OutputConflictException(output + " exists; give --overwrite to replace it");
    }
    ModelInfo info = Models.inspect(model);
    InputSchema schema = schema();
    List<String> guesses = new ArrayList<>();
    String yaml = draft(info, schema, guesses);
    Path dir = output.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Files.writeString(output, yaml, StandardCharsets.UTF_8);
    PrintWriter out = commandSpec.commandLine().getOut();
    out.printf("wrote %s for model %s and input %s%n", output, model, input);
    guesses.forEach(g -> out.println("  " + g));
    out.flush();
    try {
      ScoringPlan.bind(ScoringSpec.load(output), info, schema);
      out.println(
          "it fits the model and the input: batchscore score --spec "
              + output
              + " -i "
              + input
              + " -o predictions.parquet");
      out.flush();
      return ExitCodes.OK;
    } catch (SpecException e) {
      PrintWriter err = commandSpec.commandLine().getErr();
      err.println("batchscore: the guessed spec needs editing; " + e.getMessage());
      err.flush();
      return ExitCodes.INVALID_SPEC;
    }
  }

  /** Every column of the input, with its type (a CSV's inferred from its first rows). */
  private InputSchema schema() throws java.io.IOException {
    if (Formats.of(inputFormat, input) == Formats.CSV) {
      Map<String, ElementType> all = new LinkedHashMap<>();
      CsvTableReader.header(input).forEach(c -> all.put(c, null));
      try (TableReader r = new CsvTableReader(input, all)) {
        return r.schema();
      }
    }
    try (TableReader r = new ParquetTableReader(input, List.of())) {
      return r.schema();
    }
  }

  /** The spec's YAML; what was guessed goes into {@code guesses}. */
  String draft(ModelInfo info, InputSchema schema, List<String> guesses) {
    StringBuilder y = new StringBuilder();
    Path dir = output.toAbsolutePath().getParent();
    String relative = dir.relativize(model.toAbsolutePath()).toString().replace('\\', '/');
    // beside or below the spec: relative, so the two can move together; else absolute
    String modelPath = relative.startsWith("../") ? model.toAbsolutePath().toString() : relative;
    String name = model.getFileName().toString().replaceFirst("\\.onnx$", "");
    y.append("# Written by batchscore init from ")
        .append(model.getFileName())
        .append(" and ")
        .append(input.getFileName())
        .append(": check the guesses, then batchscore validate.\n");
    y.append("name: ").append(name).append('\n');
    y.append("model: ").append(modelPath).append('\n');
    String id = null;
    for (String c : schema.names()) {
      if (c.equalsIgnoreCase("id") || c.equalsIgnoreCase("key")) {
        id = c;
        break;
      }
    }
    Set<String> used = new HashSet<>(schema.names());
    y.append("inputs:\n");
    List<ValueInfo> inputs = new ArrayList<>(info.signature().inputs().values());
    for (ValueInfo in : inputs) {
      y.append("  - input: ").append(in.name()).append('\n');
      ColumnType same = schema.type(in.name());
      long width = in.rank() >= 2 ? in.elementsPerRow() : 1;
      if (same != null) {
        y.append(same.isArray() ? "    column: " : "    columns: [")
            .append(in.name())
            .append(same.isArray() ? "\n" : "]\n");
        guesses.add("input '" + in.name() + "': the column of the same name");
        continue;
      }
      List<String> arrays =
          schema.names().stream()
              .filter(c -> schema.type(c) != null && schema.type(c).isArray())
              .toList();
      if (inputs.size() == 1 && arrays.size() == 1) {
        y.append("    column: ").append(arrays.get(0)).append('\n');
        if (in.rank() > 2) {
          StringBuilder shape = new StringBuilder();
          for (int d = 1; d < in.rank(); d++) {
            shape.append(d > 1 ? ", " : "").append(in.dim(d));
          }
          y.append("    shape: [").append(shape).append("]\n");
        }
        guesses.add(
            "input '" + in.name() + "': the input's one array column '" + arrays.get(0) + "'");
        continue;
      }
      List<String> numeric =
          schema.names().stream()
              .filter(c -> !NOT_FEATURES.contains(c.toLowerCase(Locale.ROOT)))
              .filter(
                  c ->
                      schema.type(c) != null
                          && schema.type(c).isScalar()
                          && schema.type(c).element().isNumeric())
              .toList();
      List<String> chosen =
          width > 0 && numeric.size() > width ? numeric.subList(0, (int) width) : numeric;
      y.append("    columns: [").append(String.join(", ", chosen)).append("]\n");
      guesses.add(
          "input '"
              + in.name()
              + "' "
              + in.shapeString()
              + ": "
              + chosen.size()
              + " numeric columns in the file's order"
              + (chosen.size() < numeric.size()
                  ? " (the first " + chosen.size() + " of " + numeric.size() + ")"
                  : "")
              + (id != null || numeric.size() < schema.names().size()
                  ? ", leaving out " + leftOut(schema, chosen)
                  : ""));
    }
    y.append("outputs:\n");
    boolean hasClasses = info.signature().metadata().custom().containsKey("classes");
    for (ValueInfo o : info.signature().outputs().values()) {
      String col = unique(columnFor(o), used);
      y.append("  - output: ").append(o.name()).append('\n');
      y.append("    column: ").append(col).append('\n');
      String how;
      if (!o.isTensor()) {
        y.append("    transform: argmax\n");
        how = "argmax of the class probabilities (the most likely class's key)";
      } else if (o.elementType().isFloatingPoint() && o.rank() == 2 && o.dim(1) == 2) {
        y.append("    transform: positive_class\n    positiveClass: 1\n");
        how = "the score of class 1 of two";
      } else if (o.elementType().isFloatingPoint() && o.rank() == 2 && o.dim(1) > 2) {
        y.append("    transform: argmax\n");
        if (hasClasses) {
          y.append("    labels: {metadata: classes}\n");
        }
        how =
            "argmax over "
                + o.dim(1)
                + " scores"
                + (hasClasses ? ", named by the model's classes" : "");
      } else {
        how = "as the model writes it (" + o.shapeString() + ")";
      }
      guesses.add("output '" + o.name() + "' -> column '" + col + "': " + how);
    }
    if (id != null) {
      y.append("passthrough: [").append(id).append("]\n");
      guesses.add("passthrough: '" + id + "', to join the predictions back");
    }
    y.append("nulls: fail\n");
    return y.toString();
  }

  private static String leftOut(InputSchema schema, List<String> chosen) {
    List<String> rest = schema.names().stream().filter(c -> !chosen.contains(c)).toList();
    return rest.size() > 6
        ? rest.subList(0, 6) + " and " + (rest.size() - 6) + " more"
        : rest.toString();
  }

  /** A column name for an output: skl2onnx's output_label and output_probability shortened. */
  private static String columnFor(ValueInfo o) {
    String n = o.name().toLowerCase(Locale.ROOT);
    if (n.equals("output_label")) {
      return "label";
    }
    if (n.equals("output_probability") || n.equals("probabilities")) {
      return o.isTensor() && o.rank() == 2 && o.dim(1) == 2 ? "score" : "predicted_class";
    }
    if (o.isTensor() && o.elementType().isFloatingPoint() && o.rank() == 2 && o.dim(1) > 2) {
      return "predicted_class"; // written as the argmax's class
    }
    return o.name().replaceAll("[^A-Za-z0-9_]", "_");
  }

  /** The name, or with {@code _pred} (and a number) appended where the input has it already. */
  private static String unique(String name, Set<String> used) {
    String n = used.contains(name) ? name + "_pred" : name;
    for (int i = 2; used.contains(n); i++) {
      n = name + "_pred" + i;
    }
    used.add(n);
    return n;
  }
}
