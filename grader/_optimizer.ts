/**
 * The spec builder of the optimizer lessons: a five-step trajectory of
 * three variables in two modules (gradients written in place into the same
 * tensors between steps, as a training loop does), with the state carried
 * between calls; a second run with a fresh state; in-place updates. Mistake
 * signatures replay the trajectory with the mistake in the parent.
 *
 * @module
 */

import { failWith, type Mistake, pass, ruleCheck, tensorCheck } from "./judge.ts";
import { ContractError, type Judge, type LessonSpec, type Probe } from "./spec.ts";
import { tv } from "./_sig.ts";

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
  const xs = FLAT.map((_, k) => Float64Array.from(tv(j.reference("run", `x0.${k}`)).data));
  let mems: Record<string, Float64Array>[] = FLAT.map(() => ({}));
  const out: Float64Array[][] = [];
  for (let s = 0; s < STEPS; s++) {
    if (resetEachCall) mems = FLAT.map(() => ({}));
    xs.forEach((x, k) =>
      update(x, tv(j.reference("run", `g.${s}.${k}`)).data, mems[k], resetEachCall ? 1 : s + 1)
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
  const probes: Probe[] = [{
    id: "run",
    run(ctx) {
      const opt = ctx.export(o.fn);
      const vars = SHAPES.map((mod) =>
        mod.map((s) => ctx.tensor(s, ctx.rng.array(s.reduce((a, b) => a * b, 1), -1, 1)))
      );
      const grads = SHAPES.map((mod) =>
        mod.map((s) => ctx.tensor(s, new Float64Array(s.reduce((a, b) => a * b, 1))))
      );
      const mine = vars.map((mod) => [...mod]);
      FLAT.forEach(([a, b], k) => ctx.put(`x0.${k}`, vars[a][b], "variable"));
      const state: Record<string, unknown> = {};
      let inPlace = true;
      for (let s = 0; s < STEPS; s++) {
        FLAT.forEach(([a, b], k) => {
          const d = ctx.rng.array(grads[a][b].data.length, -1, 1);
          grads[a][b].data.set(d);
          ctx.put(`g.${s}.${k}`, { shape: [...grads[a][b].shape], data: d });
        });
        ctx.run(`${o.fn} (step ${s + 1})`, () => opt(vars, grads, { ...o.config }, state));
        FLAT.forEach(([a, b], k) => {
          if (vars[a]?.[b] !== mine[a][b]) inPlace = false;
          ctx.put(`x.${s}.${k}`, mine[a][b], "variable");
        });
      }
      ctx.put("inPlace", inPlace);
      // A fresh state restarts the optimizer: its memory must live in `state`, nowhere else.
      const y = ctx.tensor([3], ctx.rng.array(3, -1, 1));
      const gy = ctx.tensor([3], ctx.rng.array(3, -1, 1));
      ctx.put("fresh.x0", y, "variable");
      ctx.put("fresh.g", gy, "gradient");
      ctx.run(`${o.fn} (a fresh state)`, () => opt([[y]], [[gy]], { ...o.config }, {}));
      ctx.put("fresh.x1", y, "variable");
      if (typeof state !== "object") throw new ContractError("state was replaced");
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
      judge: (j) => {
        j.student("run", "x.0.0");
        const moved = tv(j.student("run", "x.0.0")).data.some((v, i) =>
          v !== tv(j.student("run", "x0.0")).data[i]
        );
        if (j.student("run", "inPlace") !== true || !moved) {
          return failWith(
            `the variable tensors given to ${o.fn} were not changed in place (seed ${j.seed})`,
            "new tensors were created or assigned instead of updating the given ones",
            "Use subInPlace/addScaledInPlace on each variable: modules keep references to their parameter tensors",
          );
        }
        return pass;
      },
    }),
  );
  return { lesson, probes, checks };
}
