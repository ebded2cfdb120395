/**
 * Hidden checks of Conv2d (dropped from a student release): a 5×5 kernel
 * taller than a non-square image (3×8, so a window overhangs both the top and
 * the bottom edge), 3 → 2 channels, a batch of 1; and a 1×1 kernel on a 5×2
 * image, 3 → 2 channels. Against the reference.
 *
 * @module
 */

import { layerSpec } from "../specs/_layer.ts";
import { CONV_MISTAKES, CONV_OUTPUT, CONV_PARAMS, KERNEL } from "../specs/conv2d.ts";
import type { HiddenPart } from "../specs/mod.ts";
import { pick } from "./_part.ts";

const built = layerSpec("conv2d", {
  className: "Conv2d",
  args: [3, 2, 5],
  params: CONV_PARAMS,
  outputShape: CONV_OUTPUT,
  cases: [
    {
      id: "hidden.k5tall",
      label: "3 → 2 channels, 5×5 kernel, a 3×8 image, a batch of 1",
      shape: [1, 3, 3, 8],
      traits: KERNEL[5],
    },
    {
      id: "hidden.k1",
      label: "3 → 2 channels, 1×1 kernel, a 5×2 image",
      shape: [2, 3, 5, 2],
      args: [3, 2, 1],
      traits: KERNEL[1],
    },
  ],
  mistakes: CONV_MISTAKES,
});

/** The hidden part. */
export const hidden: HiddenPart = pick(built, {
  "forward.hidden.k5tall": 2,
  "gradInput.hidden.k5tall": 2,
  "gradW.hidden.k5tall": 1,
  "gradb.hidden.k5tall": 1,
  "forward.hidden.k1": 2,
});
