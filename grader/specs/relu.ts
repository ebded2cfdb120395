/**
 * ReLU (worked example): forward and backward on several shapes, central
 * differences away from the kink, and the kink itself (gradient 0 at 0).
 *
 * @module
 */

import { layerSpec } from "./_layer.ts";
import { zipMap } from "../judge/signatures.ts";

/** The spec. */
export const spec = layerSpec("relu", {
  className: "ReLU",
  args: [],
  elementwise: true,
  fill: (rng, n) => rng.awayFromZero(n),
  cases: [
    { id: "batch1", label: "a batch of 1", shape: [1, 5] },
    { id: "rect", label: "a 4×7 batch", shape: [4, 7], gradcheck: true },
    { id: "image", label: "a [2, 3, 4, 4] image batch", shape: [2, 3, 4, 4] },
    {
      id: "kink",
      label: "exact values with zeros",
      shape: [2, 3],
      fill: (rng) => rng.rearranged([-1, 0, 2, 0, 3, -0.5], 0.5, 2),
      traits: { values: "inputs with exact zeros" },
    },
  ],
  mistakes: {
    gradInput: (p) => [{
      says: "gradInput ignores gradOutput (it is only the local derivative)",
      hint: "Multiply the local derivative by gradOutput elementwise",
      value: (j) => zipMap([j.plan(p, "input")], (x) => (x > 0 ? 1 : 0)),
    }, {
      says: "the gradient at exactly 0 is 1, not 0",
      hint: "SPEC.md: the gradient of ReLU at 0 is 0 (use input > 0, not input >= 0)",
      value: (j) => zipMap([j.plan(p, "input"), j.plan(p, "gradOutput")], (x, r) => (x >= 0 ? r : 0)),
    }, {
      says: "gradOutput is multiplied by the output (max(x, 0)) instead of by the mask (x > 0)",
      hint: "The derivative of max(x, 0) is 1 where x > 0 and 0 elsewhere, whatever the size of x",
      value: (j) => zipMap([j.plan(p, "input"), j.plan(p, "gradOutput")], (x, r) => r * Math.max(x, 0)),
    }, {
      says: "the mask is inverted: the gradient passes where x < 0 instead of where x > 0",
      value: (j) => zipMap([j.plan(p, "input"), j.plan(p, "gradOutput")], (x, r) => (x < 0 ? r : 0)),
    }],
  },
});
