package io.batchscore.core.spec;

import java.io.Serializable;

/**
 * A text column fed to a Hugging Face-style model through its {@code tokenizer.json}.
 *
 * @param column the text column
 * @param tokenizer path of the tokenizer.json (relative to the spec file)
 * @param maxLength tokens per text, special tokens included; 0 to take the tokenizer.json's own
 *     truncation length (512 when it has none)
 * @param truncation true to cut longer texts to maxLength; false to refuse them (bad input)
 * @param inputIds the model input that receives token ids
 * @param attentionMask the model input that receives the attention mask
 * @param tokenTypeIds the model input that receives token type ids, or null when the model has none
 */
public record TextConfig(
    String column,
    String tokenizer,
    int maxLength,
    boolean truncation,
    String inputIds,
    String attentionMask,
    String tokenTypeIds)
    implements Serializable {
  /** maxLength when neither the spec nor the tokenizer.json sets one. */
  public static final int DEFAULT_MAX_LENGTH = 512;

  /** maxLength meaning "as the tokenizer.json says". */
  public static final int FROM_TOKENIZER = 0;
}
