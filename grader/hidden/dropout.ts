/**
 * Hidden checks of Dropout (dropped from a student release): the keep rate
 * at p = 0.2 and p = 0.8 on 12 000 elements (within 5 standard deviations
 * of 1 − p), and at both the 1/(1 − p) scaling of what is kept, forward and
 * backward. The exact mask is never compared.
 *
 * @module
 */

import { failShowing, failWith, fmt, pass, ruleCheck } from "../judge/compare.ts";
import { tv } from "../judge/signatures.ts";
import type { Evidence, Judge, TensorValue, Verdict } from "../spec.ts";
import { dropoutProbe, KEEP, keepReason, PER, rates, sharedMaskRow } from "../specs/dropout.ts";
import type { HiddenPart } from "../specs/mod.ts";

const RATES = [0.2, 0.8];
const SHAPE = [120, 100];
const SIZE = SHAPE[0] * SHAPE[1];

const probes = RATES.map((p) => dropoutProbe(`hidden.p${p}`, p, SHAPE, "train"));

/** What the parent reads off one rate's run: the kept count, or the first wrong element, or a shape problem. */
function summary(j: Judge, p: number): { kept: number; bad?: string; shape?: string; evidence?: Evidence } {
  const probe = `hidden.p${p}`;
  const x = tv(j.plan(probe, "input")).data;
  const r = tv(j.plan(probe, "gradOutput")).data;
  const y = tv(j.student(probe, "output"));
  const g = tv(j.student(probe, "gradInput"));
  for (const [what, t] of [["output", y], ["gradInput", g]] as [string, TensorValue][]) {
    if (t.shape.join() !== SHAPE.join()) {
      return { kept: 0, shape: `${what} has shape [${t.shape.join(", ")}], expected [${SHAPE.join(", ")}]` };
    }
  }
  let kept = 0;
  let bad: string | undefined;
  for (let i = 0; i < SIZE; i++) {
    if (y.data[i] !== 0) kept++;
    const want = y.data[i] !== 0 ? [x[i] / (1 - p), r[i] / (1 - p)] : [0, 0];
    const got = [y.data[i], g.data[i]];
    for (const k of [0, 1]) {
      if (!bad && !(Math.abs(got[k] - want[k]) <= 1e-9 * Math.abs(want[k]))) {
        bad = `${k ? "gradInput" : "output"} at flat index ${i}: got ${fmt(got[k])}, expected ${
          fmt(want[k])
        }`;
      }
    }
  }
  if (!bad) return { kept };
  // What the diagnosis reads: the kept elements of the result that went wrong, against input (or gradOutput) / (1 − p).
  const at = [...y.data.keys()].filter((i) => y.data[i] !== 0);
  const [got, from] = bad.startsWith("output") ? [y.data, x] : [g.data, r];
  const evidence: Evidence = {
    what: bad.startsWith("output") ? "the kept outputs" : "the kept elements of gradInput",
    got: { shape: [at.length], data: Float64Array.from(at, (i) => got[i]) },
    expected: { shape: [at.length], data: Float64Array.from(at, (i) => from[i] / (1 - p)) },
    constants: rates(p),
  };
  return { kept, bad, evidence };
}

function keepRate(p: number) {
  return ruleCheck({
    id: `hidden.keep-rate.p${p}`,
    name: `about 1 − p = ${1 - p} of the elements are kept (p = ${p}, ${SIZE} elements)`,
    points: 1,
    gate: ["hidden.scaling"],
    signatures: [...Object.values(KEEP), PER.feature],
    judge: (j): Verdict => {
      const s = summary(j, p);
      if (s.shape) return failWith(`${s.shape} (seed ${j.seed})`);
      const f = s.kept / SIZE;
      const sigma = Math.sqrt(p * (1 - p) / SIZE);
      if (Math.abs(f - (1 - p)) <= 5 * sigma) return pass;
      return failWith(
        `kept ${(100 * f).toFixed(1)}% of the elements, expected ${fmt(100 * (1 - p))}% ± ${
          (500 * sigma).toFixed(1)
        }% (p = ${p}, seed ${j.seed})`,
        sharedMaskRow(tv(j.student(`hidden.p${p}`, "output")), SHAPE[0], SHAPE[1])
          ? PER.feature
          : keepReason(f, p, SIZE),
        "Keep each element independently with probability 1 − p, for any p in [0, 1)",
      );
    },
  });
}

const scaling = ruleCheck({
  id: "hidden.scaling",
  name: `kept elements and their gradients are scaled by 1/(1 − p) (p = ${RATES.join(" and ")})`,
  points: 1,
  anchored: true,
  judge: (j): Verdict => {
    for (const p of RATES) {
      const s = summary(j, p);
      if (s.shape) return failWith(`${s.shape} (seed ${j.seed})`);
      if (s.kept < 0.05 * SIZE) {
        return failWith(
          `only ${s.kept} of ${SIZE} outputs are non-zero: too few kept to check (p = ${p}, seed ${j.seed})`,
        );
      }
      if (s.bad) {
        return failShowing(
          `${s.bad} (p = ${p}, seed ${j.seed})`,
          s.evidence!,
          "output = input ⊙ mask / (1 − p), and backward multiplies gradOutput by the same mask / (1 − p)",
        );
      }
    }
    return pass;
  },
});

/** The hidden part. */
export const hidden: HiddenPart = { probes, checks: [...RATES.map(keepRate), scaling] };
