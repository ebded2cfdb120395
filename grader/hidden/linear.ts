/**
 * Hidden checks of Linear (dropped from a student release): a wide layer on
 * a large batch, against the reference and central differences.
 *
 * @module
 */

import { layerSpec } from "../_layer.ts";
import type { HiddenPart } from "../specs/mod.ts";

const part = layerSpec("linear", {
  className: "Linear",
  args: [12, 7],
  params: [{ name: "W", grad: "gradW" }, { name: "b", grad: "gradb" }],
  cases: [{ id: "hidden64", label: "a batch of 64 (12 → 7)", shape: [64, 12], gradcheck: true }],
});

/** The hidden part. */
export const hidden: HiddenPart = {
  probes: part.probes,
  checks: part.checks.filter((c) => c.id.endsWith(".hidden64")),
};
