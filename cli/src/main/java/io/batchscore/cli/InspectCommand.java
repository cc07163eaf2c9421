package io.batchscore.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.batchscore.core.Models;
import io.batchscore.core.model.ModelInfo;
import io.batchscore.core.model.ModelMetadata;
import io.batchscore.core.model.ValueInfo;
import io.batchscore.spark.job.ExitCodes;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code batchscore inspect MODEL}: what a model takes and gives. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = "Show a model's inputs, outputs (names, types, shapes) and metadata.")
final class InspectCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "MODEL", description = "An .onnx file.")
  Path model;

  @Option(names = "--json", description = "Print JSON for machines.")
  boolean json;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ModelInfo info = Models.inspect(model);
    List<String> weights = weightFiles(model);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ObjectNode root = toJson(info);
      root.putPOJO("externalData", weights);
      out.println(
          new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root));
    } else {
      ModelMetadata m = info.signature().metadata();
      out.printf("model:    %s%n", info.source());
      out.printf(
          "sha256:   %s%s%n",
          info.sha256(), weights.isEmpty() ? "" : " (of the model and its weight files)");
      if (!weights.isEmpty()) {
        out.printf("weights:  %s%n", String.join(", ", weights));
      }
      out.printf("size:     %,d bytes%n", info.sizeBytes());
      out.printf("producer: %s%n", m.producerName());
      out.printf("graph:    %s%n", m.graphName());
      out.printf("version:  %s%n", m.hasVersion() ? Long.toString(m.version()) : "(not set)");
      if (!m.description().isEmpty()) {
        out.printf("about:    %s%n", m.description());
      }
      printValues(out, "inputs", info.signature().inputs().values());
      printValues(out, "outputs", info.signature().outputs().values());
      if (!m.custom().isEmpty()) {
        out.println("metadata:");
        m.custom().forEach((k, v) -> out.printf("  %s = %s%n", k, v));
      }
    }
    out.flush();
    return ExitCodes.OK;
  }

  /** The model's external weight files, relative to its folder; empty for most models. */
  private static List<String> weightFiles(Path model)
      throws io.batchscore.core.model.ModelLoadException {
    Path m = model.toAbsolutePath().normalize();
    List<Path> files = io.batchscore.core.model.ModelSource.of(m).files();
    return files.subList(1, files.size()).stream()
        .map(f -> m.getParent().relativize(f).toString())
        .toList();
  }

  private static void printValues(PrintWriter out, String title, Collection<ValueInfo> values) {
    out.println(title + ":");
    int w = values.stream().mapToInt(v -> v.name().length()).max().orElse(0);
    for (ValueInfo v : values) {
      out.printf("  %-" + w + "s  %s%n", v.name(), v.typeString());
    }
  }

  static ObjectNode toJson(ModelInfo info) {
    ObjectNode root = new ObjectMapper().createObjectNode();
    root.put("model", info.source());
    root.put("sha256", info.sha256());
    root.put("sizeBytes", info.sizeBytes());
    ModelMetadata m = info.signature().metadata();
    ObjectNode meta = root.putObject("metadata");
    meta.put("producer", m.producerName());
    meta.put("graphName", m.graphName());
    meta.put("graphDescription", m.graphDescription());
    meta.put("domain", m.domain());
    meta.put("description", m.description());
    if (m.hasVersion()) {
      meta.put("version", m.version());
    } else {
      meta.putNull("version");
    }
    m.custom().forEach(meta.putObject("custom")::put);
    values(root.putArray("inputs"), info.signature().inputs().values());
    values(root.putArray("outputs"), info.signature().outputs().values());
    return root;
  }

  private static void values(ArrayNode arr, Collection<ValueInfo> values) {
    for (ValueInfo v : values) {
      ObjectNode n = arr.addObject();
      n.put("name", v.name());
      n.put("kind", v.kind().name().toLowerCase(java.util.Locale.ROOT));
      n.put("type", v.typeString());
      n.put("elementType", v.elementType().toString());
      if (v.keyType() != null) {
        n.put("keyType", v.keyType().toString());
      }
      if (v.isTensor()) {
        ArrayNode shape = n.putArray("shape");
        String[] names = v.dimensionNames();
        for (int i = 0; i < v.rank(); i++) {
          if (v.dim(i) >= 0) {
            shape.add(v.dim(i));
          } else {
            shape.add(names[i] != null ? names[i] : "?");
          }
        }
      }
    }
  }
}
