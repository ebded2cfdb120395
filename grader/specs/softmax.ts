/**
 * SoftMax: row-wise softmax and its backward on several shapes, central
 * differences, and rows of ±1000 (finite and exact only with the max shift).
 *
 * @module
 */

import { layerSpec, type MistakeTable } from "./_layer.ts";
import { ROW_CASES, rowFill } from "./_rows.ts";
import { columnSumsEverywhere, rowMap, rowSumsEverywhere, tv, zipMap } from "../judge/signatures.ts";
import type { TensorValue, Value } from "../spec.ts";

const naive = (row: number[]) => {
  const e = row.map(Math.exp);
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
};

const stable = (row: number[]) => naive(row.map((x) => x - Math.max(...row)));

/** The softmax of each column of a 2-D value (the wrong axis), by `f` per column. */
function columnSoftmax(v: Value, f: (col: number[]) => number[]): TensorValue {
  const t = tv(v);
  const [n, d] = t.shape;
  const data = new Float64Array(n * d);
  for (let k = 0; k < d; k++) {
    f(Array.from({ length: n }, (_, i) => t.data[i * d + k])).forEach((x, i) => (data[i * d + k] = x));
  }
  return { shape: [n, d], data };
}

/** Said when a backward is right for the (wrong) output the student's forward computes. */
export const FOLLOWS_FORWARD =
  "gradInput is right for the output your forward computes: the forward is what is wrong";

/** SoftMax's classic mistakes (the hidden part names them too). */
export const SOFTMAX_MISTAKES: MistakeTable = {
  output: (p) => [{
    says: "the max shift is missing: exp overflows for large inputs",
    hint: "Subtract each row's max before exp: softmax(x) = softmax(x − max(x))",
    value: (j) => rowMap(j.plan(p, "input"), naive),
  }, {
    says: "the softmax is taken over columns (axis 0) instead of rows",
    hint: "Normalise each row (axis 1): every sample's probabilities sum to 1",
    value: (j) => [columnSoftmax(j.plan(p, "input"), naive), columnSoftmax(j.plan(p, "input"), stable)],
  }],
  gradInput: (p) => [{
    says: "only the diagonal of the Jacobian is used: s ⊙ (1 − s) ⊙ gradOutput",
    hint: "Every output depends on every input of its row: gradInput = s ⊙ (gradOutput − Σⱼ gradOutputⱼ·sⱼ)",
    value: (j) => zipMap([j.reference(p, "output"), j.plan(p, "gradOutput")], (s, r) => s * (1 - s) * r),
  }, {
    says: "the sum in backward is not weighted by s: s ⊙ (gradOutput − Σⱼ gradOutputⱼ)",
    hint: "gradInput = s ⊙ (gradOutput − Σⱼ gradOutputⱼ·sⱼ): the row sum is of gradOutput ⊙ s",
    value: (j) => {
      const s = j.reference(p, "output");
      const r = j.plan(p, "gradOutput");
      return zipMap([s, r, rowSumsEverywhere(r)], (si, ri, sum) => si * (ri - sum));
    },
  }, {
    says: FOLLOWS_FORWARD,
    hint: "Fix the forward first",
    value: (j) => {
      const s = j.student(p, "output");
      const r = j.plan(p, "gradOutput");
      return zipMap(
        [s, r, rowSumsEverywhere(zipMap([s, r], (a, b) => a * b))],
        (si, ri, sum) => si * (ri - sum),
      );
    },
  }, {
    says: "the sum in backward runs over the batch (axis 0) instead of each row",
    hint: "Σⱼ gradOutputⱼ·sⱼ is a sum over the row (axis 1, keepdims), one number per sample",
    value: (j) => {
      const s = j.reference(p, "output");
      const r = j.plan(p, "gradOutput");
      const sums = columnSumsEverywhere(zipMap([s, r], (a, b) => a * b));
      return zipMap([s, r, sums], (si, ri, sum) => si * (ri - sum));
    },
  }],
};

/** The spec. */
export const spec = layerSpec("softmax", {
  className: "SoftMax",
  args: [],
  fill: rowFill,
  cases: ROW_CASES,
  mistakes: SOFTMAX_MISTAKES,
});
