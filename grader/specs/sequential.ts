/**
 * Sequential, graded with recording modules (`grader/probes/sequential.ts`,
 * so this lesson does not depend on the student's other lessons): the
 * forward chain, each module's input in backward, the gradOutput chain,
 * parameter lists per module, and the propagation of zeroGradParameters,
 * evaluate and train.
 *
 * @module
 */

import { Rng } from "./_rng.ts";
import { markers } from "./_layer.ts";
import {
  close,
  failShowing,
  failWith,
  type Mistake,
  pass,
  ruleCheck,
  scaled,
  SIGNATURE_TOL,
  tensorCheck,
} from "../judge/compare.ts";
import type { Judge, ProbeSpec, TensorValue } from "../spec.ts";
import { tensorValue } from "../spec.ts";
import { tv } from "../judge/signatures.ts";

const N = 3;
const D = 4;
const COUNT = 3;

const probe: ProbeSpec = {
  id: "chain",
  plan: (seed, id = "chain") => {
    const rng = new Rng(seed, id);
    const inputs: Record<string, TensorValue> = {};
    for (let i = 0; i < COUNT; i++) inputs[`a.${i}`] = tensorValue([D], rng.array(D, 0.5, 2));
    inputs.input = tensorValue([N, D], rng.array(N * D, -1, 1));
    inputs.gradOutput = tensorValue([N, D], rng.array(N * D, -1, 1));
    return {
      id,
      kind: "chain",
      kitSeed: seed,
      settings: {
        count: COUNT,
        shifts: Array.from({ length: COUNT }, (_, i) => i + 1),
        markers: markers(rng),
      },
      inputs,
    };
  },
};

/** What module i may have been given in backward instead of its forward input (the hidden part says them too). */
export const INPUTS = {
  own: "each module was passed its own output instead of its input",
  sequential: "every module was passed the Sequential's input",
};

const ZERO = "zeroGradParameters() does not reach every module";

function same(x: TensorValue, y: TensorValue): boolean {
  return x.shape.join() === y.shape.join() && x.data.every((v, i) => v === y.data[i]);
}

/** The student's value `a` equals the student's value `b`. */
function sameAs(j: Judge, a: string, b: string): boolean {
  return same(tv(j.student("chain", a)), tv(j.student("chain", b)));
}

/** The student's value `key` equals the reference's. */
function asReference(j: Judge, key: string): boolean {
  return same(tv(j.student("chain", key)), tv(j.reference("chain", key)));
}

/** The marker `base + 100·module + k/1024` the probe wrote through the lists shows in module `i`'s tensor `key`. */
function markedThrough(j: Judge, key: string, i: number, which: number): boolean {
  const base = (j.planSetting("chain", "markers") as number[])[which];
  const t = tv(j.student("chain", `${key}.${i}`));
  return t.data.every((v, k) => v === base + 100 * i + k / 1024);
}

/**
 * The classic mistakes of a chain's forward and backward, on probe `probe`
 * whose last module is `last` (the hidden part names them too).
 */
export function chainMistakes(probe: string, last: number): { output: Mistake[]; gradInput: Mistake[] } {
  return {
    output: [{
      says: "forward returns after the first module (a return inside the loop?)",
      hint: "Feed each module's output to the next one, and return the last module's output after the loop",
      value: (j) => j.reference(probe, "moduleOutput.0"),
    }],
    gradInput: [{
      says: "backward returns after the last module's backward: the loop stops after one module",
      hint: "Walk every module in reverse, feeding each gradInput to the module before it",
      value: (j) => j.reference(probe, `moduleGradInput.${last}`),
    }],
  };
}

/** The chain's output had every module been given the Sequential's input, or run in reverse order. */
function chainedWrong(j: Judge, how: "same-input" | "reverse"): TensorValue {
  const shifts = j.planSetting("chain", "shifts") as number[];
  const a = Array.from({ length: COUNT }, (_, i) => tv(j.plan("chain", `a.${i}`)).data);
  const input = tv(j.plan("chain", "input"));
  const apply = (x: Float64Array, i: number) => x.map((v, k) => v * a[i][k % D] + shifts[i]);
  let x = input.data;
  if (how === "same-input") x = apply(input.data, COUNT - 1);
  else for (let i = COUNT - 1; i >= 0; i--) x = apply(x, i);
  return { shape: [...input.shape], data: x };
}

