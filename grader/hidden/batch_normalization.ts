/**
 * Hidden checks of BatchNormalization (dropped from a student release): the
 * moving statistics after four training batches with alpha 0.3 (not the
 * public 0.9), evaluation mode with them, and a tall 64×3 batch in training
 * mode. Against the reference.
 *
 * @module
 */

import { layerSpec } from "../specs/_layer.ts";
import { tensorValue } from "../spec.ts";
import {
  BATCH_NORMALIZATION_MISTAKES,
  movingChecks,
  movingProbe,
  TRAINING,
} from "../specs/batch_normalization.ts";
import type { HiddenPart } from "../specs/mod.ts";
import { pick } from "./_part.ts";

const ALPHA = 0.3;
const BATCHES = 4;
const D = 3;

const tall = pick(
  layerSpec("batch_normalization", {
    className: "BatchNormalization",
    args: [],
    fill: (rng, n) => rng.array(n, -2, 5),
    cases: [{ id: "hidden.tall", label: "a 64×3 batch", shape: [64, D] }],
    mistakes: BATCH_NORMALIZATION_MISTAKES,
    traits: TRAINING,
  }),
  { "forward.hidden.tall": 1, "gradInput.hidden.tall": 1 },
);

const moving = movingProbe(
  "hidden.moving",
  ALPHA,
  BATCHES,
  (rng, b) => tensorValue([5 + 3 * b, D], rng.array((5 + 3 * b) * D, -3 + b, 2 + 2 * b)),
  (rng) => tensorValue([6, D], rng.array(6 * D, -2, 6)),
  false,
);

/** The hidden part. */
export const hidden: HiddenPart = {
  probes: [...tall.probes, moving],
  checks: [
    ...tall.checks,
    ...movingChecks({
      probe: "hidden.moving",
      alpha: ALPHA,
      batches: BATCHES,
      prefix: "hidden.",
      points: { mean: 1, variance: 1, output: 1 },
      names: {
        mean: `movingMean after ${BATCHES} training batches of different sizes (alpha ${ALPHA})`,
        variance: `movingVariance after ${BATCHES} training batches of different sizes (alpha ${ALPHA})`,
        output:
          `evaluation mode after ${BATCHES} batches (alpha ${ALPHA}) normalises with the moving statistics`,
      },
    }),
  ],
};
