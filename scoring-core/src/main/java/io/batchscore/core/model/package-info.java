/**
 * What a model is and where it comes from: {@link io.batchscore.core.model.ModelSource} (a file,
 * with its external weight files kept inside its folder, or bytes in memory; its SHA-256, which
 * pins and caches a model), {@link io.batchscore.core.model.ModelInfo} and the {@link
 * io.batchscore.core.model.ModelSignature} of its inputs and outputs ({@link
 * io.batchscore.core.model.ValueInfo}) with its metadata, and {@link
 * io.batchscore.core.model.ModelLoadException} for a model that cannot be used.
 *
 * <p>The reader of ONNX external-data locations is package-private; it decodes only what it needs
 * of the protobuf wire format and never holds the weights.
 */
package io.batchscore.core.model;
