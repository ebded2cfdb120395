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
import { failWith, pass, ruleCheck, tensorCheck } from "../judge/compare.ts";
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

const checks = [
  tensorCheck({
    id: "forward",
    name: "forward chains the modules",
    points: 3,
    what: "output",
    got: ["chain", "output"],
  }),
  tensorCheck({
    id: "backward",
    name: "backward chains the gradients in reverse",
    points: 3,
    what: "gradInput",
    got: ["chain", "gradInput"],
  }),
  ...Array.from({ length: COUNT }, (_, i) =>
    ruleCheck({
      id: `backward-input.${i + 1}`,
      name: `module ${i + 1} receives in backward its forward input (the previous module's output)`,
      points: 2,
      anchored: true,
      judge: (j) => {
        if (asReference(j, `backwardInput.${i}`)) return pass;
        const msg = `module ${i + 1} got a different input in backward than in forward (seed ${j.seed})`;
        const hint = "Module i's input is the output of module i − 1, or the Sequential's input for i = 0";
        if (sameAs(j, `backwardInput.${i}`, `moduleOutput.${i}`)) {
          return failWith(msg, "each module was passed its own output instead of its input", hint);
        }
        if (i > 0 && same(tv(j.student("chain", `backwardInput.${i}`)), tv(j.plan("chain", "input")))) {
          return failWith(msg, "every module was passed the Sequential's input", hint);
        }
        return failWith(msg, undefined, hint);
      },
    })),
  ...Array.from({ length: COUNT }, (_, i) =>
    ruleCheck({
      id: `backward-grad.${i + 1}`,
      name: `module ${i + 1} receives the gradient of the module after it`,
      points: 1,
      anchored: true,
      judge: (j) => {
        const gradOutput = tv(j.plan("chain", "gradOutput"));
        return asReference(j, `backwardGrad.${i}`) ? pass : failWith(
          `module ${i + 1} got the wrong gradOutput in backward (seed ${j.seed})`,
          i < COUNT - 1 && same(tv(j.student("chain", `backwardGrad.${i}`)), gradOutput)
            ? "every module was given the Sequential's gradOutput"
            : undefined,
          "Walk the modules in reverse, feeding each one's gradInput to the module before it",
        );
      },
    })),
  ...Array.from({ length: COUNT }, (_, i) =>
    tensorCheck({
      id: `grad-params.${i + 1}`,
      name: `module ${i + 1}'s parameter gradient is accumulated once`,
      points: 1,
      what: `module ${i + 1}'s gradient`,
      got: ["chain", `gradA.${i}`],
    })),
  ruleCheck({
    id: "parameters",
    name: "getParameters()/getGradParameters() give one list per module",
    points: 1,
    gate: ["forward", "backward"],
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
        lists ? "the lists hold copies of the modules' tensors, not the tensors themselves" : undefined,
        "Return this.modules.map((m) => m.getParameters()): the modules' own tensors, one list per module",
      );
    },
  }),
  ruleCheck({
    id: "zero-grad",
    name: "zeroGradParameters() reaches every module",
    points: 1,
    gate: ["forward", "backward"],
    judge: (j) => {
      for (let i = 0; i < COUNT; i++) {
        if (tv(j.student("chain", `gradZero.${i}`)).data.some((v) => v !== 0)) {
          return failWith(
            `module ${i + 1}'s gradient is not zero after zeroGradParameters() (seed ${j.seed})`,
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
    judge: (j) => {
      const all = (key: string, want: boolean) =>
        j.student("chain", `${key}.seq`) === want &&
        Array.from({ length: COUNT }, (_, i) => j.student("chain", `${key}.${i}`)).every((v) => v === want);
      return all("evaluated", false) && all("trained", true)
        ? pass
        : failWith(`evaluate() and train() reach every module: not so (seed ${j.seed})`);
    },
  }),
];

/** The spec. */
export const spec = { lesson: "sequential", probes: [probe], checks };
