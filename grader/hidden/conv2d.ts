/**
 * Hidden checks of Conv2d (dropped from a student release): a 7×7 kernel on
 * a non-square image, against the reference.
 *
 * @module
 */

import { layerSpec } from "../_layer.ts";
import type { HiddenPart } from "../specs/mod.ts";

const part = layerSpec("conv2d", {
  className: "Conv2d",
  args: [2, 3, 7],
  params: [{ name: "W", grad: "gradW" }, { name: "b", grad: "gradb" }],
  cases: [{ id: "hidden7", label: "2 → 3 channels, 7×7 kernel, a 5×9 image", shape: [2, 2, 5, 9] }],
});

/** The hidden part. */
export const hidden: HiddenPart = {
  probes: part.probes,
  checks: part.checks.filter((c) => c.id.endsWith(".hidden7")),
};
