package io.batchscore.core.monitor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.batchscore.core.monitor.ColumnProfile.Kind;
import io.batchscore.core.monitor.ColumnProfile.Role;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Profiles as JSON files ({@code profile.json}): what a person reads (counts, min, max, mean,
 * standard deviation, a few quantiles, the most frequent values) and, for merging and comparing,
 * the sketches themselves (base64 of DataSketches' own serialization). Plus what the caller says
 * the profile is of ({@code about}: the model, the input, the run date).
 */
public final class Profiles {
  /** The {@code format} field of every profile file. */
  public static final String FORMAT = "batchscore-profile/1";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Profiles() {}

  /** The profile as JSON text; {@code about} (may be empty) says what it is of. */
  public static String toJson(Profile profile, Map<String, String> about) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    ObjectNode a = root.putObject("about");
    about.forEach(a::put);
    root.put("rows", profile.rows());
    ObjectNode cols = root.putObject("columns");
    for (ColumnProfile c : profile.columns().values()) {
      ObjectNode n = cols.putObject(c.name());
      n.put("role", c.role().name().toLowerCase(Locale.ROOT));
      n.put("kind", c.kind().name().toLowerCase(Locale.ROOT));
      if (c.measure() != null) {
        n.put("measure", c.measure());
      }
      n.put("count", c.count());
      n.put("nulls", c.nulls());
      n.put("nan", c.nans());
      n.put("distinct", Math.round(c.distinct()));
      if (!c.distinctExact()) {
        n.put("distinctNote", "over the sampled values only: a lower bound");
      }
      if (c.kind() == Kind.NUMERIC && c.valid() > 0) {
        n.put("min", c.min());
        n.put("max", c.max());
        n.put("mean", c.mean());
        n.put("stddev", c.stddev());
        n.put("m2", c.m2());
        n.put("rankError", c.rankError());
        ObjectNode q = n.putObject("quantiles");
        List<Double> qs = c.summaryQuantiles();
        for (int i = 0; i < qs.size(); i++) {
          q.put(
              String.format(Locale.ROOT, "p%02d", Math.round(ColumnProfile.SUMMARY_RANKS[i] * 100)),
              qs.get(i));
        }
      }
      if (c.kind() == Kind.CATEGORICAL) {
        ObjectNode f = n.putObject("frequent");
        c.frequent().forEach(f::put);
        n.put("frequentError", c.frequentError());
      }
      ObjectNode s = n.putObject("sketches");
      Base64.Encoder enc = Base64.getEncoder();
      if (c.kind() == Kind.NUMERIC) {
        // Level j samples one value in 2^j (SampledQuantiles); null where a level is empty.
        ArrayNode levels = s.putArray("kllLevels");
        for (byte[] b : c.quantileBytes()) {
          if (b == null) {
            levels.addNull();
          } else {
            levels.add(enc.encodeToString(b));
          }
        }
        s.put("kllCoarse", c.quantileCoarseness());
      } else {
        s.put("items", enc.encodeToString(c.itemBytes()));
      }
      s.put("hll", enc.encodeToString(c.distinctBytes()));
    }
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes the profile to a file (through a temporary file beside it, then a rename). */
  public static void write(Path file, Profile profile, Map<String, String> about)
      throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
    try {
      Files.writeString(tmp, toJson(profile, about), StandardCharsets.UTF_8);
      Files.move(
          tmp,
          file,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Reads a profile file.
   *
   * @throws IOException the file is missing, or is not a profile (the message names the file and
   *     what is wrong)
   */
  public static Profile read(Path file) throws IOException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(file + ": profile file not found");
    }
    return parse(text, file.toString());
  }

  /** Reads a profile from JSON text; {@code origin} names it in messages. */
  public static Profile parse(String text, String origin) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IOException(
          origin + ": not a batchscore profile (not valid JSON: " + e.getOriginalMessage() + ")",
          e);
    }
    if (root == null || !root.isObject() || !FORMAT.equals(root.path("format").asText())) {
      throw new IOException(
          origin + ": not a batchscore profile (no \"format\": \"" + FORMAT + "\")");
    }
    Profile p = new Profile();
    p.setRows(root.path("rows").asLong());
    JsonNode cols = root.path("columns");
    for (Iterator<Map.Entry<String, JsonNode>> it = cols.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = e.getKey();
      JsonNode n = e.getValue();
      try {
        Kind kind = Kind.valueOf(n.path("kind").asText().toUpperCase(Locale.ROOT));
        Role role = Role.valueOf(n.path("role").asText().toUpperCase(Locale.ROOT));
        JsonNode s = n.path("sketches");
        Base64.Decoder dec = Base64.getDecoder();
        List<byte[]> levels = null;
        byte[] items = null;
        if (kind == Kind.NUMERIC) {
          if (!s.path("kllLevels").isArray()) {
            throw new IllegalArgumentException("no sketch \"kllLevels\"");
          }
          levels = new ArrayList<>();
          for (JsonNode level : s.get("kllLevels")) {
            levels.add(level.isNull() ? null : dec.decode(level.asText()));
          }
        } else {
          items = dec.decode(required(s, "items"));
        }
        byte[] hll = dec.decode(required(s, "hll"));
        p.put(
            ColumnProfile.restore(
                name,
                kind,
                role,
                n.hasNonNull("measure") ? n.get("measure").asText() : null,
                n.path("count").asLong(),
                n.path("nulls").asLong(),
                n.path("nan").asLong(),
                n.path("min").asDouble(Double.NaN),
                n.path("max").asDouble(Double.NaN),
                n.path("mean").asDouble(0),
                n.path("m2").asDouble(0),
                levels,
                s.path("kllCoarse").asDouble(0),
                items,
                hll));
      } catch (RuntimeException ex) {
        throw new IOException(
            origin
                + ": column '"
                + name
                + "' of the profile cannot be read ("
                + ex.getMessage()
                + ")",
            ex);
      }
    }
    return p;
  }

  private static String required(JsonNode sketches, String field) {
    if (!sketches.hasNonNull(field)) {
      throw new IllegalArgumentException("no sketch \"" + field + "\"");
    }
    return sketches.get(field).asText();
  }

  /** The {@code about} fields of a profile file, for messages and reports. */
  public static Map<String, String> about(Path file) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    JsonNode a = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8)).path("about");
    a.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }
}
