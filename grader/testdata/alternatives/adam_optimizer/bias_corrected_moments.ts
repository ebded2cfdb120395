// A correct alternative (a grader proof): the textbook form with bias-corrected moments, x −= lr·m̂/(√v̂ + ε) (PyTorch's), which differs from SPEC's lrₜ form only by where ε sits (ε·√(1 − β2ᵗ) instead of ε): a trajectory difference of order ε that the grader must accept. Memory under its own keys in `state`. It must get full marks.
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
