/**
 * Hidden checks of Sequential (dropped from a student release): a deeper
 * chain of six recording modules (written here, so the lesson does not depend
 * on the student's other lessons), half of them without parameters and one
 * that changes the width from 4 to 6. Forward and backward against the
 * reference; each module's input in backward; one parameter list per module,
 * empty ones included.
 *
 * @module
 */

import { failWith, pass, ruleCheck, tensorCheck } from "../judge/compare.ts";
import { tv } from "../judge/signatures.ts";
import { type TensorValue, tensorValue } from "../spec.ts";
import { markers } from "../specs/_layer.ts";
import { Rng } from "../specs/_rng.ts";
import type { HiddenPart } from "../specs/mod.ts";

const N = 5;
/** The chain: scalings (a parameter each) and `tanh(input·M)` mixes, one widening 4 → 6. */
const MODULES: readonly (readonly ["scale", number] | readonly ["mix", number, number])[] = [
  ["scale", 4],
  ["mix", 4, 4],
  ["scale", 4],
  ["mix", 4, 6],
  ["scale", 6],
  ["mix", 6, 6],
];
const PROBE = "hidden.deep";

const probe = {
  id: PROBE,
  plan: (seed: number, id = PROBE) => {
    const rng = new Rng(seed, id);
    const inputs: Record<string, TensorValue> = {};
    MODULES.forEach((m, i) => {
      if (m[0] === "scale") inputs[`a.${i}`] = tensorValue([m[1]], rng.array(m[1], 0.5, 1.5));
      else inputs[`m.${i}`] = tensorValue([m[1], m[2]], rng.array(m[1] * m[2], -0.8, 0.8));
    });
    inputs.input = tensorValue([N, 4], rng.array(N * 4, -1, 1));
    inputs.gradOutput = tensorValue([N, 6], rng.array(N * 6, -1, 1));
    return {
      id,
      kind: "deep" as const,
      kitSeed: seed,
      settings: { modules: MODULES.map((m) => m[0]), markers: markers(rng) },
      inputs,
    };
  },
};

const same = (a: TensorValue, b: TensorValue) =>
  a.shape.join() === b.shape.join() && a.data.every((v, k) => v === b.data[k]);

/** The hidden part. */
export const hidden: HiddenPart = {
  probes: [probe],
  checks: [
    tensorCheck({
      id: "hidden.forward",
      name: "forward chains six modules, one of them widening 4 → 6",
      points: 1,
      what: "output",
      got: [PROBE, "output"],
    }),
    tensorCheck({
      id: "hidden.backward",
      name: "backward chains the gradients of six modules in reverse",
      points: 1,
      what: "gradInput",
      got: [PROBE, "gradInput"],
    }),
    ruleCheck({
      id: "hidden.backward-inputs",
      name: "each of six modules receives in backward the input it saw in forward",
      points: 1,
      anchored: true,
      judge: (j) => {
        const wrong = MODULES.filter((_, i) =>
          !same(tv(j.student(PROBE, `backwardInput.${i}`)), tv(j.reference(PROBE, `backwardInput.${i}`)))
        ).length;
        return wrong === 0 ? pass : failWith(
          `${wrong} of 6 modules got a different input in backward than in forward (seed ${j.seed})`,
          undefined,
          "Module i's input is the output of module i − 1, or the Sequential's input for i = 0",
        );
      },
    }),
    ruleCheck({
      id: "hidden.parameters",
      name:
        "getParameters()/getGradParameters() give one list per module, [] for a module without parameters",
      points: 1,
      gate: ["hidden.forward", "hidden.backward"],
      judge: (j) => {
        const [a, b] = j.planSetting(PROBE, "markers") as number[];
        const ok = ["params", "grads"].every((l) =>
          j.student(PROBE, `${l}.count`) === MODULES.length &&
          MODULES.every((m, i) => j.student(PROBE, `${l}.length.${i}`) === (m[0] === "scale" ? 1 : 0))
        ) && MODULES.every((m, i) =>
          m[0] !== "scale" || [["marked.a", a], ["marked.gradA", b]].every(([key, base]) =>
            tv(j.student(PROBE, `${key}.${i}`)).data.every((v, k) =>
              v === (base as number) + 100 * i + k / 1024
            )
          )
        );
        return ok ? pass : failWith(
          `the parameter lists do not match the six modules one to one (seed ${j.seed})`,
          undefined,
          "Return this.modules.map((m) => m.getParameters()): one list per module, even an empty one",
        );
      },
    }),
  ],
};
