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

import {
  close,
  failWith,
  type Mistake,
  pass,
  ruleCheck,
  SIGNATURE_TOL,
  tensorCheck,
} from "../judge/compare.ts";
import {
  type Check,
  type Judge,
  type LessonSpec,
  type NamedConstant,
  type ProbeSpec,
  type TensorValue,
  tensorValue,
} from "../spec.ts";
import { tv } from "../judge/signatures.ts";
import { Rng } from "./_rng.ts";

/** Shapes of the variables, one list per module. */
export const SHAPES: readonly (readonly number[])[][] = [[[3, 2], [2]], [[4]]];
/** Steps of the trajectory. */
export const STEPS = 5;

/** A flat index of every variable: `[module, index]`. */
const FLAT = SHAPES.flatMap((mod, a) => mod.map((_, b) => [a, b] as const));

/** How a replay carries the state between calls. */
export interface Carry {
  /** The memory kept between calls: all of it (default), none, or none but t. */
  readonly reset?: "none" | "all" | "moments";
  /** The t an update sees at call `s` (0-based) for variable `k` (default: s + 1, or 1 after a full reset). */
  readonly t?: (s: number, k: number) => number;
}

/** Replays `update(x, g, memory, t)` on the plan's start and gradients, carrying the state as `carry` says. */
export function replay(
  j: Judge,
  update: (x: Float64Array, g: Float64Array, mem: Record<string, Float64Array>, t: number) => void,
  carry: Carry = {},
): Float64Array[][] {
  const xs = FLAT.map((_, k) => Float64Array.from(tv(j.plan("run", `x0.${k}`)).data));
  let mems: Record<string, Float64Array>[] = FLAT.map(() => ({}));
  const out: Float64Array[][] = [];
  const reset = carry.reset ?? "none";
  const t = carry.t ?? ((s: number) => (reset === "all" ? 1 : s + 1));
  for (let s = 0; s < STEPS; s++) {
    if (reset !== "none") mems = FLAT.map(() => ({}));
    xs.forEach((x, k) => update(x, tv(j.plan("run", `g.${s}.${k}`)).data, mems[k], t(s, k)));
    out.push(xs.map((x) => Float64Array.from(x)));
  }
  return out;
}

/** The number of variables a trajectory moves at each call. */
export const VARIABLES = FLAT.length;

/** One update of a trajectory: `update(x, g, memory, t)` changes `x` in place. */
export type Update = Parameters<typeof replay>[1];

/**
 * A mistake whose result is the trajectory an update replays (each of
 * `updates`, carrying the state as each of `carries` says: its variants). A
 * variant names step `s` only when it also explains the student's earlier
 * steps, so a coincidence at one step (two ways of ending in NaN) names nothing.
 */
export function trajectoryMistake(
  says: string,
  hint: string | undefined,
  updates: Update | readonly Update[],
  ...carries: Carry[]
): (s: number, k: number) => Mistake {
  const ways = carries.length ? carries : [{}];
  const all = typeof updates === "function" ? [updates] : updates;
  return (s, k) => ({
    says,
    ...(hint ? { hint } : {}),
    value: (j) =>
      all.flatMap((update) => ways.map((carry) => replayed(j, update, carry, k)))
        .filter((steps) => steps.slice(0, s).every((x, t) => agrees(j, t, k, x)))
        // A variant that leaves the variable where it was cannot be told from not updating it at all.
        .filter((steps) =>
          !close(steps[s], s === 0 ? tv(j.plan("run", `x0.${k}`)) : steps[s - 1], SIGNATURE_TOL)
        )
        .map((steps) => steps[s]),
  });
}

/** Variable `k` after every step of the trajectory an update replays. */
function replayed(j: Judge, update: Update, carry: Carry, k: number): TensorValue[] {
  const shape = [...tv(j.plan("run", `x0.${k}`)).shape];
  return replay(j, update, carry).map((xs) => ({ shape, data: xs[k] }));
}

/** True when the student's variable `k` after step `t` is (to a signature's tolerance) `x`, or was not recorded. */
function agrees(j: Judge, t: number, k: number, x: TensorValue): boolean {
  if (!j.has("run", `x.${t}.${k}`)) return true;
  const got = tv(j.student("run", `x.${t}.${k}`));
  return got.shape.join() === x.shape.join() && close(got, x, SIGNATURE_TOL);
}

/** `a − b`, elementwise. */
function minus(a: TensorValue, b: TensorValue): TensorValue {
  return { shape: [...a.shape], data: a.data.map((x, i) => x - b.data[i]) };
}

