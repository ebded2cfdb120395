/**
 * Hidden checks of BatchNormalization (dropped from a student release): the
 * moving statistics after four training batches with alpha 0.3 (not the
 * public 0.9), evaluation mode with them, and a tall 64×3 batch in training
 * mode. Against the reference.
 *
 * @module
 */

import { layerSpec } from "../specs/_layer.ts";
import { tensorCheck } from "../judge/compare.ts";
import { tensorValue } from "../spec.ts";
import { movingProbe } from "../specs/batch_normalization.ts";
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
    tensorCheck({
      id: "hidden.moving.mean",
      name: `movingMean after ${BATCHES} training batches of different sizes (alpha ${ALPHA})`,
      points: 1,
      what: "movingMean",
      got: ["hidden.moving", "movingMean"],
      hint: "moving = alpha·moving + (1 − alpha)·batch, with the alpha given to the constructor",
    }),
    tensorCheck({
      id: "hidden.moving.variance",
      name: `movingVariance after ${BATCHES} training batches of different sizes (alpha ${ALPHA})`,
      points: 1,
      what: "movingVariance",
      got: ["hidden.moving", "movingVariance"],
      hint: "moving = alpha·moving + (1 − alpha)·batch (biased variance), with the constructor's alpha",
    }),
    tensorCheck({
      id: "hidden.eval.output",
      name: `evaluation mode after ${BATCHES} batches (alpha ${ALPHA}) normalises with the moving statistics`,
      points: 1,
      what: "output in evaluation mode",
      got: ["hidden.moving", "evalOutput"],
    }),
  ],
};
