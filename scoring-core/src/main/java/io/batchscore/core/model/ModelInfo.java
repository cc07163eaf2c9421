package io.batchscore.core.model;

import java.io.Serializable;

/**
 * What batchscore knows of a loaded model: where it came from, its SHA-256 and size, and its
 * signature and metadata.
 */
public record ModelInfo(String source, String sha256, long sizeBytes, ModelSignature signature)
    implements Serializable {}
