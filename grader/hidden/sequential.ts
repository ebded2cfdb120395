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

import { failShowing, failWith, pass, ruleCheck, tensorCheck } from "../judge/compare.ts";
import { tv } from "../judge/signatures.ts";
import { type TensorValue, tensorValue } from "../spec.ts";
import { markers } from "../specs/_layer.ts";
import { chainMistakes, INPUTS, LISTS } from "../specs/sequential.ts";
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

const chain = chainMistakes(PROBE, MODULES.length - 1);

const EMPTY_DROPPED = "a module without parameters gets no list: its [] is dropped";

/** Why the six-module chain throws where the three-module one did not: its widths change. */
const WIDTHS = {
  forward:
    "a tensor of the wrong width reached a module in forward: the widths change in this chain (4 → 6), so a module given anything but the previous module's output throws",
  backward:
    "a tensor of the wrong width reached a module in backward: the widths change in this chain (4 → 6), so a module given another module's input or gradient throws (see the three-module checks)",
};
const about = (onError: string) => ({ result: "deep", against: "contract" as const, probe: PROBE, onError });

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
      mistakes: chain.output,
      about: about(WIDTHS.forward),
      context: (j) => ({ related: [{ name: "the Sequential's input", value: tv(j.plan(PROBE, "input")) }] }),
    }),
    tensorCheck({
      id: "hidden.backward",
      name: "backward chains the gradients of six modules in reverse",
      points: 1,
      what: "gradInput",
      got: [PROBE, "gradInput"],
      mistakes: chain.gradInput,
      about: about(WIDTHS.backward),
    }),
    ruleCheck({
      id: "hidden.backward-inputs",
      about: about(WIDTHS.backward),
      name: "each of six modules receives in backward the input it saw in forward",
      points: 1,
      anchored: true,
      signatures: [INPUTS.own, INPUTS.sequential],
      judge: (j) => {
        const wrong = MODULES.map((_, i) => i).filter((i) =>
          !same(tv(j.student(PROBE, `backwardInput.${i}`)), tv(j.reference(PROBE, `backwardInput.${i}`)))
        );
        const input = (i: number) => tv(j.student(PROBE, `backwardInput.${i}`));
        const own = wrong.every((i) => same(input(i), tv(j.student(PROBE, `moduleOutput.${i}`))));
        const sequential = wrong.every((i) => same(input(i), tv(j.plan(PROBE, "input"))));
        if (wrong.length === 0) return pass;
        const message =
          `${wrong.length} of 6 modules got a different input in backward than in forward (seed ${j.seed})`;
        const hint = "Module i's input is the output of module i − 1, or the Sequential's input for i = 0";
        if (own || sequential) return failWith(message, own ? INPUTS.own : INPUTS.sequential, hint);
        const first = wrong[0];
        return failShowing(message, {
          what: `module ${first + 1}'s input in backward`,
          got: input(first),
          expected: tv(j.reference(PROBE, `backwardInput.${first}`)),
          related: MODULES.map((_, k) => ({
            name: `module ${k + 1}'s input in forward (an index off by one?)`,
            value: tv(j.reference(PROBE, `forwardInput.${k}`)),
          })),
        }, hint);
      },
    }),
    ruleCheck({
      id: "hidden.parameters",
      about: about(WIDTHS.backward),
      signatures: [EMPTY_DROPPED, LISTS.copies],
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
        const scales = MODULES.filter((m) => m[0] === "scale").length;
        const copies = ["params", "grads"].every((l) => j.student(PROBE, `${l}.count`) === MODULES.length);
        return ok ? pass : failWith(
          `the parameter lists do not match the six modules one to one (seed ${j.seed})`,
          j.student(PROBE, "params.count") === scales ? EMPTY_DROPPED : copies ? LISTS.copies : undefined,
          "Return this.modules.map((m) => m.getParameters()): one list per module, even an empty one",
        );
      },
    }),
  ],
};
