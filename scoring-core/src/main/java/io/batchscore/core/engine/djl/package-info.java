/**
 * Internal: DJL's ONNX Runtime engine ({@code engine: djl}), the second engine behind the same
 * runner interface. Sessions, runners and the rewrite that gives DJL a copy of a model without
 * ZipMap nodes (DJL never releases ZipMap outputs) are package-private. Not part of the API.
 */
package io.batchscore.core.engine.djl;