/** How the gradients reached the modules in backward, read across the modules. */
function gradientWalk(j: Judge): string | undefined {
  const r = tv(j.plan("chain", "gradOutput"));
  const got = Array.from({ length: COUNT }, (_, i) => tv(j.student("chain", `backwardGrad.${i}`)));
  if (got.every((g) => same(g, r))) return WALK.sameGradOutput;
  let g = r;
  for (let i = 0; i < COUNT; i++) {
    if (!close(got[i], g, SIGNATURE_TOL)) return undefined;
    const a = tv(j.plan("chain", `a.${i}`)).data;
    g = { shape: [...g.shape], data: g.data.map((v, k) => v * a[k % D]) };
  }
  return WALK.forwardOrder;
}

const WALK = {
  sameGradOutput: "every module was given the Sequential's gradOutput",
  forwardOrder: "backward walks the modules in forward order (module 1 is given the Sequential's gradOutput)",
};

/** What getParameters()/getGradParameters() may hand out instead of one list per module (the hidden part says them too). */
export const LISTS = {
  flat: "getParameters()/getGradParameters() return one flat list of tensors, not one list per module",
  copies: "the lists hold copies of the modules' tensors, not the tensors themselves",
};

const MODES = "evaluate() and train() set the Sequential's own flag but do not reach its modules";

const chain = chainMistakes("chain", COUNT - 1);

