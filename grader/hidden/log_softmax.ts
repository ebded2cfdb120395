/**
 * Hidden checks of LogSoftMax (dropped from a student release): wide rows (64
 * columns) of mixed magnitudes, tiny, ordinary, and large with a single
 * spike. Against the reference.
 *
 * @module
 */

import { layerSpec } from "../specs/_layer.ts";
import type { HiddenPart } from "../specs/mod.ts";
import { mixedRows } from "./_rows.ts";
import { pick } from "./_part.ts";

const built = layerSpec("log_softmax", {
  className: "LogSoftMax",
  args: [],
  cases: [{
    id: "hidden.wide",
    label: "wide rows of mixed magnitudes (5×64)",
    shape: [5, 64],
    fill: mixedRows(64),
  }],
});

/** The hidden part. */
export const hidden: HiddenPart = pick(built, { "forward.hidden.wide": 2, "gradInput.hidden.wide": 2 });
