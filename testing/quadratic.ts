/**
 * The quadratic problems the optimizer references in `torch_reference.json`
 * are run on: per variable, f(x) = ½xᵀAx + cᵀx, whose gradient `A·x + c`
 * depends on x, so a wrong step shows up in the following ones.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { quadGradients, startingPoint } from "./quadratic.ts";
 * const problem = [[{ shape: [2], x0: [1, 2], A: [[2, 0], [0, 1]], c: [0, -1] }]];
 * const xs = startingPoint(problem);
 * assert.deepEqual(quadGradients(problem, xs)[0][0].toArray(), [2, 1]);
 * ```
 *
 * @module
 */

import { Tensor } from "../lib/tensor.ts";

/** One variable of the quadratic problems in torch_reference.json: f(x) = ½xᵀAx + cᵀx. */
export interface QuadVariable {
  shape: number[];
  x0: number | number[] | number[][];
  A: number[][];
  c: number[];
}

/**
 * The variables of a problem at x0, as `Sequential.getParameters()` would give them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { startingPoint } from "./quadratic.ts";
 * const xs = startingPoint([[{ shape: [1], x0: [3], A: [[1]], c: [0] }], []]);
 * assert.deepEqual(xs.map((g) => g.length), [1, 0]);
 * ```
 */
export function startingPoint(problem: QuadVariable[][]): Tensor[][] {
  return problem.map((group) => group.map((p) => Tensor.from(p.x0)));
}

/**
 * The gradient `A·x + c` of every variable, shaped like the variables.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Tensor } from "../lib/tensor.ts";
 * import { quadGradients } from "./quadratic.ts";
 * const g = quadGradients([[{ shape: [1], x0: [0], A: [[2]], c: [1] }]], [[Tensor.from([3])]]);
 * assert.deepEqual(g[0][0].toArray(), [7]);
 * ```
 */
export function quadGradients(problem: QuadVariable[][], xs: Tensor[][]): Tensor[][] {
  return problem.map((group, i) =>
    group.map((p, j) => {
      const x = xs[i][j];
      const flat = Tensor.from(p.A).matmul(x.reshape([-1, 1])).reshape([-1]).add(Tensor.from(p.c));
      return flat.reshape(x.shape);
    })
  );
}
