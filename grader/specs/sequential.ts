/**
 * Sequential, graded with recording modules written here (so this lesson
 * does not depend on the student's other lessons): the forward chain, each
 * module's input in backward, the gradOutput chain, parameter lists per
 * module, and the propagation of zeroGradParameters, evaluate and train.
 *
 * @module
 */

import { Module } from "../../lib/module.ts";
import type { Tensor } from "../../lib/tensor.ts";
import { F64 } from "../_pristine.ts";
import { failWith, pass, ruleCheck, tensorCheck } from "../judge.ts";
import { ContractError, type Judge, type Probe, type TensorValue, toTensorValue } from "../spec.ts";
import { tv } from "../_sig.ts";

const N = 3;
const D = 4;
const COUNT = 3;

/** `output = input ⊙ a + shift`, recording what it is given. */
class Recorder extends Module {
  a: Tensor;
  gradA: Tensor;
  shift: number;
  seen: { forward?: TensorValue; backwardInput?: TensorValue; backwardGrad?: TensorValue } = {};
  constructor(a: Tensor, gradA: Tensor, shift: number) {
    super();
    this.a = a;
    this.gradA = gradA;
    this.shift = shift;
  }
  override updateOutput(input: Tensor): Tensor {
    this.seen.forward = toTensorValue(input, "the input a module received in forward");
    this.output = input.mul(this.a).add(this.shift);
    return this.output;
  }
  override updateGradInput(input: Tensor, gradOutput: Tensor): Tensor {
    this.seen.backwardInput = toTensorValue(input, "the input a module received in backward");
    this.seen.backwardGrad = toTensorValue(gradOutput, "the gradOutput a module received in backward");
    this.gradInput = gradOutput.mul(this.a);
    return this.gradInput;
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

const probe: Probe = {
  id: "chain",
  run(ctx) {
    const Seq = ctx.export("Sequential");
    ctx.seedKit();
    const seq = ctx.run("new Sequential()", () => new Seq());
    const recs: Recorder[] = [];
    for (let i = 0; i < COUNT; i++) {
      const r = new Recorder(ctx.tensor([D], ctx.rng.array(D, 0.5, 2)), ctx.tensor([D], new F64(D)), i + 1);
      recs.push(r);
      ctx.run("Sequential.add", () => seq.add(r));
    }
    const xData = ctx.rng.array(N * D, -1, 1);
    const x = ctx.tensor([N, D], xData);
    ctx.put("output", ctx.run("Sequential.forward", () => seq.forward(x)), "Sequential.forward() result");
    const r = ctx.tensor([N, D], ctx.rng.array(N * D, -1, 1));
    ctx.put("gradOutput", r);
    ctx.put("input", x);
    ctx.put(
      "gradInput",
      ctx.run("Sequential.backward", () => seq.backward(x, r)),
      "Sequential.backward() result",
    );
    recs.forEach((m, i) => {
      if (!m.seen.forward || !m.seen.backwardInput || !m.seen.backwardGrad) {
        throw new ContractError(
          `module ${i + 1} was not called in ${m.seen.forward ? "backward" : "forward"}`,
        );
      }
      ctx.put(`forwardInput.${i}`, m.seen.forward);
      ctx.put(`moduleOutput.${i}`, m.output);
      ctx.put(`backwardInput.${i}`, m.seen.backwardInput);
      ctx.put(`backwardGrad.${i}`, m.seen.backwardGrad);
      ctx.put(`moduleGradInput.${i}`, m.gradInput);
      ctx.put(`gradA.${i}`, m.gradA);
    });
    const params = ctx.run("Sequential.getParameters()", () => seq.getParameters());
    const grads = ctx.run("Sequential.getGradParameters()", () => seq.getGradParameters());
    const shapeOf = (v: unknown) =>
      Array.isArray(v) && v.every((l) => Array.isArray(l)) && v.length === COUNT;
    ctx.put(
      "paramsPerModule",
      shapeOf(params) && shapeOf(grads) &&
        recs.every((m, i) => params[i].length === 1 && params[i][0] === m.a && grads[i][0] === m.gradA),
    );
    ctx.run("Sequential.zeroGradParameters()", () => seq.zeroGradParameters());
    ctx.put("zeroed", recs.every((m) => m.gradA.data.every((v) => v === 0)));
    ctx.run("Sequential.evaluate()", () => seq.evaluate());
    const evaluated = recs.every((m) => m.training === false) && seq.training === false;
    ctx.run("Sequential.train()", () => seq.train());
    ctx.put("modes", evaluated && recs.every((m) => m.training === true) && seq.training === true);
  },
};

function sameAs(j: Judge, a: string, b: string): boolean {
  const x = tv(j.student("chain", a));
  const y = tv(j.student("chain", b));
  return x.shape.join() === y.shape.join() && x.data.every((v, i) => v === y.data[i]);
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
      name: `module ${i + 1} receives in backward the input it saw in forward`,
      points: 2,
      judge: (j) => {
        if (sameAs(j, `backwardInput.${i}`, `forwardInput.${i}`)) return pass;
        const msg = `module ${i + 1} got a different input in backward than in forward (seed ${j.seed})`;
        const hint = "Module i's input is the output of module i − 1, or the Sequential's input for i = 0";
        if (sameAs(j, `backwardInput.${i}`, `moduleOutput.${i}`)) {
          return failWith(msg, "each module was passed its own output instead of its input", hint);
        }
        if (i > 0 && sameAs(j, `backwardInput.${i}`, "input")) {
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
      judge: (j) => {
        const want = i === COUNT - 1 ? "gradOutput" : `moduleGradInput.${i + 1}`;
        return sameAs(j, `backwardGrad.${i}`, want) ? pass : failWith(
          `module ${i + 1} got the wrong gradOutput in backward (seed ${j.seed})`,
          sameAs(j, `backwardGrad.${i}`, "gradOutput")
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
  ...([
    ["parameters", "getParameters()/getGradParameters() give one list per module", "paramsPerModule"],
    ["zero-grad", "zeroGradParameters() reaches every module", "zeroed"],
    ["modes", "evaluate() and train() reach every module", "modes"],
  ] as const).map(([id, name, key]) =>
    ruleCheck({
      id,
      name,
      points: 1,
      judge: (j) => {
        j.student("chain", "gradInput");
        return j.student("chain", key) === true ? pass : failWith(`${name}: not so (seed ${j.seed})`);
      },
    })
  ),
];

/** The spec. */
export const spec = { lesson: "sequential", probes: [probe], checks };
