/**
 * Hidden checks of adamOptimizer (dropped from a student release): the
 * public five-step trajectory on two modules' parameters, rerun on other
 * inputs with other betas, epsilon and learning rate. Against the reference.
 *
 * @module
 */

import { optimizerSpec } from "../specs/_optimizer.ts";
import type { HiddenPart } from "../specs/mod.ts";
import { pick, renamed } from "./_part.ts";
import { adamConstants, adamMistakes } from "../specs/adam_optimizer.ts";

const C = { learningRate: 0.02, beta1: 0.6, beta2: 0.8, epsilon: 1e-3 };

const built = renamed(
  optimizerSpec("adam_optimizer", {
    fn: "adamOptimizer",
    config: C,
    constants: adamConstants(C),
    mistakes: adamMistakes(C),
  }),
  "hidden.",
);

const betas = `β1 = ${C.beta1}, β2 = ${C.beta2}, epsilon = ${C.epsilon}`;

/** The hidden part. */
export const hidden: HiddenPart = pick(
  {
    probes: built.probes,
    checks: built.checks.map((c) => ({ ...c, name: `${c.name} (${betas})`, judge: c.judge })),
  },
  { "hidden.step5.var1": 2, "hidden.step5.var3": 2 },
);