const checks = [
  tensorCheck({
    id: "forward",
    name: "forward chains the modules",
    points: 3,
    what: "output",
    got: ["chain", "output"],
    context: (j) => ({ related: [{ name: "the Sequential's input", value: tv(j.plan("chain", "input")) }] }),
    mistakes: [
      ...chain.output,
      {
        says: "every module is given the Sequential's input: forward does not chain the modules",
        hint: "x = module.forward(x): each module gets the previous module's output",
        value: (j) => chainedWrong(j, "same-input"),
      },
    ],
  }),
  tensorCheck({
    id: "backward",
    name: "backward chains the gradients in reverse",
    points: 3,
    what: "gradInput",
    got: ["chain", "gradInput"],
    mistakes: [...chain.gradInput, {
      says: "every module is given the Sequential's gradOutput, so gradInput is the first module's alone",
      hint: "Walk the modules in reverse, feeding each one's gradInput to the module before it",
      value: (j) => {
        const a = tv(j.plan("chain", "a.0")).data;
        const r = tv(j.plan("chain", "gradOutput"));
        return { shape: [...r.shape], data: r.data.map((v, k) => v * a[k % D]) };
      },
    }],
    context: (j) => ({ related: [{ name: "gradOutput", value: tv(j.plan("chain", "gradOutput")) }] }),
  }),
  ...Array.from({ length: COUNT }, (_, i) =>
    ruleCheck({
      id: `backward-input.${i + 1}`,
      name: `module ${i + 1} receives in backward its forward input (the previous module's output)`,
      points: 2,
      anchored: true,
      signatures: [INPUTS.own, INPUTS.sequential],
      judge: (j) => {
        if (asReference(j, `backwardInput.${i}`)) return pass;
        const msg = `module ${i + 1} got a different input in backward than in forward (seed ${j.seed})`;
        const hint = "Module i's input is the output of module i − 1, or the Sequential's input for i = 0";
        if (sameAs(j, `backwardInput.${i}`, `moduleOutput.${i}`)) return failWith(msg, INPUTS.own, hint);
        if (i > 0 && same(tv(j.student("chain", `backwardInput.${i}`)), tv(j.plan("chain", "input")))) {
          return failWith(msg, INPUTS.sequential, hint);
        }
        return failShowing(msg, {
          what: `module ${i + 1}'s input in backward`,
          got: tv(j.student("chain", `backwardInput.${i}`)),
          expected: tv(j.reference("chain", `backwardInput.${i}`)),
          related: Array.from({ length: COUNT }, (_, k) => ({
            name: `module ${k + 1}'s input in forward (an index off by one?)`,
            value: tv(j.reference("chain", `forwardInput.${k}`)),
          })),
        }, hint);
      },
    })),
  ...Array.from({ length: COUNT }, (_, i) =>
    ruleCheck({
      id: `backward-grad.${i + 1}`,
      name: `module ${i + 1} receives the gradient of the module after it`,
      points: 1,
      anchored: true,
      signatures: [WALK.sameGradOutput, WALK.forwardOrder],
      judge: (j) =>
        asReference(j, `backwardGrad.${i}`) ? pass : failShowing(
          `module ${i + 1} got the wrong gradOutput in backward (seed ${j.seed})`,
          {
            what: `the gradOutput module ${i + 1} got`,
            got: tv(j.student("chain", `backwardGrad.${i}`)),
            expected: tv(j.reference("chain", `backwardGrad.${i}`)),
            related: [{ name: "the Sequential's gradOutput", value: tv(j.plan("chain", "gradOutput")) }],
          },
          "Walk the modules in reverse, feeding each one's gradInput to the module before it",
          gradientWalk(j),
        ),
    })),
  ...Array.from({ length: COUNT }, (_, i) =>
    tensorCheck({
      id: `grad-params.${i + 1}`,
      name: `module ${i + 1}'s parameter gradient is accumulated once`,
      points: 1,
      what: `module ${i + 1}'s gradient`,
      got: ["chain", `gradA.${i}`],
      mistakes: [{
        says: "the modules' gradients are accumulated twice (backward and accGradParameters both called?)",
        hint: "module.backward already calls accGradParameters: call one or the other",
        value: (j) => scaled(j.reference("chain", `gradA.${i}`), 2),
      }, {
        says: `module ${
          i + 1
        }'s gradient follows from the wrong input or gradOutput it was given in backward (see those checks)`,
        hint: "Fix what each module receives in backward first",
        value: (j) => {
          const x = tv(j.student("chain", `backwardInput.${i}`));
          const g = tv(j.student("chain", `backwardGrad.${i}`));
          const sums = new Float64Array(D);
          g.data.forEach((v, k) => (sums[k % D] += v * x.data[k]));
          return { shape: [D], data: sums };
        },
      }],
    })),
  ruleCheck({
    id: "parameters",
    name: "getParameters()/getGradParameters() give one list per module",
    points: 1,
    gate: ["forward", "backward"],
    signatures: [LISTS.flat, LISTS.copies],
    judge: (j) => {
      const lists = ["params", "grads"].every((l) =>
        j.student("chain", `${l}.count`) === COUNT &&
        Array.from({ length: COUNT }, (_, i) => j.student("chain", `${l}.length.${i}`)).every((n) => n === 1)
      );
      const own = Array.from(
        { length: COUNT },
        (_, i) => markedThrough(j, "marked.a", i, 0) && markedThrough(j, "marked.gradA", i, 1),
      )
        .every(Boolean);
      return lists && own ? pass : failWith(
        `getParameters()/getGradParameters() give one list per module: not so (seed ${j.seed})`,
        lists ? LISTS.copies : LISTS.flat,
        "Return this.modules.map((m) => m.getParameters()): the modules' own tensors, one list per module",
      );
    },
  }),
  ruleCheck({
    id: "zero-grad",
    name: "zeroGradParameters() reaches every module",
    points: 1,
    gate: ["forward", "backward"],
    signatures: [ZERO],
    judge: (j) => {
      for (let i = 0; i < COUNT; i++) {
        if (tv(j.student("chain", `gradZero.${i}`)).data.some((v) => v !== 0)) {
          return failWith(
            `module ${i + 1}'s gradient is not zero after zeroGradParameters() (seed ${j.seed})`,
            ZERO,
            "Call zeroGradParameters() on every module",
          );
        }
      }
      return pass;
    },
  }),
  ruleCheck({
    id: "modes",
    name: "evaluate() and train() reach every module",
    points: 1,
    gate: ["forward", "backward"],
    signatures: [MODES],
    judge: (j) => {
      const own = (key: string, want: boolean) => j.student("chain", `${key}.seq`) === want;
      const modules = (key: string, want: boolean) =>
        Array.from({ length: COUNT }, (_, i) => j.student("chain", `${key}.${i}`)).every((v) => v === want);
      const ownOk = own("evaluated", false) && own("trained", true);
      const modulesOk = modules("evaluated", false) && modules("trained", true);
      return ownOk && modulesOk ? pass : failWith(
        `evaluate() and train() reach every module: not so (seed ${j.seed})`,
        ownOk ? MODES : undefined,
        "Set this module's flag (super.evaluate()) and call evaluate() on every module; train() likewise",
      );
    },
  }),
];

/** The spec. */
export const spec = { lesson: "sequential", probes: [probe], checks };
