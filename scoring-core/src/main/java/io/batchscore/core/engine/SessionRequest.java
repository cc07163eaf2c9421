package io.batchscore.core.engine;

import io.batchscore.core.model.ModelSource;
import io.batchscore.core.spec.SessionConfig;

/**
 * What an engine needs to open a session.
 *
 * @param source the model
 * @param device the planned device
 * @param config the spec's session options
 * @param intraOpThreads resolved threads per operator
 */
public record SessionRequest(
    ModelSource source, DevicePlan device, SessionConfig config, int intraOpThreads) {}
