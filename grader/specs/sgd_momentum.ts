/**
 * sgdMomentum (worked example): a five-step trajectory with the velocity
 * carried in `state`, a fresh state, in-place updates.
 *
 * @module
 */

import { optimizerSpec, trajectoryMistake } from "./_optimizer.ts";

const LR = 0.1;
const MOMENTUM = 0.9;

/** `v = keep·v + take·g; x −= v` (or `x −= v` before updating it, when `late`). */
function momentum(keep: number, take: number, late = false) {
  return (x: Float64Array, g: Float64Array, mem: Record<string, Float64Array>) => {
    const v = mem.v ??= new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) {
      if (late) x[i] -= v[i];
      v[i] = keep * v[i] + take * g[i];
      if (!late) x[i] -= v[i];
    }
  };
}

const mistakes = [
  trajectoryMistake(
    "the velocity is not carried between calls (plain SGD)",
    "Keep the velocity in state and update it: v = momentum·v + learningRate·g",
    momentum(0, LR),
  ),
  trajectoryMistake(
    "learningRate is missing from the update (v = momentum·v + g; x −= v)",
    "SPEC.md: v = momentum·v + learningRate·g, then x −= v",
    momentum(MOMENTUM, 1),
  ),
  trajectoryMistake(
    "the velocity is dampened: v = momentum·v + (1 − momentum)·learningRate·g (an exponential average)",
    "SPEC.md: v = momentum·v + learningRate·g, with no (1 − momentum) on the gradient",
    momentum(MOMENTUM, (1 - MOMENTUM) * LR),
  ),
  trajectoryMistake(
    "a Nesterov step: x −= momentum·v + learningRate·g, where SPEC.md's is x −= v",
    "SPEC.md: v = momentum·v + learningRate·g, then x −= v",
    (x, g, mem) => {
      momentum(MOMENTUM, LR)(new Float64Array(x.length), g, mem);
      for (let i = 0; i < x.length; i++) x[i] -= MOMENTUM * mem.v[i] + LR * g[i];
    },
  ),
  trajectoryMistake(
    "the variable moves by the previous velocity: x −= v comes before v is updated",
    "Update the velocity first, then x −= v",
    momentum(MOMENTUM, LR, true),
  ),
];

/** The spec. */
export const spec = optimizerSpec("sgd_momentum", {
  fn: "sgdMomentum",
  config: { learningRate: LR, momentum: MOMENTUM },
  constants: [{ value: 1 - MOMENTUM, symbol: "1 − momentum" }, {
    value: 1 + MOMENTUM,
    symbol: "1 + momentum",
  }],
  mistakes: (s, k) => mistakes.map((m) => m(s, k)),
});
