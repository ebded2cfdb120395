/**
 * `sgdMomentum`: stochastic gradient descent with momentum (a worked example,
 * given finished).
 *
 * @module
 */

import type { Tensor } from "../lib/tensor.ts";
import { checkNumber, checkOptimizerArguments, optimizerMemory } from "./_check.ts";

/** Hyper-parameters of {@linkcode sgdMomentum}. */
export interface SgdMomentumConfig {
  /** Step size; it lives inside the velocity. */
  learningRate: number;
  /** Fraction of the previous velocity kept, in [0, 1). */
  momentum: number;
}

/** The optimizer's memory: `velocities`, one tensor per variable, created on the first call. */
export type SgdMomentumState = Record<string, unknown>;

/**
 * One step of SGD with momentum, **in place**, for every variable x with
 * gradient g: `v = momentum·v + learningRate·g; x −= v`. The velocity v starts
 * at 0 and lives in `state` (key `velocities`), so calling again with the same
 * `state` continues the run. (PyTorch's SGD keeps the learning rate outside
 * the velocity; with a constant learning rate the steps are the same.)
 *
 * `variables` and `gradients` have the structure of
 * `Sequential.getParameters()` / `getGradParameters()`: one list per module.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Tensor } from "../lib/tensor.ts";
 * import { sgdMomentum } from "./sgd_momentum.ts";
 * const x = Tensor.from([1, 2]);
 * const state = {};
 * const config = { learningRate: 0.1, momentum: 0.5 };
 * sgdMomentum([[x]], [[Tensor.from([1, 1])]], config, state); // v = 0.1
 * sgdMomentum([[x]], [[Tensor.from([1, 1])]], config, state); // v = 0.05 + 0.1
 * assert.ok(x.allClose(Tensor.from([0.75, 1.75])));
 * ```
 */
export function sgdMomentum(
  variables: Tensor[][],
  gradients: Tensor[][],
  config: SgdMomentumConfig,
  state: SgdMomentumState,
): void {
  const pairs = checkOptimizerArguments("sgdMomentum", variables, gradients);
  const lr = checkNumber("sgdMomentum", "learningRate", config.learningRate, "to be ≥ 0", (v) => v >= 0);
  const momentum = checkNumber(
    "sgdMomentum",
    "momentum",
    config.momentum,
    "in [0, 1)",
    (v) => v >= 0 && v < 1,
  );
  const velocities = optimizerMemory("sgdMomentum", state, "velocities", pairs.map(([x]) => x));
  pairs.forEach(([x, g], i) => {
    // velocity = momentum·velocity + lr·gradient, then variable −= velocity: one pass over the
    // three arrays (the same arithmetic as velocity.mulInPlace(momentum).addScaledInPlace(lr, g)
    // followed by x.subInPlace(velocity), which would pass over them three times)
    const [xs, gs, vs] = [x.data, g.data, velocities[i].data];
    for (let j = 0; j < xs.length; j++) {
      vs[j] = vs[j] * momentum + lr * gs[j];
      xs[j] -= vs[j];
    }
  });
}
