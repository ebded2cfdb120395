// A correct alternative (a grader proof): the velocities live in a WeakMap keyed by the variable tensor, stored in `state` under its own key, updated with raw loops. It must get full marks.
import type { Tensor } from "../../../../lib/tensor.ts";

/** Hyper-parameters. */
export interface SgdMomentumConfig {
  learningRate: number;
  momentum: number;
}

/** The optimizer's memory. */
export type SgdMomentumState = { byTensor?: WeakMap<Tensor, Float64Array> };

/** `v = momentum·v + learningRate·g; x −= v`, in place. */
export function sgdMomentum(
  variables: Tensor[][],
  gradients: Tensor[][],
  config: SgdMomentumConfig,
  state: SgdMomentumState,
): void {
  const memory = state.byTensor ??= new WeakMap();
  variables.forEach((group, a) =>
    group.forEach((x, b) => {
      const g = gradients[a][b].data;
      let v = memory.get(x);
      if (!v) memory.set(x, v = new Float64Array(x.data.length));
      for (let i = 0; i < v.length; i++) {
        v[i] = config.momentum * v[i] + config.learningRate * g[i];
        x.data[i] -= v[i];
      }
    })
  );
}
