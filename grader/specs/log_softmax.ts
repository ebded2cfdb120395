/**
 * LogSoftMax: row-wise `x − logΣexp(x)` and its backward on several shapes,
 * central differences, and rows of ±1000 (finite and exact only with the max
 * shift).
 *
 * @module
 */

import { layerSpec, type MistakeTable } from "./_layer.ts";
import { ROW_CASES, rowFill } from "./_rows.ts";
import { columnSumsEverywhere, rowMap, rowSumsEverywhere, zipMap } from "../judge/signatures.ts";
import { FOLLOWS_FORWARD } from "./softmax.ts";

/** LogSoftMax's classic mistakes (the hidden part names them too). */
export const LOG_SOFTMAX_MISTAKES: MistakeTable = {
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
  }, {
    says: "the max is subtracted but not added back: x − log Σ exp(x − m) is off by m",
    hint: "log Σ exp(x) = m + log Σ exp(x − m): output = (x − m) − log Σ exp(x − m)",
    value: (j) =>
      rowMap(j.plan(p, "input"), (row) => {
        const m = Math.max(...row);
        const l = Math.log(row.reduce((a, x) => a + Math.exp(x - m), 0));
        return row.map((x) => x - l);
      }),
  }],
  gradInput: (p) => [{
    says: FOLLOWS_FORWARD,
    hint: "Fix the forward first",
    value: (j) => {
      const r = j.plan(p, "gradOutput");
      return zipMap(
        [j.student(p, "output"), r, rowSumsEverywhere(r)],
        (o, ri, sum) => ri - Math.exp(o) * sum,
      );
    },
  }, {
    says: "the softmax term is not weighted by Σ gradOutput: gradOutput − softmax",
    hint: "gradInput = gradOutput − softmax(x) ⊙ Σⱼ gradOutputⱼ (row sums)",
    value: (j) => zipMap([j.reference(p, "output"), j.plan(p, "gradOutput")], (o, r) => r - Math.exp(o)),
  }, {
    says: "Σ gradOutput runs over the batch (axis 0) instead of each row",
    hint: "Σⱼ gradOutputⱼ is one number per sample: sum over axis 1 with keepdims",
    value: (j) => {
      const r = j.plan(p, "gradOutput");
      return zipMap(
        [j.reference(p, "output"), r, columnSumsEverywhere(r)],
        (o, ri, sum) => ri - Math.exp(o) * sum,
      );
    },
  }, {
    says: "backward takes exp(input) for the softmax: exp(output) is the softmax",
    hint: "softmax(x) = exp(log_softmax(x)) = exp(this.output); exp(input) is not normalised (and overflows)",
    value: (j) => {
      const r = j.plan(p, "gradOutput");
      return zipMap([j.plan(p, "input"), r, rowSumsEverywhere(r)], (x, ri, sum) => ri - Math.exp(x) * sum);
    },
  }],
};

/** The spec. */
export const spec = layerSpec("log_softmax", {
  className: "LogSoftMax",
  args: [],
  fill: rowFill,
  cases: ROW_CASES,
  mistakes: LOG_SOFTMAX_MISTAKES,
});
