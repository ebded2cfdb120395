/**
 * adamOptimizer: a five-step trajectory with m, v and t carried in `state`,
 * a fresh state, in-place updates; signatures of the classic Adam mistakes.
 *
 * @module
 */

import { type Carry, optimizerSpec, trajectoryMistake, VARIABLES } from "./_optimizer.ts";
import type { Mistake } from "../judge/compare.ts";
import type { NamedConstant } from "../spec.ts";

/** Adam's configuration. */
export interface AdamConfig {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
}

const C: AdamConfig = { learningRate: 0.05, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

/** A way Adam's update can go wrong. */
type Variant = {
  bias?: "none" | "late" | "swapped";
  epsInside?: boolean;
  textbook?: boolean;
  swappedAverages?: boolean;
  betas?: "beta1" | "beta2" | "swapped";
};

function adam(v: Variant, c: AdamConfig) {
  return (x: Float64Array, g: Float64Array, mem: Record<string, Float64Array>, t: number) => {
    mem.m ??= new Float64Array(x.length);
    mem.v ??= new Float64Array(x.length);
    const tt = v.bias === "late" ? t - 1 : t;
    const lrT = v.bias === "none"
      ? c.learningRate
      : v.bias === "swapped"
      ? c.learningRate * Math.sqrt(1 - c.beta1 ** tt) / (1 - c.beta2 ** tt)
      : c.learningRate * Math.sqrt(1 - c.beta2 ** tt) / (1 - c.beta1 ** tt);
    const [k1, k2] = v.swappedAverages
      ? [1 - c.beta1, 1 - c.beta2]
      : v.betas === "beta2"
      ? [c.beta2, c.beta2]
      : v.betas === "beta1"
      ? [c.beta1, c.beta1]
      : v.betas === "swapped"
      ? [c.beta2, c.beta1]
      : [c.beta1, c.beta2];
    for (let i = 0; i < x.length; i++) {
      mem.m[i] = k1 * mem.m[i] + (1 - k1) * g[i];
      mem.v[i] = k2 * mem.v[i] + (1 - k2) * g[i] * g[i];
      if (v.textbook) {
        x[i] -= c.learningRate * (mem.m[i] / (1 - c.beta1 ** t)) /
          (Math.sqrt(mem.v[i] / (1 - c.beta2 ** t)) + c.epsilon);
        continue;
      }
      x[i] -= lrT * mem.m[i] /
        (v.epsInside ? Math.sqrt(mem.v[i] + c.epsilon) : Math.sqrt(mem.v[i]) + c.epsilon);
    }
  };
}

/** The classic Adam mistakes for config `c` (the hidden part names them with its own). */
export function adamMistakes(c: AdamConfig): (s: number, k: number) => Mistake[] {
  const sig = (says: string, hint: string, v: Variant, ...carries: Carry[]) =>
    trajectoryMistake(says, hint, adam(v, c), ...carries);
  const mistakes = [
    sig("the bias correction is missing (lrₜ = learningRate)", "lrₜ = learningRate·√(1 − β2ᵗ)/(1 − β1ᵗ)", {
      bias: "none",
    }),
    sig("t is incremented after computing lrₜ", "SPEC.md: t += 1 first, so the first step uses t = 1", {
      bias: "late",
    }),
    sig("epsilon is inside the square root", "x −= lrₜ·m/(√v + epsilon): epsilon is added after the root", {
      epsInside: true,
    }),
    sig(
      "epsilon is added to the bias-corrected √v̂ (lr·m̂/(√v̂ + epsilon)) instead of to √v",
      "SPEC.md: x −= lrₜ·m/(√v + epsilon) with lrₜ = learningRate·√(1 − β2ᵗ)/(1 − β1ᵗ)",
      { textbook: true },
    ),
  ];
  const mixed = trajectoryMistake(
    "β1 and β2 are mixed up in the moving averages (m must use β1, v β2)",
    "m = β1·m + (1 − β1)·g; v = β2·v + (1 − β2)·g²",
    (["beta2", "beta1", "swapped"] as const).map((betas) => adam({ betas }, c)),
  );
  const reset = sig(
    "the state is not carried between calls (m and v, or t, start afresh at every call)",
    "Keep m, v and t in the state object passed in, and update them there",
    {},
    { reset: "all" },
    { reset: "moments" },
    { t: () => 1 },
  );
  // The usual defaults (this spec's public config) typed in, whatever the config says.
  const typedIn = trajectoryMistake(
    "β1 and β2 are not read from the config (0.9 and 0.999 typed in?)",
    "Read beta1, beta2 and epsilon from config: the hidden checks use other values",
    adam({}, { ...c, beta1: C.beta1, beta2: C.beta2 }),
  );
  const perVariable = sig(
    "t is counted once per variable instead of once per call",
    "t += 1 once per call of adamOptimizer, before the loop over the variables",
    {},
    { t: (s, k) => s * VARIABLES + k + 1 },
  );
  return (s, k) => [
    ...mistakes.map((m) => m(s, k)),
    mixed(s, k),
    reset(s, k),
    perVariable(s, k),
    ...(c.beta1 !== C.beta1 || c.beta2 !== C.beta2 ? [typedIn(s, k)] : []),
  ];
}

/** The numbers of Adam's update a wrong factor might be. */
export function adamConstants(c: AdamConfig): NamedConstant[] {
  return [
    { value: 1 - c.beta1, symbol: "1 − β1" },
    { value: 1 - c.beta2, symbol: "1 − β2" },
    {
      value: Math.sqrt(1 - c.beta2) / (1 - c.beta1),
      symbol: "√(1 − β2)/(1 − β1)",
      meaning: "the first step's bias correction",
    },
  ];
}

/** The spec. */
export const spec = optimizerSpec("adam_optimizer", {
  fn: "adamOptimizer",
  config: { ...C },
  constants: adamConstants(C),
  mistakes: adamMistakes(C),
});
