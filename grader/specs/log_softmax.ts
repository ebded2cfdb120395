/**
 * LogSoftMax: row-wise `x − logΣexp(x)` and its backward on several shapes,
 * central differences, and rows of ±1000 (finite and exact only with the max
 * shift).
 *
 * @module
 */

import { layerSpec } from "./_layer.ts";
import { ROW_CASES, rowFill } from "./_rows.ts";
import { rowMap } from "../judge/signatures.ts";

/** The spec. */
export const spec = layerSpec("log_softmax", {
  className: "LogSoftMax",
  args: [],
  fill: rowFill,
  cases: ROW_CASES,
  mistakes: {
    output: (p) => [{
      says: "the max shift is missing: logΣexp overflows for large inputs",
      hint: "logΣexp(x) = m + log Σ exp(x − m) with m the row's max",
      value: (j) =>
        rowMap(j.plan(p, "input"), (row) => {
          const l = Math.log(row.reduce((a, x) => a + Math.exp(x), 0));
          return row.map((x) => x - l);
        }),
    }, {
      says: "this is log(softmax) with the softmax computed first and then log: it underflows to −Infinity",
      hint: "Never take the log of a softmax: x − m − log Σ exp(x − m) is exact",
      value: (j) =>
        rowMap(j.plan(p, "input"), (row) => {
          const m = Math.max(...row);
          const e = row.map((x) => Math.exp(x - m));
          const s = e.reduce((a, b) => a + b, 0);
          return e.map((x) => Math.log(x / s));
        }),
    }],
    gradInput: (p) => [{
      says: "the softmax term is not weighted by Σ gradOutput: gradOutput − softmax",
      hint: "gradInput = gradOutput − softmax(x) ⊙ Σⱼ gradOutputⱼ (row sums)",
      value: (j) => {
        const out = j.reference(p, "output") as { shape: number[]; data: Float64Array };
        const r = j.plan(p, "gradOutput") as { data: Float64Array };
        return { shape: [...out.shape], data: out.data.map((o, i) => r.data[i] - Math.exp(o)) };
      },
    }],
  },
});
