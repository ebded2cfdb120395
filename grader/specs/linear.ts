/**
 * Linear: `input·Wᵀ + b` and its three gradients on a batch of 1, a
 * non-square layer, a square one (where a missing transpose does not change
 * shapes) and a larger one; central differences; accumulation.
 *
 * @module
 */

import { type LayerOptions, type LayerParam, layerSpec, type MistakeTable } from "./_layer.ts";
import { addRow, matmul, tv } from "../judge/signatures.ts";
import { reshaped, transposed } from "../judge/compare.ts";

/** Linear's parameters: W `[nOut, nIn]` and b `[nOut]`. */
export const LINEAR_PARAMS: readonly LayerParam[] = [
  { name: "W", grad: "gradW", shape: ([nIn, nOut]) => [nOut as number, nIn as number] },
  { name: "b", grad: "gradb", shape: ([, nOut]) => [nOut as number] },
];

/** Linear's output shape: `[N, nOut]`. */
export const LINEAR_OUTPUT: NonNullable<LayerOptions["outputShape"]> = ([n], [, nOut]) => [n, nOut as number];

/** Linear's classic mistakes (the hidden part names them too). */
export const LINEAR_MISTAKES: MistakeTable = {
  output: (p) => [{
    says: "W is used without its transpose (input·W instead of input·Wᵀ)",
    hint: "W is [nOut, nIn]: output = input·Wᵀ + b (matmul(W, { transB: true }))",
    value: (j) => addRow(matmul(j.plan(p, "input"), j.plan(p, "param.0")), j.plan(p, "param.1")),
  }, {
    says: "W is read as if it were [nIn, nOut] (reshaped where it needs a transpose)",
    hint: "W is [nOut, nIn] (SPEC.md): output = input·Wᵀ + b; a reshape does not transpose",
    value: (j) => {
      const w = tv(j.plan(p, "param.0"));
      return addRow(matmul(j.plan(p, "input"), reshaped(w, [w.shape[1], w.shape[0]])), j.plan(p, "param.1"));
    },
  }, {
    says: "the bias b is missing",
    value: (j) => matmul(j.plan(p, "input"), j.plan(p, "param.0"), false, true),
  }],
  gradInput: (p) => [{
    says: "gradInput uses Wᵀ instead of W (gradOutput·Wᵀ)",
    hint: "gradInput = gradOutput·W: [N, nOut]·[nOut, nIn] = [N, nIn]",
    value: (j) => matmul(j.plan(p, "gradOutput"), j.plan(p, "param.0"), false, true),
  }, {
    says: "gradInput reads W as if it were [nIn, nOut] (reshaped where it needs a transpose)",
    hint: "W is [nOut, nIn]: gradInput = gradOutput·W; a reshape does not transpose",
    value: (j) => {
      const w = tv(j.plan(p, "param.0"));
      return matmul(j.plan(p, "gradOutput"), reshaped(w, [w.shape[1], w.shape[0]]), false, true);
    },
  }],
  gradW: (p) => [{
    says: "gradW is transposed (inputᵀ·gradOutput instead of gradOutputᵀ·input)",
    hint: "gradW has W's shape [nOut, nIn]: gradW += gradOutputᵀ·input",
    value: (j) => transposed(j.reference(p, "grad.0")),
  }, {
    says: "gradW is computed from the output instead of the input (gradOutputᵀ·output)",
    hint: "∂(input·Wᵀ)/∂W involves the layer's input: gradW += gradOutputᵀ·input",
    value: (j) => matmul(j.plan(p, "gradOutput"), j.reference(p, "output"), true),
  }],
  gradb: (p) => [{
    says: "gradb is the mean over the batch instead of the sum",
    hint: "gradb += Σₙ gradOutput (sum over the batch, axis 0)",
    value: (j) => {
      const n = (j.plan(p, "input") as { shape: number[] }).shape[0];
      return n > 1
        ? {
          shape: [(j.reference(p, "grad.1") as { shape: number[] }).shape[0]],
          data: (j.reference(p, "grad.1") as { data: Float64Array }).data.map((x) => x / n),
        }
        : undefined;
    },
  }],
};

/** The spec. */
export const spec = layerSpec("linear", {
  className: "Linear",
  args: [3, 4],
  params: LINEAR_PARAMS,
  outputShape: LINEAR_OUTPUT,
  cases: [
    { id: "batch1", label: "a batch of 1 (3 → 4)", shape: [1, 3] },
    { id: "rect", label: "a batch of 5 (3 → 4)", shape: [5, 3], gradcheck: true },
    { id: "square", label: "a batch of 3 (4 → 4)", shape: [3, 4], args: [4, 4], gradcheck: true },
    { id: "large", label: "a batch of 16 (20 → 10)", shape: [16, 20], args: [20, 10] },
  ],
  mistakes: LINEAR_MISTAKES,
});
