package io.batchscore.core;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.batchscore.core.column.Column;
import io.batchscore.core.column.ColumnBatch;
import io.batchscore.core.column.ColumnType;
import io.batchscore.core.column.ElementType;
import io.batchscore.core.engine.DjlDefaults;
import io.batchscore.core.engine.HostTensor;
import io.batchscore.core.engine.Runner;
import io.batchscore.core.model.ModelLoadException;
import io.batchscore.core.model.ModelSignature;
import io.batchscore.core.spec.TextConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokenizes a text column with the model's Hugging Face tokenizer (DJL's bindings) and fills the
 * token inputs, padded per batch to the longest row in that batch (not to maxLength): {@code
 * input_ids}, {@code attention_mask} (1 for tokens, 0 for padding) and, when the model has it,
 * {@code token_type_ids}. Tokenizers are loaded once per JVM and shared (they are thread-safe).
 */
final class TextAssembler {
  private static final Map<String, HuggingFaceTokenizer> TOKENIZERS = new ConcurrentHashMap<>();

  private final TextConfig config;
  private final HuggingFaceTokenizer tokenizer;
  private final List<String> inputs;
  private final ElementType[] types;

  TextAssembler(TextConfig config, Path tokenizerPath, ModelSignature model)
      throws ModelLoadException {
    this.config = config;
    this.tokenizer = tokenizer(tokenizerPath, config);
    this.inputs = textInputs(config, model);
    this.types = new ElementType[inputs.size()];
    for (int i = 0; i < types.length; i++) {
      types[i] = model.input(inputs.get(i)).elementType();
    }
  }

  /** The model inputs a text spec feeds: ids, mask, and token types when the model has them. */
  static List<String> textInputs(TextConfig t, ModelSignature model) {
    List<String> out = new java.util.ArrayList<>(List.of(t.inputIds(), t.attentionMask()));
    String types = t.tokenTypeIds();
    if (types == null && model.input("token_type_ids") != null) {
      types = "token_type_ids";
    }
    if (types != null) {
      out.add(types);
    }
    return out;
  }

  /** The spec's maxLength, else the tokenizer.json's truncation length, else 512. */
  static int maxLength(Path path, TextConfig c) throws ModelLoadException {
    if (c.maxLength() != TextConfig.FROM_TOKENIZER) {
      return c.maxLength();
    }
    try (var in = java.nio.file.Files.newInputStream(path)) {
      com.fasterxml.jackson.databind.JsonNode node =
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(in);
      com.fasterxml.jackson.databind.JsonNode t = node.get("truncation");
      return t != null && t.has("max_length")
          ? t.get("max_length").asInt()
          : TextConfig.DEFAULT_MAX_LENGTH;
    } catch (IOException e) {
      throw new ModelLoadException(
          path.toString(), "cannot read the tokenizer: " + e.getMessage(), e);
    }
  }

  private static HuggingFaceTokenizer tokenizer(Path path, TextConfig c) throws ModelLoadException {
    int max = maxLength(path, c);
    String key = path.toAbsolutePath() + "|" + max + "|" + c.truncation();
    HuggingFaceTokenizer t = TOKENIZERS.get(key);
    if (t != null) {
      return t;
    }
    synchronized (TOKENIZERS) {
      t = TOKENIZERS.get(key);
      if (t == null) {
        DjlDefaults.apply();
        try {
          t =
              HuggingFaceTokenizer.newInstance(
                  path,
                  Map.of(
                      "padding",
                      "false",
                      "truncation",
                      Boolean.toString(c.truncation()),
                      "maxLength",
                      Integer.toString(max),
                      "addSpecialTokens",
                      "true"));
        } catch (IOException | RuntimeException e) {
          throw new ModelLoadException(
              path.toString(), "cannot load the tokenizer: " + e.getMessage(), e);
        }
        TOKENIZERS.put(key, t);
      }
      return t;
    }
  }

  public String column() {
    return config.column();
  }

  /**
   * Tokenizes rows {@code sel[from..to)} (or {@code from..to}) and fills the token inputs. Returns
   * each row's token count (the attention mask's sum), for pooling.
   */
  public int[] fill(ColumnBatch batch, int[] sel, int from, int to, Runner runner) {
    Column c = batch.column(config.column());
    if (c == null || !c.type().equals(ColumnType.scalar(ElementType.STRING))) {
      throw new BadInputException(
          config.column(),
          -1,
          inputs.get(0),
          c == null
              ? "the batch has no text column '" + config.column() + "'"
              : "column '" + config.column() + "' is " + c.type() + "; a text column is string");
    }
    int n = to - from;
    String[] texts = new String[n];
    for (int i = 0; i < n; i++) {
      int row = sel == null ? from + i : sel[from + i];
      texts[i] = c.isNull(row) ? "" : c.getString(row); // null reaches here only under nulls: fill
    }
    Encoding[] enc = tokenizer.batchEncode(texts, true, false);
    int longest = 1;
    int[] counts = new int[n];
    for (int i = 0; i < n; i++) {
      if (!config.truncation() && enc[i].exceedMaxLength()) {
        int row = sel == null ? from + i : sel[from + i];
        throw new BadInputException(
            config.column(),
            row,
            inputs.get(0),
            "column '"
                + config.column()
                + "' row "
                + row
                + " has more tokens than the maximum length"
                + " and text.truncation is false");
      }
      counts[i] = enc[i].getIds().length;
      longest = Math.max(longest, counts[i]);
    }
    long[] shape = {n, longest};
    for (int k = 0; k < inputs.size(); k++) {
      HostTensor t = runner.input(inputs.get(k), shape);
      boolean int64 = types[k] == ElementType.INT64;
      for (int i = 0; i < n; i++) {
        long[] v =
            k == 0 ? enc[i].getIds() : k == 1 ? enc[i].getAttentionMask() : enc[i].getTypeIds();
        int base = i * longest;
        for (int j = 0; j < longest; j++) {
          long x = j < v.length ? v[j] : 0;
          if (int64) {
            t.longs().put(base + j, x);
          } else {
            t.ints().put(base + j, (int) x);
          }
        }
      }
    }
    return counts;
  }
}
