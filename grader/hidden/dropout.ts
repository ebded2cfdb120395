/**
 * Hidden checks of Dropout (dropped from a student release): the keep rate
 * at p = 0.2 and p = 0.8 on 12 000 elements (within 5 standard deviations
 * of 1 − p), and at both the 1/(1 − p) scaling of what is kept, forward and
 * backward. The exact mask is never compared.
 *
 * @module
 */

import { failWith, fmt, pass, ruleCheck } from "../judge.ts";
import type { Judge, Probe, TensorValue, Verdict } from "../spec.ts";
import type { HiddenPart } from "../specs/mod.ts";

const RATES = [0.2, 0.8];
const SHAPE = [120, 100];
const SIZE = SHAPE[0] * SHAPE[1];

/**
 * Runs Dropout(p) forward and backward on 12 000 elements and records a
 * summary, not the tensors (they would make the fixtures megabytes): how many
 * elements were kept, and the first element, if any, whose output or
 * gradInput is not input/(1 − p) or gradOutput/(1 − p) where kept and 0
 * elsewhere.
 */
const probes: Probe[] = RATES.map((p) => ({
  id: `hidden.p${p}`,
  run(ctx) {
    const Cls = ctx.export("Dropout");
    ctx.seedKit();
    const m = ctx.run(`new Dropout(${p})`, () => new Cls(p));
    const xData = ctx.rng.array(SIZE, 0.5, 1.5);
    const x = ctx.tensor(SHAPE, xData);
    ctx.put("output", ctx.run("Dropout.forward", () => m.forward(x)), "Dropout.forward() result");
    const rData = ctx.rng.array(SIZE, -1, 1);
    const g = ctx.run("Dropout.backward", () => m.backward(x, ctx.tensor(SHAPE, rData)));
    ctx.put("gradInput", g, "Dropout.backward() result");
    const y = ctx.values.output as TensorValue;
    const gi = ctx.values.gradInput as TensorValue;
    delete ctx.values.output;
    delete ctx.values.gradInput;
    for (const [what, t] of [["output", y], ["gradInput", gi]] as const) {
      if (t.shape.join() !== SHAPE.join()) {
        ctx.put("shapeProblem", `${what} has shape [${t.shape.join(", ")}], expected [${SHAPE.join(", ")}]`);
        return;
      }
    }
    let kept = 0;
    for (let i = 0; i < SIZE; i++) {
      if (y.data[i] !== 0) kept++;
      const want = y.data[i] !== 0 ? [xData[i] / (1 - p), rData[i] / (1 - p)] : [0, 0];
      const got = [y.data[i], gi.data[i]];
      for (const k of [0, 1]) {
        if (!ctx.values.badAt && !(Math.abs(got[k] - want[k]) <= 1e-9 * Math.abs(want[k]))) {
          ctx.put(
            "badAt",
            `${k ? "gradInput" : "output"} at flat index ${i}: got ${fmt(got[k])}, expected ${fmt(want[k])}`,
          );
        }
      }
    }
    ctx.put("kept", kept);
  },
}));

/** The problem with a probe's shapes, if any. */
function shapeProblem(j: Judge, probe: string): Verdict | undefined {
  if (!j.has(probe, "shapeProblem")) return undefined;
  return failWith(`${j.student(probe, "shapeProblem")} (seed ${j.seed})`);
}

function keepRate(p: number) {
  return ruleCheck({
    id: `hidden.keep-rate.p${p}`,
    name: `about 1 − p = ${1 - p} of the elements are kept (p = ${p}, ${SIZE} elements)`,
    points: 1,
    judge: (j): Verdict => {
      const probe = `hidden.p${p}`;
      const bad = shapeProblem(j, probe);
      if (bad) return bad;
      const f = (j.student(probe, "kept") as number) / SIZE;
      const sigma = Math.sqrt(p * (1 - p) / SIZE);
      if (Math.abs(f - (1 - p)) <= 5 * sigma) return pass;
      return failWith(
        `kept ${(100 * f).toFixed(1)}% of the elements, expected ${fmt(100 * (1 - p))}% ± ${
          (500 * sigma).toFixed(1)
        }% (p = ${p}, seed ${j.seed})`,
        Math.abs(f - p) <= 5 * sigma ? "p was used as the probability to keep" : undefined,
        "Keep each element independently with probability 1 − p, for any p in [0, 1)",
      );
    },
  });
}

const scaling = ruleCheck({
  id: "hidden.scaling",
  name: `kept elements and their gradients are scaled by 1/(1 − p) (p = ${RATES.join(" and ")})`,
  points: 1,
  judge: (j): Verdict => {
    for (const p of RATES) {
      const probe = `hidden.p${p}`;
      const bad = shapeProblem(j, probe);
      if (bad) return bad;
      j.student(probe, "kept");
      if (j.has(probe, "badAt")) {
        return failWith(
          `${j.student(probe, "badAt")} (p = ${p}, seed ${j.seed})`,
          undefined,
          "output = input ⊙ mask / (1 − p), and backward multiplies gradOutput by the same mask / (1 − p)",
        );
      }
    }
    return pass;
  },
});

/** The hidden part. */
export const hidden: HiddenPart = { probes, checks: [...RATES.map(keepRate), scaling] };
