/**
 * LeakyReLU: forward and backward on several shapes and slopes, central
 * differences away from the kink, and the kink (gradient `slope` at 0).
 *
 * @module
 */

import { layerSpec } from "./_layer.ts";
import { zipMap } from "../judge/signatures.ts";

const SLOPE = 0.03;

/** The spec. */
export const spec = layerSpec("leaky_relu", {
  className: "LeakyReLU",
  args: [],
  fill: (rng, n) => rng.awayFromZero(n),
  cases: [
    { id: "batch1", label: "a batch of 1 (default slope)", shape: [1, 6] },
    { id: "rect", label: "a 5×3 batch (default slope)", shape: [5, 3], gradcheck: true },
    { id: "slope", label: "a 4×6 batch with slope 0.2", shape: [4, 6], args: [0.2], gradcheck: true },
    { id: "image", label: "a [2, 2, 3, 3] image batch", shape: [2, 2, 3, 3] },
    {
      id: "kink",
      label: "exact values with zeros",
      shape: [1, 4],
      fill: (rng) => rng.rearranged([-2, 0, 0, 3], 0.5, 2),
    },
  ],
  mistakes: {
    output: (p, c) => [{
      says: "the slope is applied to positive inputs too",
      hint: "Positive inputs pass through unchanged; only x ≤ 0 is multiplied by the slope",
      value: (j) => zipMap([j.plan(p, "input")], (x) => x * ((c.args?.[0] as number) ?? SLOPE)),
    }, {
      says: "negative inputs are set to 0, as in ReLU",
      value: (j) => zipMap([j.plan(p, "input")], (x) => Math.max(x, 0)),
    }],
    gradInput: (p, c) => [{
      says: "the gradient of negative inputs is 0, as in ReLU (the slope is missing)",
      hint: "For x ≤ 0 the derivative is the slope, not 0",
      value: (j) => zipMap([j.plan(p, "input"), j.plan(p, "gradOutput")], (x, r) => (x > 0 ? r : 0)),
    }, {
      says: "the gradient at exactly 0 is 1, not the slope",
      hint: "SPEC.md: the gradient of LeakyReLU at 0 is the slope (use input > 0, not input >= 0)",
      value: (j) =>
        zipMap(
          [j.plan(p, "input"), j.plan(p, "gradOutput")],
          (x, r) => (x >= 0 ? r : r * ((c.args?.[0] as number) ?? SLOPE)),
        ),
    }, {
      says: "gradInput ignores gradOutput (it is only the local derivative)",
      value: (j) => zipMap([j.plan(p, "input")], (x) => (x > 0 ? 1 : ((c.args?.[0] as number) ?? SLOPE))),
    }],
  },
});
