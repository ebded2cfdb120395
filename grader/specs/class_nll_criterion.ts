/**
 * ClassNLLCriterion: −Σ target·input / N on log-probabilities.
 *
 * @module
 */

import { criterionSpec, divisionMistakes, oneHot, probabilities } from "./_criterion.ts";
import { tv, zipMap } from "../judge/signatures.ts";
import type { Rng } from "./_rng.ts";

const logProbabilities = (rng: Rng, s: readonly number[]) => probabilities(rng, s).map(Math.log);

/** The spec. */
export const spec = criterionSpec("class_nll_criterion", {
  className: "ClassNLLCriterion",
  axis: "classes",
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
      ...divisionMistakes(p, "loss", "C"),
      {
        says: "the sign is flipped (the loss must be −Σ target·input / N)",
        value: (j) => -(j.reference(p, "loss") as number),
      },
      {
        says: "the input is treated as probabilities (their log taken): it already holds log-probabilities",
        hint: "ClassNLLCriterion follows LogSoftMax: loss = −Σ target·input / N, no log",
        value: (j) => {
          const x = tv(j.plan(p, "input"));
          const t = tv(j.plan(p, "target"));
          return -x.data.reduce((a, v, i) => a + t.data[i] * Math.log(v), 0) / x.shape[0];
        },
      },
    ],
    gradInput: (p) => [
      ...divisionMistakes(p, "gradInput", "C"),
      {
        says: "the input is treated as probabilities (−target/input): it already holds log-probabilities",
        hint: "The derivative of −Σ target·input / N is −target / N",
        value: (j) => {
          const n = tv(j.plan(p, "input")).shape[0];
          return zipMap([j.plan(p, "input"), j.plan(p, "target")], (x, t) => -t / x / n);
        },
      },
    ],
  },
});