/**
 * What the diagnosis of a variable's check looks at: the update of that step
 * (the value before minus the value after, so plain SGD's is learningRate·g),
 * the student's from the student's previous value, the reference's from the
 * reference's; with the gradient of the step and the config's numbers.
 */
function updateView(
  o: { readonly config: Record<string, number>; readonly constants?: readonly NamedConstant[] },
  s: number,
  k: number,
) {
  const before = (j: Judge, side: "student" | "reference") =>
    tv(s === 0 ? j.plan("run", `x0.${k}`) : j[side]("run", `x.${s - 1}.${k}`));
  return {
    view: (j: Judge, got: TensorValue, expected: TensorValue) => ({
      what: `the update of variable ${k + 1} at step ${s + 1} (before − after)`,
      got: minus(before(j, "student"), got),
      expected: minus(before(j, "reference"), expected),
    }),
    context: updateContext(o, `g.${s}.${k}`),
  };
}

/** What an update may be related to: the gradient `key` of the plan (and learningRate times it), the config's numbers. */
function updateContext(
  o: { readonly config: Record<string, number>; readonly constants?: readonly NamedConstant[] },
  key: string,
) {
  return (j: Judge) => {
    const g = tv(j.plan("run", key));
    const lr = o.config.learningRate;
    return {
      related: [
        {
          name: "learningRate·gradient",
          value: { shape: g.shape, data: g.data.map((x) => lr * x) },
        },
        { name: "the gradient", value: g },
      ],
      constants: [
        ...(o.constants ?? []),
        ...Object.entries(o.config).map(([symbol, value]) => ({ value, symbol })),
      ],
    };
  };
}

const NOT_IN_PLACE = {
  replaced: "a new tensor was put in the list instead of updating the given one",
  untouched: "the given tensors were not updated",
};

/** What a fresh run that throws most likely means. */
const MEMORY_OUTSIDE =
  "memory from the earlier run is reused: velocities or moments kept outside state (a module-level variable?)";

/** The optimizer spec. */
export function optimizerSpec(
  lesson: string,
  o: {
    readonly fn: string;
    readonly config: Record<string, number>;
    readonly mistakes: (step: number, k: number) => Mistake[];
    /** Numbers of the update a wrong factor might be, besides the config's (`1 − momentum`). */
    readonly constants?: readonly NamedConstant[];
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
  const checks: Check[] = [];
  for (let s = 0; s < STEPS; s++) {
    FLAT.forEach(([a, b], k) => {
      checks.push(tensorCheck({
        id: `step${s + 1}.var${k + 1}`,
        name: `step ${s + 1}: variable ${k + 1} (module ${a + 1}, parameter ${b + 1}) matches the reference`,
        points: s === 0 || s === STEPS - 1 ? 2 : 1,
        what: `variable ${k + 1} after step ${s + 1}`,
        got: ["run", `x.${s}.${k}`],
        mistakes: o.mistakes(s, k),
        about: {
          result: "variable",
          against: "reference",
          probe: "run",
          label: `step ${s + 1}, variable ${k + 1}`,
          traits: { step: s + 1, variable: `variable ${k + 1}`, module: `module ${a + 1}` },
        },
        ...updateView(o, s, k),
      }));
    });
  }
  const freshUpdate = (j: Judge, side: "student" | "reference") =>
    minus(tv(j.plan("run", "fresh.x0")), tv(j[side]("run", "fresh.x1")));
  checks.push(
    tensorCheck({
      id: "fresh-state",
      name: "a fresh state starts a fresh run (memory lives only in state)",
      points: 2,
      what: "variable after one step with a fresh state",
      got: ["run", "fresh.x1"],
      hint: "Keep velocities/moments (and t) in the state object passed in, not in module-level variables",
      about: { result: "fresh", against: "reference", probe: "run", onError: MEMORY_OUTSIDE },
      view: (j) => ({
        what: "the update of a fresh run's first step (before − after)",
        got: freshUpdate(j, "student"),
        expected: freshUpdate(j, "reference"),
      }),
      context: updateContext(o, "fresh.g"),
    }),
    ruleCheck({
      id: "in-place",
      name: "variables are updated in place",
      points: 2,
      gate: ["step1.var1"],
      signatures: Object.values(NOT_IN_PLACE),
      judge: (j) => {
        for (let k = 0; k < FLAT.length; k++) {
          const before = tv(j.plan("run", `x0.${k}`)).data;
          const after = tv(j.student("run", `x.0.${k}`)).data;
          if (after.every((v, i) => v === before[i])) {
            return failWith(
              `variable ${k + 1}, the tensor given to ${o.fn}, did not change in step 1 (seed ${j.seed})`,
              j.has("run", `list.${k}`) ? NOT_IN_PLACE.replaced : NOT_IN_PLACE.untouched,
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
