/**
 * The scoring spec: one declarative description (YAML or JSON) of which model, how columns feed its
 * inputs, how its outputs become columns, batch size, engine, device, session options, the null
 * policy and the columns passed through. {@link io.batchscore.core.spec.ScoringSpec} is immutable;
 * its builder checks what can be checked without the model and reports every {@link
 * io.batchscore.core.spec.Problem} at once in a {@link io.batchscore.core.spec.SpecException}.
 *
 * <p>Checking a spec against a model and an input is binding it ({@code ScoringPlan.bind}, in
 * {@code io.batchscore.core}). The parser and the structural checks are package-private.
 */
package io.batchscore.core.spec;
