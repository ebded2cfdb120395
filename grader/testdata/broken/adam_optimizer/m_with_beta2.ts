// Broken on purpose (a student's mistake): m is averaged with beta2 (a typo).
// @fails step1.var1, step1.var2, step1.var3
// @diagnosis β1 and β2 are mixed up
/**
 * `adamOptimizer`: Adam, adaptive moment estimation.
 *
 * @module
 */

import type { Tensor } from "../../../../lib/tensor.ts";
import { checkNumber, checkOptimizerArguments, optimizerMemory } from "../../../../lessons/_check.ts";

/** Hyper-parameters of {@linkcode adamOptimizer}. */
export interface AdamOptimizerConfig {
  /** Step size. */
  learningRate: number;
  /** Decay of the first-moment average m, in [0, 1). */
  beta1: number;
  /** Decay of the second-moment average v, in [0, 1). */
  beta2: number;
  /** Added to √v, after the bias correction of the step size. */
  epsilon: number;
}

/** The optimizer's memory: the step count `t` and the moments `m`, `v` (one tensor per variable). */
export type AdamOptimizerState = Record<string, unknown>;

/**
 * One step of Adam, **in place**. First `t += 1`; then for every variable x
 * with gradient g:
 *
 *     m = β1·m + (1 − β1)·g
 *     v = β2·v + (1 − β2)·g²
 *     lrₜ = learningRate·√(1 − β2ᵗ)/(1 − β1ᵗ)
 *     x −= lrₜ·m/(√v + epsilon)
 *
 * m and v start at 0; t, m and v live in `state`, so calling again with the
 * same `state` continues the run. epsilon is not bias-corrected (PyTorch adds
 * it to the bias-corrected √v instead; the two agree as epsilon → 0).
 *
 * @example
 * ```ts ignore
 * import assert from "node:assert/strict";
 * import { Tensor } from "../../../../lib/tensor.ts";
 * import { adamOptimizer } from "./adam_optimizer.ts";
 * const x = Tensor.from([1, -1]);
 * const state: Record<string, unknown> = {};
 * const config = { learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };
 * adamOptimizer([[x]], [[Tensor.from([3, -0.5])]], config, state);
 * // The first step moves every coordinate by ≈ learningRate against the gradient's sign.
 * assert.ok(x.allClose(Tensor.from([0.9, -0.9]), { rtol: 1e-6 }));
 * assert.equal(state.t, 1);
 * ```
 */
export function adamOptimizer(
  variables: Tensor[][],
  gradients: Tensor[][],
  config: AdamOptimizerConfig,
  state: AdamOptimizerState,
): void {
  const pairs = checkOptimizerArguments("adamOptimizer", variables, gradients);
  const lr = checkNumber("adamOptimizer", "learningRate", config.learningRate, "to be ≥ 0", (v) => v >= 0);
  const beta1 = checkNumber("adamOptimizer", "beta1", config.beta1, "in [0, 1)", (v) => v >= 0 && v < 1);
  const beta2 = checkNumber("adamOptimizer", "beta2", config.beta2, "in [0, 1)", (v) => v >= 0 && v < 1);
  const epsilon = checkNumber("adamOptimizer", "epsilon", config.epsilon, "to be ≥ 0", (v) => v >= 0);
  const m = optimizerMemory("adamOptimizer", state, "m", pairs.map(([x]) => x));
  const v = optimizerMemory("adamOptimizer", state, "v", pairs.map(([x]) => x));
  // BEGIN SOLUTION: state.t += 1 (from 0); then for each [x, g] of pairs update m[i], v[i] and x in place, as in the JSDoc above
  const t = ((state.t as number | undefined) ?? 0) + 1;
  state.t = t;
  const lrT = lr * Math.sqrt(1 - beta2 ** t) / (1 - beta1 ** t);
  pairs.forEach(([x, g], i) => {
    m[i].mulInPlace(beta2).addScaledInPlace(1 - beta2, g);
    v[i].mulInPlace(beta2).addScaledInPlace(1 - beta2, g.square());
    x.addScaledInPlace(-lrT, m[i].div(v[i].sqrt().addInPlace(epsilon)));
  });
  // END SOLUTION
}
