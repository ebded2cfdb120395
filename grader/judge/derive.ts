/**
 * Values the parent derives from what the child reported, with its own code:
 * central differences of Σ(output ⊙ R) from the outputs at the plan's
 * coordinates moved by ±h (layers; R is the parent's own upstream gradient),
 * or of the loss (criterions). The child's raw values go in; nothing it
 * computed about them is taken. A derived key replaces any value of that
 * name the child sent.
 *
 * A derived gradient holds the central differences at the coordinates that
 * were moved and, elsewhere, the student's own analytic gradient, so a check
 * compares exactly the moved coordinates.
 *
 * @module
 */

import type { ProbePlan } from "../probes/plan.ts";
import { isTensorValue, type ProbeOutcome, type TensorValue, type Value } from "../probes/values.ts";

/** Keys the parent derives; a child's value under one of these names is dropped. */
export const DERIVED = /^num/;

/** Central differences at the moved coordinates: from outputs (⋅ R) or from losses. */
function central(fd: TensorValue, at: readonly number[], h: number, r?: TensorValue): number[] | undefined {
  if (fd.shape[0] !== at.length || fd.shape[1] !== 2) return undefined;
  if (!r) {
    if (fd.shape.length !== 2) return undefined;
    return at.map((_, k) => (fd.data[2 * k] - fd.data[2 * k + 1]) / (2 * h));
  }
  const size = fd.shape[2];
  if (fd.shape.length !== 3 || size !== r.data.length) return undefined;
  return at.map((_, k) => {
    let plus = 0;
    let minus = 0;
    for (let j = 0; j < size; j++) {
      plus += fd.data[(2 * k) * size + j] * r.data[j];
      minus += fd.data[(2 * k + 1) * size + j] * r.data[j];
    }
    return (plus - minus) / (2 * h);
  });
}

/** `analytic`'s values (when it has `shape`) with `numeric` written at `at`. */
function merged(
  shape: readonly number[],
  at: readonly number[],
  numeric: number[],
  analytic: Value | undefined,
) {
  const n = shape.reduce((a, b) => a * b, 1);
  const same = isTensorValue(analytic) && analytic.shape.join() === shape.join();
  const data = same ? Float64Array.from(analytic.data) : new Float64Array(n).fill(NaN);
  at.forEach((i, k) => data[i] = numeric[k]);
  return { shape: [...shape], data };
}

/** `outcome` with the derived values of `plan` added (and any child value under a derived name dropped). */
export function derive(plan: ProbePlan, outcome: ProbeOutcome): ProbeOutcome {
  const values: Record<string, Value> = {};
  for (const [k, v] of Object.entries(outcome.values)) if (!DERIVED.test(k)) values[k] = v;
  const h = plan.settings.h;
  const input = plan.inputs.input;
  const fd = values["fd.input"];
  if (typeof h === "number" && isTensorValue(input) && isTensorValue(fd)) {
    const layer = plan.kind !== "criterion";
    const r = layer && isTensorValue(plan.inputs.gradOutput) ? plan.inputs.gradOutput : undefined;
    const at = layer
      ? plan.settings.fdInput as number[]
      : Array.from({ length: input.data.length }, (_, i) => i);
    const num = layer && !r ? undefined : central(fd, at, h, r);
    if (num) values.numGradInput = merged(input.shape, at, num, values.gradInput);
    const atParams = (plan.settings.fdParams ?? []) as number[][];
    atParams.forEach((atP, i) => {
      const p = plan.inputs[`param.${i}`];
      const fdp = values[`fd.param.${i}`];
      if (!isTensorValue(p) || !isTensorValue(fdp) || !r) return;
      const g = central(fdp, atP, h, r);
      if (g) values[`numGrad.${i}`] = merged(p.shape, atP, g, values[`grad.${i}`]);
    });
  }
  return outcome.error ? { values, error: outcome.error } : { values };
}
