/**
 * LeakyReLU: forward and backward on several shapes and slopes, central
 * differences away from the kink, and the kink (gradient `slope` at 0).
 *
 * @module
 */

import { type LayerCase, layerSpec } from "./_layer.ts";
import { zipMap } from "../judge/signatures.ts";
import type { Mistake } from "../judge/compare.ts";
import type { Judge } from "../spec.ts";

const SLOPE = 0.03;
/** Default slopes of other libraries (PyTorch 0.01, TensorFlow 0.2, Keras 0.3) and other guesses. */
const OTHER_DEFAULTS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.3];

const slopeOf = (c: LayerCase) => (c.args?.[0] as number | undefined) ?? SLOPE;
/** The slope of probe `p`, from the constructor arguments its plan holds. */
const slopeAt = (j: Judge, p: string) => (j.planSetting(p, "args") as number[])[0] ?? SLOPE;

/** `f(x, slope)` at every element of the input, with every wrong default slope (cases built with the default only). */
function otherDefaults(p: string, f: (x: number, r: number, slope: number) => number): Mistake["value"] {
  return (j) =>
    (j.planSetting(p, "args") as number[]).length
      ? undefined
      : OTHER_DEFAULTS.map((s) =>
        zipMap([j.plan(p, "input"), j.plan(p, "gradOutput")], (x, r) => f(x, r, s))
      );
}

const DEFAULT_SLOPE = {
  says: `the default slope is not SPEC's ${SLOPE} (another library's default?)`,
  hint: `SPEC.md: new LeakyReLU() has slope ${SLOPE}; LeakyReLU(slope) keeps the slope it is given`,
};

/** The spec. */
export const spec = layerSpec("leaky_relu", {
  className: "LeakyReLU",
  args: [],
  elementwise: true,
  constants: (c) => [{ value: slopeOf(c), symbol: "slope" }],
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
      traits: { values: "inputs with exact zeros" },
    },
  ],
  mistakes: {
    output: (p) => [{
      says: "the slope is applied to positive inputs too",
      hint: "Positive inputs pass through unchanged; only x ≤ 0 is multiplied by the slope",
      value: (j) => zipMap([j.plan(p, "input")], (x) => x * slopeAt(j, p)),
    }, {
      says: "negative inputs are set to 0, as in ReLU",
      value: (j) => zipMap([j.plan(p, "input")], (x) => Math.max(x, 0)),
    }, {
      says: "the two branches are swapped: slope·x for x > 0, x for x ≤ 0",
      hint: "output = x where x > 0, slope·x elsewhere",
      value: (j) => zipMap([j.plan(p, "input")], (x) => (x > 0 ? slopeAt(j, p) * x : x)),
    }, {
      ...DEFAULT_SLOPE,
      value: otherDefaults(p, (x, _, s) => (x > 0 ? x : s * x)),
    }],
    gradInput: (p) => [{
      says: "the gradient of negative inputs is 0, as in ReLU (the slope is missing)",
      hint: "For x ≤ 0 the derivative is the slope, not 0",
      value: (j) => zipMap([j.plan(p, "input"), j.plan(p, "gradOutput")], (x, r) => (x > 0 ? r : 0)),
    }, {
      says: "the gradient at exactly 0 is 1, not the slope",
      hint: "SPEC.md: the gradient of LeakyReLU at 0 is the slope (use input > 0, not input >= 0)",
      value: (j) =>
        zipMap(
          [j.plan(p, "input"), j.plan(p, "gradOutput")],
          (x, r) => (x >= 0 ? r : r * slopeAt(j, p)),
        ),
    }, {
      says: "gradInput ignores gradOutput (it is only the local derivative)",
      value: (j) => zipMap([j.plan(p, "input")], (x) => (x > 0 ? 1 : slopeAt(j, p))),
    }, {
      says: "the two branches of the derivative are swapped: slope for x > 0, 1 for x ≤ 0",
      hint: "The derivative is 1 where x > 0 and the slope elsewhere",
      value: (j) =>
        zipMap([j.plan(p, "input"), j.plan(p, "gradOutput")], (x, r) => (x > 0 ? r * slopeAt(j, p) : r)),
    }, {
      ...DEFAULT_SLOPE,
      value: otherDefaults(p, (x, r, s) => (x > 0 ? r : s * r)),
    }],
  },
});
