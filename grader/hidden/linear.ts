/**
 * Hidden checks of Linear (dropped from a student release): a wide layer on
 * a large batch, against the reference and central differences.
 *
 * @module
 */

import { layerSpec } from "../specs/_layer.ts";
import { LINEAR_MISTAKES, LINEAR_OUTPUT, LINEAR_PARAMS } from "../specs/linear.ts";
import type { HiddenPart } from "../specs/mod.ts";

const part = layerSpec("linear", {
  className: "Linear",
  args: [12, 7],
  params: LINEAR_PARAMS,
  outputShape: LINEAR_OUTPUT,
  cases: [{ id: "hidden64", label: "a batch of 64 (12 → 7)", shape: [64, 12], gradcheck: true }],
  mistakes: LINEAR_MISTAKES,
});

/** The hidden part. */
export const hidden: HiddenPart = {
  probes: part.probes,
  checks: part.checks.filter((c) => c.id.endsWith(".hidden64")),
};
