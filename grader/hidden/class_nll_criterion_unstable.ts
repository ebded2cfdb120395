/**
 * Hidden checks of ClassNLLCriterionUnstable (dropped from a student
 * release): probabilities on both sides of the clip boundaries EPS and
 * 1 − EPS (tiny but not zero, just below 1, exactly EPS), with the target on
 * them. Against the reference.
 *
 * @module
 */

import { criterionSpec, shuffledPairs } from "../specs/_criterion.ts";
import { ELEMENTWISE_TOL } from "../judge/compare.ts";
import type { HiddenPart } from "../specs/mod.ts";
import { UNSTABLE_MISTAKES } from "../specs/class_nll_criterion_unstable.ts";
import { pick } from "./_part.ts";

const EPS = 1e-15;

const built = criterionSpec("class_nll_criterion_unstable", {
  className: "ClassNLLCriterionUnstable",
  axis: "classes",
  mistakes: UNSTABLE_MISTAKES,
  cases: [{
    id: "hidden.boundary",
    label: "probabilities at the clip boundaries (1e-300, EPS/2, EPS, 2·EPS, 1 − EPS/4)",
    shape: [7, 3],
    pair: shuffledPairs(
      [
        ...[1e-300, 1 - 2 * EPS, EPS],
        ...[EPS / 2, 0.5, 0.5 - EPS / 2],
        ...[EPS, 1 - EPS, 0],
        ...[2 * EPS, 0.3, 0.7 - 2 * EPS],
        ...[1 - EPS / 4, 1e-20, 0],
      ],
      [1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0],
    ),
    tol: ELEMENTWISE_TOL,
    traits: { values: "probabilities at the clip boundaries" },
  }],
});

/** The hidden part. */
export const hidden: HiddenPart = pick(built, { "loss.hidden.boundary": 2, "gradInput.hidden.boundary": 2 });
