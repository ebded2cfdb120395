/**
 * The spec builder of the optimizer lessons: a five-step trajectory of
 * three variables in two modules (gradients written in place into the same
 * tensors between steps, as a training loop does), with the state carried
 * between calls; a second run with a fresh state; in-place updates. Mistake
 * signatures replay the trajectory with the mistake in the parent, from the
 * plan's start and gradients.
 *
 * @module
 */

import { failWith, type Mistake, pass, ruleCheck, tensorCheck } from "../judge/compare.ts";
import { type Judge, type LessonSpec, type ProbeSpec, type TensorValue, tensorValue } from "../spec.ts";
import { tv } from "../judge/signatures.ts";
import { Rng } from "./_rng.ts";

/** Shapes of the variables, one list per module. */
export const SHAPES: readonly (readonly number[])[][] = [[[3, 2], [2]], [[4]]];
/** Steps of the trajectory. */
export const STEPS = 5;

/** A flat index of every variable: `[module, index]`. */
const FLAT = SHAPES.flatMap((mod, a) => mod.map((_, b) => [a, b] as const));

/** Replays `update(x, g, state, step)` on the reference's recorded start and gradients. */
export function replay(
  j: Judge,
  update: (x: Float64Array, g: Float64Array, mem: Record<string, Float64Array>, t: number) => void,
  resetEachCall = false,
): Float64Array[][] {
  const xs = FLAT.map((_, k) => Float64Array.from(tv(j.plan("run", `x0.${k}`)).data));
  let mems: Record<string, Float64Array>[] = FLAT.map(() => ({}));
  const out: Float64Array[][] = [];
  for (let s = 0; s < STEPS; s++) {
    if (resetEachCall) mems = FLAT.map(() => ({}));
    xs.forEach((x, k) =>
      update(x, tv(j.plan("run", `g.${s}.${k}`)).data, mems[k], resetEachCall ? 1 : s + 1)
    );
    out.push(xs.map((x) => Float64Array.from(x)));
  }
  return out;
}

/** The optimizer spec. */
export function optimizerSpec(
  lesson: string,
  o: {
    readonly fn: string;
    readonly config: Record<string, number>;
    readonly mistakes: (step: number, k: number) => Mistake[];
  },
): LessonSpec {
  const probes: ProbeSpec[] = [{
    id: "run",
    plan: (seed, id = "run") => {
      const rng = new Rng(seed, id);
      const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
      const inputs: Record<string, TensorValue> = {};
      FLAT.forEach(([a, b], k) => {
        const s = SHAPES[a][b];
        inputs[`x0.${k}`] = tensorValue(s, rng.array(size(s), -1, 1));
      });
      for (let s = 0; s < STEPS; s++) {
        FLAT.forEach(([a, b], k) => {
          const sh = SHAPES[a][b];
          inputs[`g.${s}.${k}`] = tensorValue(sh, rng.array(size(sh), -1, 1));
        });
      }
      inputs["fresh.x0"] = tensorValue([3], rng.array(3, -1, 1));
      inputs["fresh.g"] = tensorValue([3], rng.array(3, -1, 1));
      return {
        id,
        kind: "optimizer",
        kitSeed: seed,
        settings: {
          fn: o.fn,
          config: { ...o.config },
          shapes: SHAPES.map((mod) => mod.map((s) => [...s])),
          steps: STEPS,
        },
        inputs,
      };
    },
  }];
  const checks = [];
  for (let s = 0; s < STEPS; s++) {
    FLAT.forEach(([a, b], k) => {
      checks.push(tensorCheck({
        id: `step${s + 1}.var${k + 1}`,
        name: `step ${s + 1}: variable ${k + 1} (module ${a + 1}, parameter ${b + 1}) matches the reference`,
        points: s === 0 || s === STEPS - 1 ? 2 : 1,
        what: `variable ${k + 1} after step ${s + 1}`,
        got: ["run", `x.${s}.${k}`],
        mistakes: o.mistakes(s, k),
      }));
    });
  }
  checks.push(
    tensorCheck({
      id: "fresh-state",
      name: "a fresh state starts a fresh run (memory lives only in state)",
      points: 2,
      what: "variable after one step with a fresh state",
      got: ["run", "fresh.x1"],
      hint: "Keep velocities/moments (and t) in the state object passed in, not in module-level variables",
    }),
    ruleCheck({
      id: "in-place",
      name: "variables are updated in place",
      points: 2,
      gate: ["step1.var1"],
      judge: (j) => {
        for (let k = 0; k < FLAT.length; k++) {
          const before = tv(j.plan("run", `x0.${k}`)).data;
          const after = tv(j.student("run", `x.0.${k}`)).data;
          if (after.every((v, i) => v === before[i])) {
            return failWith(
              `variable ${k + 1}, the tensor given to ${o.fn}, did not change in step 1 (seed ${j.seed})`,
              j.has("run", `list.${k}`)
                ? "a new tensor was put in the list instead of updating the given one"
                : "the given tensors were not updated",
              "Use subInPlace/addScaledInPlace on each variable: modules keep references to their parameter tensors",
            );
          }
        }
        return pass;
      },
    }),
  );
  return { lesson, probes, checks };
}
