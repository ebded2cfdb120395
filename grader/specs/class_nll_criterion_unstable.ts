/**
 * ClassNLLCriterionUnstable: −Σ target·log(clip(input, EPS, 1 − EPS)) / N on
 * probabilities, including probabilities of exactly 0 and 1 (clipping).
 *
 * @module
 */

import {
  type CriterionOptions,
  criterionSpec,
  divisionMistakes,
  oneHot,
  probabilities,
  shuffledPairs,
} from "./_criterion.ts";
import { ELEMENTWISE_TOL } from "../judge/compare.ts";
import { tv, zipMap } from "../judge/signatures.ts";

/** The classic mistakes (the hidden part names them too). */
export const UNSTABLE_MISTAKES: NonNullable<CriterionOptions["mistakes"]> = {
  loss: (p) => [
    ...divisionMistakes(p, "loss"),
    {
      says: "the input is not clipped to [EPS, 1 − EPS]: log(0) is −Infinity",
      hint: "Clip with input.clip(EPS, 1 − EPS) before the log (ClassNLLCriterionUnstable.EPS = 1e-15)",
      value: (j) => {
        const x = tv(j.plan(p, "input"));
        const t = tv(j.plan(p, "target"));
        let s = 0;
        for (let i = 0; i < x.data.length; i++) s -= t.data[i] * Math.log(x.data[i]);
        return s / x.shape[0];
      },
    },
  ],
  gradInput: (p) => [
    ...divisionMistakes(p, "gradInput"),
    {
      says: "the input is not clipped in backward: −target/0 is −Infinity or NaN",
      hint: "gradInput = −target / clip(input, EPS, 1 − EPS) / N",
      value: (j) => {
        const n = tv(j.plan(p, "input")).shape[0];
        return zipMap([j.plan(p, "input"), j.plan(p, "target")], (x, t) => -t / x / n);
      },
    },
    {
      says:
        "gradInput is zero outside the clip range (the derivative of clip), where SPEC.md keeps −target/clip(input)/N",
      hint:
        "SPEC.md: gradInput = −target / clip(input, EPS, 1 − EPS) / N everywhere, the clipped value included",
      value: (j) => {
        const n = tv(j.plan(p, "input")).shape[0];
        return zipMap(
          [j.plan(p, "input"), j.plan(p, "target")],
          (x, t) => (x >= 1e-15 && x <= 1 - 1e-15 ? -t / x / n : 0),
        );
      },
    },
    {
      says: "gradInput leaves out the target: −1/clip(input)/N for every class",
      hint:
        "gradInput = −target / clip(input, EPS, 1 − EPS) / N: only the target class of each row gets a gradient",
      value: (j) => {
        const n = tv(j.plan(p, "input")).shape[0];
        return zipMap([j.plan(p, "input")], (x) => -1 / Math.min(Math.max(x, 1e-15), 1 - 1e-15) / n);
      },
    },
  ],
};

/** The spec. */
export const spec = criterionSpec("class_nll_criterion_unstable", {
  className: "ClassNLLCriterionUnstable",
  axis: "classes",
  cases: [
    { id: "batch1", label: "a batch of 1", shape: [1, 4], input: probabilities, target: oneHot },
    {
      id: "rect",
      label: "a 6×3 batch",
      shape: [6, 3],
      input: probabilities,
      target: oneHot,
      gradcheck: true,
    },
    { id: "large", label: "a 32×10 batch", shape: [32, 10], input: probabilities, target: oneHot },
    {
      id: "clip",
      label: "probabilities of exactly 0 and 1 (and two ordinary rows)",
      shape: [5, 3],
      pair: shuffledPairs([0, 1, 0, 1, 0, 0, 0.5, 0.5, 0], [1, 0, 0, 1, 0, 0, 0, 0, 1]),
      tol: ELEMENTWISE_TOL,
      traits: { values: "probabilities of exactly 0 and 1" },
    },
  ],
  mistakes: UNSTABLE_MISTAKES,
});
