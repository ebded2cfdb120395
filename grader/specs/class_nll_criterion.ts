/**
 * ClassNLLCriterion: −Σ target·input / N on log-probabilities.
 *
 * @module
 */

import { criterionSpec, oneHot, probabilities } from "./_criterion.ts";
import { scaled } from "../judge/compare.ts";
import { tv } from "../judge/signatures.ts";
import type { Rng } from "./_rng.ts";

const logProbabilities = (rng: Rng, s: readonly number[]) => probabilities(rng, s).map(Math.log);

/** The spec. */
export const spec = criterionSpec("class_nll_criterion", {
  className: "ClassNLLCriterion",
  cases: [
    // gradInput = −target/N has few values on small one-hot batches: it counts once the loss passes.
    {
      id: "batch1",
      label: "a batch of 1",
      shape: [1, 4],
      input: logProbabilities,
      target: oneHot,
      gradInputAfterLoss: true,
    },
    {
      id: "rect",
      label: "a 6×3 batch",
      shape: [6, 3],
      input: logProbabilities,
      target: oneHot,
      gradcheck: true,
      gradInputAfterLoss: true,
    },
    { id: "large", label: "a 32×10 batch", shape: [32, 10], input: logProbabilities, target: oneHot },
  ],
  mistakes: {
    loss: (p) => [
      {
        says: "the sign is flipped (the loss must be −Σ target·input / N)",
        value: (j) => -(j.reference(p, "loss") as number),
      },
      {
        says: "the loss is not divided by the batch size N",
        hint: "Criterions divide by N: −Σ target·input / N",
        value: (j) => (j.reference(p, "loss") as number) * tv(j.plan(p, "input")).shape[0],
      },
    ],
    gradInput: (p) => [
      {
        says: "gradInput is not divided by the batch size N",
        value: (j) => scaled(j.reference(p, "gradInput"), tv(j.plan(p, "input")).shape[0]),
      },
      { says: "gradInput has its sign flipped", value: (j) => scaled(j.reference(p, "gradInput"), -1) },
    ],
  },
});
