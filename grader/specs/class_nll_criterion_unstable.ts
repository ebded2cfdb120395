/**
 * ClassNLLCriterionUnstable: −Σ target·log(clip(input, EPS, 1 − EPS)) / N on
 * probabilities, including probabilities of exactly 0 and 1 (clipping).
 *
 * @module
 */

import { criterionSpec, oneHot, probabilities, shuffledPairs } from "./_criterion.ts";
import { ELEMENTWISE_TOL, scaled } from "../judge/compare.ts";
import { tv, zipMap } from "../judge/signatures.ts";

/** The spec. */
export const spec = criterionSpec("class_nll_criterion_unstable", {
  className: "ClassNLLCriterionUnstable",
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
    },
  ],
  mistakes: {
    loss: (p) => [
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
      {
        says: "the loss is divided by N·D (the mean over every element) instead of N",
        hint: "SPEC.md: criterions divide by the batch size N only",
        value: (j) => {
          const x = tv(j.plan(p, "input"));
          return (j.reference(p, "loss") as number) * x.shape[0] / x.data.length;
        },
      },
      {
        says: "the loss is not divided by the batch size N",
        value: (j) => (j.reference(p, "loss") as number) * tv(j.plan(p, "input")).shape[0],
      },
    ],
    gradInput: (p) => [
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
        says: "gradInput is divided by N·D (the mean over every element) instead of N",
        value: (j) => {
          const x = tv(j.plan(p, "input"));
          return scaled(j.reference(p, "gradInput"), x.shape[0] / x.data.length);
        },
      },
      {
        says: "gradInput is not divided by the batch size N",
        value: (j) => scaled(j.reference(p, "gradInput"), tv(j.plan(p, "input")).shape[0]),
      },
    ],
  },
});
