/**
 * Flatten (worked example): `[N, ...] → [N, product]` row-major, and the
 * backward reshape back.
 *
 * @module
 */

import { layerSpec } from "./_layer.ts";

/** The spec. */
export const spec = layerSpec("flatten", {
  className: "Flatten",
  args: [],
  outputShape: ([n, ...rest]) => [n, rest.reduce((a, b) => a * b, 1)],
  cases: [
    { id: "image", label: "a [2, 3, 4, 4] image batch", shape: [2, 3, 4, 4], gradcheck: true },
    { id: "batch1", label: "a [1, 2, 5] batch of 1", shape: [1, 2, 5] },
    { id: "matrix", label: "an already flat [3, 7] batch", shape: [3, 7] },
  ],
});
