/**
 * ChannelwiseScaling (worked example): `input·gamma + beta` per feature, its
 * gradients against the reference and central differences, accumulation.
 *
 * @module
 */

import { layerSpec } from "./_layer.ts";
import { columnSums } from "../judge/signatures.ts";

/** The spec. */
export const spec = layerSpec("channelwise_scaling", {
  className: "ChannelwiseScaling",
  args: [4],
  params: [
    { name: "gamma", grad: "gradGamma", shape: ([d]) => [d as number] },
    { name: "beta", grad: "gradBeta", shape: ([d]) => [d as number] },
  ],
  cases: [
    { id: "batch1", label: "a batch of 1", shape: [1, 4] },
    { id: "rect", label: "a 6×4 batch", shape: [6, 4], gradcheck: true },
    { id: "large", label: "a 32×10 batch", shape: [32, 10], args: [10] },
  ],
  mistakes: {
    gradInput: (p) => [{
      says: "gradInput is missing gamma (gradOutput passed through unchanged)",
      hint: "∂(x·gamma + beta)/∂x = gamma: gradInput = gradOutput ⊙ gamma (per feature)",
      value: (j) => j.plan(p, "gradOutput"),
    }],
    gradGamma: (p) => [{
      says: "gradGamma is missing the input: Σ gradOutput is gradBeta's formula",
      hint: "∂(x·gamma)/∂gamma = x: gradGamma += Σₙ gradOutput ⊙ input",
      value: (j) => columnSums(j.plan(p, "gradOutput")),
    }],
  },
});
