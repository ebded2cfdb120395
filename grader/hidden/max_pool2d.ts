/**
 * Hidden checks of MaxPool2d (dropped from a student release): window 3 on
 * non-square 6×9 images whose values come from a few levels, so most windows
 * hold tied maxima; the gradient must reach each window's first maximum in
 * row-major order. Against the reference.
 *
 * @module
 */

import { layerSpec } from "../specs/_layer.ts";
import type { Rng } from "../specs/_rng.ts";
import { POOL_MISTAKES, POOL_OUTPUT, TIES } from "../specs/max_pool2d.ts";
import type { HiddenPart } from "../specs/mod.ts";
import { pick } from "./_part.ts";

/** Values from {−1, 0, 0.5, 1}: a 3×3 window ties its maximum more often than not. */
function levels(rng: Rng, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = [-1, 0, 0.5, 1][Math.floor(rng.next() * 4)];
  return out;
}

const built = layerSpec("max_pool2d", {
  className: "MaxPool2d",
  args: [3],
  outputShape: POOL_OUTPUT,
  cases: [{
    id: "hidden.k3ties",
    label: "a [2, 2, 6, 9] batch with ties, window 3",
    shape: [2, 2, 6, 9],
    fill: levels,
    traits: TIES,
  }],
  mistakes: POOL_MISTAKES,
});

/** The hidden part. */
export const hidden: HiddenPart = pick(built, { "forward.hidden.k3ties": 2, "gradInput.hidden.k3ties": 2 });
