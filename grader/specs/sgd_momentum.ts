/**
 * sgdMomentum (worked example): a five-step trajectory with the velocity
 * carried in `state`, a fresh state, in-place updates.
 *
 * @module
 */

import { optimizerSpec, replay } from "./_optimizer.ts";
import type { Mistake } from "../judge/compare.ts";

const LR = 0.1;
const MOMENTUM = 0.9;

/** The spec. */
export const spec = optimizerSpec("sgd_momentum", {
  fn: "sgdMomentum",
  config: { learningRate: LR, momentum: MOMENTUM },
  mistakes: (s, k): Mistake[] => [{
    says: "the velocity is not carried between calls (plain SGD)",
    hint: "Keep the velocity in state and update it: v = momentum·v + learningRate·g",
    value: (j) => ({
      shape: (j.plan("run", `x0.${k}`) as { shape: number[] }).shape,
      data: replay(j, (x, g) => x.forEach((_, i) => (x[i] -= LR * g[i])))[s][k],
    }),
  }],
});
