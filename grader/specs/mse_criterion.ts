/**
 * MSECriterion (worked example): Σ(input − target)²/N on several shapes.
 *
 * @module
 */

import { criterionSpec, divisionMistakes } from "./_criterion.ts";
import { scaled } from "../judge/compare.ts";

const uniform =
  (lo: number, hi: number) =>
  (rng: { array(n: number, a: number, b: number): Float64Array }, s: readonly number[]) =>
    rng.array(s.reduce((a, b) => a * b, 1), lo, hi);

/** The spec. */
export const spec = criterionSpec("mse_criterion", {
  className: "MSECriterion",
  cases: [
    { id: "batch1", label: "a batch of 1", shape: [1, 3], input: uniform(-2, 2), target: uniform(-2, 2) },
    {
      id: "rect",
      label: "a 4×5 batch",
      shape: [4, 5],
      input: uniform(-2, 2),
      target: uniform(-2, 2),
      gradcheck: true,
    },
    {
      id: "image",
      label: "a [3, 2, 2] batch",
      shape: [3, 2, 2],
      input: uniform(-1, 1),
      target: uniform(-1, 1),
    },
  ],
  mistakes: {
    loss: (p) => divisionMistakes(p, "loss"),
    gradInput: (p) => [{
      says: "the factor 2 of d(x − t)²/dx is missing",
      value: (j) => scaled(j.reference(p, "gradInput"), 0.5),
    }, ...divisionMistakes(p, "gradInput")],
  },
});
