/**
 * ELU: forward and backward on several shapes and alphas, central
 * differences away from 0.
 *
 * @module
 */

import { layerSpec } from "./_layer.ts";
import { zipMap } from "../judge/signatures.ts";

const alphaOf = (args: readonly unknown[] | undefined) => (args?.[0] as number | undefined) ?? 1;

/** The spec. */
export const spec = layerSpec("elu", {
  className: "ELU",
  args: [],
  elementwise: true,
  constants: (c) => [{ value: alphaOf(c.args), symbol: "alpha" }],
  fill: (rng, n) => rng.awayFromZero(n, -3, 3),
  cases: [
    { id: "batch1", label: "a batch of 1 (alpha 1)", shape: [1, 6] },
    { id: "rect", label: "a 5×3 batch (alpha 1)", shape: [5, 3], gradcheck: true },
    { id: "alpha", label: "a 4×6 batch with alpha 0.5", shape: [4, 6], args: [0.5], gradcheck: true },
    { id: "image", label: "a [2, 2, 3, 3] image batch", shape: [2, 2, 3, 3], args: [1.7] },
  ],
  mistakes: {
    output: (p, c) => [{
      says: "alpha scales the positive side too (alpha·x for x > 0)",
      hint: "ELU is x for x > 0: alpha only scales the negative side, alpha·(eˣ − 1)",
      value: (j) => zipMap([j.plan(p, "input")], (x) => alphaOf(c.args) * (x > 0 ? x : Math.exp(x) - 1)),
    }, {
      says: "the −1 is missing: alpha·eˣ instead of alpha·(eˣ − 1)",
      value: (j) => zipMap([j.plan(p, "input")], (x) => (x > 0 ? x : alphaOf(c.args) * Math.exp(x))),
    }, {
      says: "alpha is missing on the negative side",
      value: (j) => zipMap([j.plan(p, "input")], (x) => (x > 0 ? x : Math.exp(x) - 1)),
    }],
    gradInput: (p, c) => [{
      says: "the negative-side derivative is alpha·(eˣ − 1), the output, instead of alpha·eˣ",
      hint: "d/dx alpha·(eˣ − 1) = alpha·eˣ = output + alpha",
      value: (j) =>
        zipMap(
          [j.plan(p, "input"), j.plan(p, "gradOutput")],
          (x, r) => (x > 0 ? r : r * alphaOf(c.args) * (Math.exp(x) - 1)),
        ),
    }, {
      says: "the negative-side derivative is alpha·eˣ − 1: the −1 belongs to the forward only",
      hint: "d/dx alpha·(eˣ − 1) = alpha·eˣ: the constant −1 has derivative 0",
      value: (j) =>
        zipMap(
          [j.plan(p, "input"), j.plan(p, "gradOutput")],
          (x, r) => (x > 0 ? r : r * (alphaOf(c.args) * Math.exp(x) - 1)),
        ),
    }, {
      says: "alpha is missing from the negative-side derivative",
      value: (j) =>
        zipMap(
          [j.plan(p, "input"), j.plan(p, "gradOutput")],
          (x, r) => (x > 0 ? r : r * Math.exp(x)),
        ),
    }],
  },
});
