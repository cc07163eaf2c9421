/**
 * Internal: the ONNX Runtime engine ({@code engine: ort}), the default and the hot path. It owns
 * the process's one {@code OrtEnvironment}; sessions, runners with their reused direct buffers and
 * pinned outputs are package-private. Not part of the API.
 */
package io.batchscore.core.engine.ort;
