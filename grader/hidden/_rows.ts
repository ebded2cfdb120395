/**
 * Inputs of the hidden SoftMax and LogSoftMax checks.
 *
 * @module
 */

import type { Rng } from "../specs/_rng.ts";
import { layerSpec, type MistakeTable } from "../specs/_layer.ts";
import type { HiddenPart } from "../specs/mod.ts";
import { pick } from "./_part.ts";

/**
 * Rows of `width` values of mixed magnitudes, by row: ±1e-3, ±3, ±40, ±3 with
 * one spike of +800 (its softmax is a one-hot to rounding), and −900 ± 3.
 */
export function mixedRows(width: number): (rng: Rng, n: number) => Float64Array {
  return (rng, n) => {
    const out = rng.array(n, -1, 1);
    const scale = [1e-3, 3, 40, 3, 3];
    const shift = [0, 0, 0, 0, -900];
    for (let i = 0; i < n; i++) {
      const row = Math.floor(i / width) % scale.length;
      out[i] = out[i] * scale[row] + shift[row];
    }
    const spike = 3 * width + Math.floor(rng.next() * width);
    if (spike < n) out[spike] = 800;
    return out;
  };
}

/** The hidden part of SoftMax or LogSoftMax: forward and backward on wide rows of mixed magnitudes (5×64). */
export function wideRowsPart(lesson: string, className: string, mistakes: MistakeTable): HiddenPart {
  const built = layerSpec(lesson, {
    className,
    args: [],
    cases: [{
      id: "hidden.wide",
      label: "wide rows of mixed magnitudes (5×64)",
      shape: [5, 64],
      fill: mixedRows(64),
      traits: { values: "rows of mixed magnitudes" },
    }],
    mistakes,
  });
  return pick(built, { "forward.hidden.wide": 2, "gradInput.hidden.wide": 2 });
}
