package io.batchscore.core.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Versioned model folders, laid out as TF Serving lays out its models: {@code BASE/<version>/}
 * holds one version, {@code <version>} a positive whole number, and in it {@code model.onnx} (or
 * the folder's only {@code .onnx} file). A spec names {@code BASE} as its model and {@code version:
 * latest} (the default) or a number; the chosen version is the model's version in the output and
 * the report. Other entries of {@code BASE} are ignored, so a version being copied in under a
 * temporary name is not picked up.
 *
 * <p>The choice itself ({@link #pick}, {@link #modelFile}) works on names, so a Hadoop file
 * system's listing uses it as the local one does ({@link #resolve}).
 */
public final class ModelVersions {
  /** The file a version folder's model is looked for under first. */
  public static final String MODEL_FILE = "model.onnx";

  private ModelVersions() {}

  /** A version chosen in a model folder, and its model file's path. */
  public record Resolved(long version, String file) {}

  /** Whether {@code requested} asks for the newest version (null, empty or "latest"). */
  public static boolean isLatest(String requested) {
    return requested == null
        || requested.isBlank()
        || requested.trim().toLowerCase(Locale.ROOT).equals("latest");
  }

  /**
   * The version to use among a model folder's entries: the highest number for {@code latest}, else
   * the number asked for.
   *
   * @param base the folder, for messages
   * @param entries the names of the folder's sub-folders (non-numeric ones are ignored)
   * @throws ModelLoadException no numbered version, or not the one asked for, or a request that is
   *     neither {@code latest} nor a whole number
   */
  public static long pick(String base, Collection<String> entries, String requested)
      throws ModelLoadException {
    TreeSet<Long> versions = new TreeSet<>();
    for (String e : entries) {
      if (!e.isEmpty() && e.length() <= 18 && e.chars().allMatch(Character::isDigit)) {
        versions.add(Long.parseLong(e));
      }
    }
    if (versions.isEmpty()) {
      throw new ModelLoadException(
          base,
          "the model folder holds no versions: expected numbered folders such as "
              + base
              + "/1/"
              + MODEL_FILE);
    }
    if (isLatest(requested)) {
      return versions.last();
    }
    long v;
    try {
      v = Long.parseLong(requested.trim());
    } catch (NumberFormatException e) {
      throw new ModelLoadException(
          base, "version '" + requested + "' is neither latest nor a whole number");
    }
    if (!versions.contains(v)) {
      throw new ModelLoadException(
          base, "version " + v + " is not in the model folder; it has " + versions);
    }
    return v;
  }

  /**
   * The model file among a version folder's files: {@value #MODEL_FILE}, else its only {@code
   * .onnx} file.
   *
   * @throws ModelLoadException no {@code .onnx} file, or several and none named {@value
   *     #MODEL_FILE}
   */
  public static String modelFile(String folder, Collection<String> files)
      throws ModelLoadException {
    List<String> onnx = new ArrayList<>();
    for (String f : files) {
      if (f.equals(MODEL_FILE)) {
        return f;
      }
      if (f.toLowerCase(Locale.ROOT).endsWith(".onnx")) {
        onnx.add(f);
      }
    }
    if (onnx.size() == 1) {
      return onnx.get(0);
    }
    throw new ModelLoadException(
        folder,
        onnx.isEmpty()
            ? "the version folder holds no .onnx file"
            : "the version folder holds several .onnx files "
                + onnx
                + " and none named "
                + MODEL_FILE);
  }

  /** Resolves a local model folder: the version asked for and its model file. */
  public static Resolved resolve(Path base, String requested) throws ModelLoadException {
    long v = pick(base.toString(), list(base, true), requested);
    Path folder = base.resolve(Long.toString(v));
    // "007" names version 7 too: find the entry that parsed to v
    if (!Files.isDirectory(folder)) {
      for (String e : list(base, true)) {
        if (e.chars().allMatch(Character::isDigit) && Long.parseLong(e) == v) {
          folder = base.resolve(e);
        }
      }
    }
    return new Resolved(
        v, folder.resolve(modelFile(folder.toString(), list(folder, false))).toString());
  }

  private static List<String> list(Path dir, boolean folders) throws ModelLoadException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> folders ? Files.isDirectory(p) : Files.isRegularFile(p))
          .map(p -> p.getFileName().toString())
          .toList();
    } catch (IOException e) {
      throw new ModelLoadException(dir.toString(), "cannot list the model folder: " + e, e);
    }
  }
}
