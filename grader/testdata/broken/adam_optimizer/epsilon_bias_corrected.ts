// Broken on purpose (a grader proof): the textbook/PyTorch form lr·m̂/(√v̂ + ε), which SPEC.md does not use: it adds epsilon to √v (x −= lrₜ·m/(√v + ε)), so epsilon is bias-corrected here. Off by ~1e-6 at ε = 1e-8, by ~1e-3 at ε = 1e-3.
// @fails step1.var1, step2.var1
// @diagnosis a small term (such as an epsilon)
import type { Tensor } from "../../../../lib/tensor.ts";

/** Hyper-parameters. */
export interface AdamOptimizerConfig {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** The optimizer's memory. */
export type AdamOptimizerState = Record<string, unknown>;

/** One Adam step, in place. */
export function adamOptimizer(
  variables: Tensor[][],
  gradients: Tensor[][],
  config: AdamOptimizerConfig,
  state: AdamOptimizerState,
): void {
  const t = ((state.t as number | undefined) ?? 0) + 1;
  state.t = t;
  const flat = variables.flat();
  const grads = gradients.flat();
  const m = (state.firstMoments ??= flat.map((x) => new Float64Array(x.data.length))) as Float64Array[];
  const v = (state.secondMoments ??= flat.map((x) => new Float64Array(x.data.length))) as Float64Array[];
  const c1 = 1 - config.beta1 ** t;
  const c2 = 1 - config.beta2 ** t;
  flat.forEach((x, k) => {
    const g = grads[k].data;
    for (let i = 0; i < g.length; i++) {
      m[k][i] = config.beta1 * m[k][i] + (1 - config.beta1) * g[i];
      v[k][i] = config.beta2 * v[k][i] + (1 - config.beta2) * g[i] ** 2;
      const mHat = m[k][i] / c1;
      const vHat = v[k][i] / c2;
      x.data[i] -= config.learningRate * mHat / (Math.sqrt(vHat) + config.epsilon);
    }
  });
}
