/**
 * SoftMax: row-wise softmax and its backward on several shapes, central
 * differences, and rows of ±1000 (finite and exact only with the max shift).
 *
 * @module
 */

import { layerSpec } from "./_layer.ts";
import { ROW_CASES, rowFill } from "./_rows.ts";
import { rowMap, zipMap } from "../judge/signatures.ts";

const naive = (row: number[]) => {
  const e = row.map(Math.exp);
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
};

/** The spec. */
export const spec = layerSpec("softmax", {
  className: "SoftMax",
  args: [],
  fill: rowFill,
  cases: ROW_CASES,
  mistakes: {
    output: (p) => [{
      says: "the max shift is missing: exp overflows for large inputs",
      hint: "Subtract each row's max before exp: softmax(x) = softmax(x − max(x))",
      value: (j) => rowMap(j.plan(p, "input"), naive),
    }, {
      says: "the softmax is taken over columns (axis 0) instead of rows",
      hint: "Normalise each row (axis 1): every sample's probabilities sum to 1",
      value: (j) => {
        const t = j.plan(p, "input") as { shape: number[]; data: Float64Array };
        const [n, d] = t.shape;
        const data = new Float64Array(n * d);
        for (let k = 0; k < d; k++) {
          const col = naive(Array.from({ length: n }, (_, i) => t.data[i * d + k]));
          col.forEach((v, i) => (data[i * d + k] = v));
        }
        return { shape: [n, d], data };
      },
    }],
    gradInput: (p) => [{
      says: "only the diagonal of the Jacobian is used: s ⊙ (1 − s) ⊙ gradOutput",
      hint:
        "Every output depends on every input of its row: gradInput = s ⊙ (gradOutput − Σⱼ gradOutputⱼ·sⱼ)",
      value: (j) => zipMap([j.reference(p, "output"), j.plan(p, "gradOutput")], (s, r) => s * (1 - s) * r),
    }],
  },
});
