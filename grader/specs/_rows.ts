/**
 * The inputs SoftMax and LogSoftMax are both graded on: rows of moderate
 * scores of several shapes, one checked against central differences, and rows
 * of ±1000 that only a max-shifted implementation keeps finite and exact.
 *
 * @module
 */

import type { LayerCase } from "../_layer.ts";
import type { Rng } from "../_rng.ts";

/** Scores in [−3, 3]. */
export const rowFill = (rng: Rng, n: number): Float64Array => rng.array(n, -3, 3);

/** The cases, with stable ids (fixtures and hidden parts refer to them). */
export const ROW_CASES: readonly LayerCase[] = [
  { id: "batch1", label: "a batch of 1", shape: [1, 5] },
  { id: "rect", label: "a 4×7 batch", shape: [4, 7], gradcheck: true },
  { id: "large", label: "a 16×10 batch", shape: [16, 10] },
  {
    id: "extreme",
    label: "rows of ±1000",
    shape: [3, 3],
    fill: () => new Float64Array([1000, 999, -1000, -1000, -1001, -999, 1000, 1000, 1000]),
  },
];
