/**
 * adamOptimizer: a five-step trajectory with m, v and t carried in `state`,
 * a fresh state, in-place updates; signatures of the classic Adam mistakes.
 *
 * @module
 */

import { optimizerSpec, replay } from "./_optimizer.ts";
import type { Mistake } from "../judge/compare.ts";
import type { Judge } from "../spec.ts";

const C = { learningRate: 0.05, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

type Variant = { bias?: "none" | "late"; epsInside?: boolean; reset?: boolean; textbook?: boolean };
type Config = typeof C;

function adam(v: Variant, c: Config = C) {
  return (x: Float64Array, g: Float64Array, mem: Record<string, Float64Array>, t: number) => {
    mem.m ??= new Float64Array(x.length);
    mem.v ??= new Float64Array(x.length);
    const tt = v.bias === "late" ? t - 1 : t;
    const lrT = v.bias === "none"
      ? c.learningRate
      : c.learningRate * Math.sqrt(1 - c.beta2 ** tt) / (1 - c.beta1 ** tt);
    for (let i = 0; i < x.length; i++) {
      mem.m[i] = c.beta1 * mem.m[i] + (1 - c.beta1) * g[i];
      mem.v[i] = c.beta2 * mem.v[i] + (1 - c.beta2) * g[i] * g[i];
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

const sig = (says: string, hint: string, v: Variant) => (s: number, k: number): Mistake => ({
  says,
  hint,
  value: (j: Judge) => {
    const data = replay(j, adam(v), v.reset)[s][k];
    return { shape: (j.plan("run", `x0.${k}`) as { shape: number[] }).shape, data };
  },
});

/** The spec. */
export const spec = optimizerSpec("adam_optimizer", {
  fn: "adamOptimizer",
  config: C,
  mistakes: (s, k) => [
    sig("the bias correction is missing (lrₜ = learningRate)", "lrₜ = learningRate·√(1 − β2ᵗ)/(1 − β1ᵗ)", {
      bias: "none",
    })(s, k),
    sig("t is incremented after computing lrₜ", "SPEC.md: t += 1 first, so the first step uses t = 1", {
      bias: "late",
    })(s, k),
    sig("epsilon is inside the square root", "x −= lrₜ·m/(√v + epsilon): epsilon is added after the root", {
      epsInside: true,
    })(s, k),
    sig(
      "epsilon is added to the bias-corrected √v̂ (lr·m̂/(√v̂ + epsilon)) instead of to √v",
      "SPEC.md: x −= lrₜ·m/(√v + epsilon) with lrₜ = learningRate·√(1 − β2ᵗ)/(1 − β1ᵗ)",
      { textbook: true },
    )(s, k),
    sig("m, v and t are not carried between calls", "Keep m, v and t in the state object between calls", {
      reset: true,
    })(s, k),
  ],
});
