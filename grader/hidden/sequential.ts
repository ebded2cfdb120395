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

import { Module } from "../../lib/module.ts";
import { Tensor } from "../../lib/tensor.ts";
import { F64 } from "../_pristine.ts";
import { failWith, pass, ruleCheck, tensorCheck } from "../judge.ts";
import { ContractError, type Probe, type TensorValue, toTensorValue } from "../spec.ts";
import type { HiddenPart } from "../specs/mod.ts";

const N = 5;

/** What a recording module saw. */
interface Seen {
  forward?: TensorValue;
  backward?: TensorValue;
}

/** `output = input ⊙ a` per feature, with parameter `a`. */
class Scale extends Module {
  seen: Seen = {};
  constructor(readonly a: Tensor, readonly gradA: Tensor) {
    super();
  }
  override updateOutput(input: Tensor): Tensor {
    this.seen.forward = toTensorValue(input, "the input a module received in forward");
    return this.output = input.mul(this.a);
  }
  override updateGradInput(input: Tensor, gradOutput: Tensor): Tensor {
    this.seen.backward = toTensorValue(input, "the input a module received in backward");
    return this.gradInput = gradOutput.mul(this.a);
  }
  override accGradParameters(input: Tensor, gradOutput: Tensor): void {
    this.gradA.addInPlace(gradOutput.mul(input).sum(0));
  }
  override getParameters(): Tensor[] {
    return [this.a];
  }
  override getGradParameters(): Tensor[] {
    return [this.gradA];
  }
}

/** `output = tanh(input·M)` with a fixed matrix `M` (no parameters): it may change the width. */
class Mix extends Module {
  seen: Seen = {};
  constructor(readonly m: Tensor) {
    super();
  }
  override updateOutput(input: Tensor): Tensor {
    this.seen.forward = toTensorValue(input, "the input a module received in forward");
    return this.output = input.matmul(this.m).tanh();
  }
  override updateGradInput(input: Tensor, gradOutput: Tensor): Tensor {
    this.seen.backward = toTensorValue(input, "the input a module received in backward");
    const y = input.matmul(this.m).tanh();
    return this.gradInput = gradOutput.mul(y.mul(y).neg().add(1)).matmul(this.m, { transB: true });
  }
}

const probe: Probe = {
  id: "hidden.deep",
  run(ctx) {
    const Seq = ctx.export("Sequential");
    ctx.seedKit();
    const seq = ctx.run("new Sequential()", () => new Seq());
    const scale = (d: number) =>
      new Scale(ctx.tensor([d], ctx.rng.array(d, 0.5, 1.5)), ctx.tensor([d], new F64(d)));
    const mix = (a: number, b: number) => new Mix(ctx.tensor([a, b], ctx.rng.array(a * b, -0.8, 0.8)));
    const mods: (Scale | Mix)[] = [scale(4), mix(4, 4), scale(4), mix(4, 6), scale(6), mix(6, 6)];
    for (const m of mods) ctx.run("Sequential.add", () => seq.add(m));
    const x = ctx.tensor([N, 4], ctx.rng.array(N * 4, -1, 1));
    ctx.put("output", ctx.run("Sequential.forward", () => seq.forward(x)), "Sequential.forward() result");
    const r = ctx.tensor([N, 6], ctx.rng.array(N * 6, -1, 1));
    ctx.put(
      "gradInput",
      ctx.run("Sequential.backward", () => seq.backward(x, r)),
      "Sequential.backward() result",
    );
    let same = 0;
    mods.forEach((m, i) => {
      if (!m.seen.forward || !m.seen.backward) {
        throw new ContractError(
          `module ${i + 1} was not called in ${m.seen.forward ? "backward" : "forward"}`,
        );
      }
      const [a, b] = [m.seen.forward, m.seen.backward];
      if (a.shape.join() === b.shape.join() && a.data.every((v, k) => v === b.data[k])) same++;
    });
    ctx.put("sameInputs", same);
    const params = ctx.run("Sequential.getParameters()", () => seq.getParameters());
    const grads = ctx.run("Sequential.getGradParameters()", () => seq.getGradParameters());
    const perModule = (lists: unknown, own: (m: Scale) => Tensor) =>
      Array.isArray(lists) && lists.length === mods.length &&
      mods.every((m, i) => {
        const l = lists[i];
        if (!Array.isArray(l)) return false;
        return m instanceof Scale ? l.length === 1 && l[0] === own(m) : l.length === 0;
      });
    ctx.put("paramsPerModule", perModule(params, (m) => m.a) && perModule(grads, (m) => m.gradA));
  },
};

/** The hidden part. */
export const hidden: HiddenPart = {
  probes: [probe],
  checks: [
    tensorCheck({
      id: "hidden.forward",
      name: "forward chains six modules, one of them widening 4 → 6",
      points: 1,
      what: "output",
      got: ["hidden.deep", "output"],
    }),
    tensorCheck({
      id: "hidden.backward",
      name: "backward chains the gradients of six modules in reverse",
      points: 1,
      what: "gradInput",
      got: ["hidden.deep", "gradInput"],
    }),
    ruleCheck({
      id: "hidden.backward-inputs",
      name: "each of six modules receives in backward the input it saw in forward",
      points: 1,
      judge: (j) => {
        const same = j.student("hidden.deep", "sameInputs") as number;
        return same === 6 ? pass : failWith(
          `${6 - same} of 6 modules got a different input in backward than in forward (seed ${j.seed})`,
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
      judge: (j) => {
        j.student("hidden.deep", "gradInput");
        return j.student("hidden.deep", "paramsPerModule") === true ? pass : failWith(
          `the parameter lists do not match the six modules one to one (seed ${j.seed})`,
          undefined,
          "Return this.modules.map((m) => m.getParameters()): one list per module, even an empty one",
        );
      },
    }),
  ],
};
