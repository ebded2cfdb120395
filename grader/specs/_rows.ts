/**
 * The inputs SoftMax and LogSoftMax are both graded on: rows of moderate
 * scores of several shapes, one checked against central differences, and rows
 * of ±1000 that only a max-shifted implementation keeps finite and exact.
 *
 * @module
 */

import type { LayerCase } from "./_layer.ts";
import type { Rng } from "./_rng.ts";

/** Scores in [−3, 3]. */
export const rowFill = (rng: Rng, n: number): Float64Array => rng.array(n, -3, 3);

/** The cases, with stable ids (fixtures and hidden parts refer to them). */
export const ROW_CASES: readonly LayerCase[] = [
  { id: "batch1", label: "a batch of 1", shape: [1, 5], traits: { values: "moderate inputs" } },
  { id: "rect", label: "a 4×7 batch", shape: [4, 7], gradcheck: true, traits: { values: "moderate inputs" } },
  { id: "large", label: "a 16×10 batch", shape: [16, 10], traits: { values: "moderate inputs" } },
  {
    id: "extreme",
    label: "rows of ±1000",
    shape: [3, 3],
    traits: { values: "inputs of ±1000" },
    // Rows near +1000, near −1000 and all equal at 1000 (shuffled): only a max-shifted softmax stays finite.
    fill: (rng) => {
      const x = rng.shuffledRows([1000, 1000, -1000, -1000, -1000, -1000, 1000, 1000, 1000], 3);
      const equal = rng.uniform(-20, 20);
      for (let r = 0; r < 3; r++) {
        const same = x[3 * r] === 1000 && x[3 * r + 1] === 1000 && x[3 * r + 2] === 1000;
        for (let c = 0; c < 3; c++) x[3 * r + c] += same ? equal : rng.uniform(-3, 3);
      }
      return x;
    },
  },
];
