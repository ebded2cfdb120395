/**
 * The Sequential probes, with recording modules written here (so the lesson
 * does not depend on the student's other lessons). `chain`: three modules
 * `output = input ⊙ a + shift` with a parameter each; `deep`: a longer
 * chain mixing such scalings with parameter-free `tanh(input·M)` modules
 * that may change the width. Each module records the input it saw in forward
 * and in backward and the gradient it was handed; the probe records the
 * parameter lists' structure, a marker written through them (a list entry
 * must be the module's own tensor, not a copy), the gradients after
 * `zeroGradParameters()`, and every module's `training` flag after
 * `evaluate()` and after `train()`.
 *
 * Settings (`chain`): `count`, `shifts`. Inputs: `a.<i>`, `input`, `gradOutput`.
 * Settings (`deep`): `modules` (`"scale"` or `"mix"` each). Inputs: `a.<i>` or
 * `m.<i>` per module, `input`, `gradOutput`.
 *
 * @module
 */

import { Module } from "../../lib/module.ts";
import { Tensor } from "../../lib/tensor.ts";
import { F64, typedLength } from "./_pristine.ts";
import type { ProbeContext } from "./context.ts";
import { ContractError, describe, type TensorValue, toTensorValue } from "./values.ts";

/** What a recording module saw. */
interface Seen {
  forward?: TensorValue;
  backwardInput?: TensorValue;
  backwardGrad?: TensorValue;
}

/** `output = input ⊙ a + shift`, recording what it is given. */
class Scale extends Module {
  seen: Seen = {};
  constructor(readonly a: Tensor, readonly gradA: Tensor, readonly shift: number) {
    super();
  }
  override updateOutput(input: Tensor): Tensor {
    this.seen.forward = toTensorValue(input, "the input a module received in forward");
    return this.output = input.mul(this.a).add(this.shift);
  }
  override updateGradInput(input: Tensor, gradOutput: Tensor): Tensor {
    this.seen.backwardInput = toTensorValue(input, "the input a module received in backward");
    this.seen.backwardGrad = toTensorValue(gradOutput, "the gradOutput a module received in backward");
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
    this.seen.backwardInput = toTensorValue(input, "the input a module received in backward");
    this.seen.backwardGrad = toTensorValue(gradOutput, "the gradOutput a module received in backward");
    const y = input.matmul(this.m).tanh();
    return this.gradInput = gradOutput.mul(y.mul(y).neg().add(1)).matmul(this.m, { transB: true });
  }
}

type Recorder = Scale | Mix;

/** A module's `training` field as recorded: the boolean, or a description of what else it holds. */
function flag(v: unknown): boolean | string {
  return typeof v === "boolean" ? v : describe(v);
}

/** Records the structure of `lists` (count, each list's length) under `prefix`. */
function recordLists(ctx: ProbeContext, prefix: string, lists: unknown): void {
  if (!Array.isArray(lists)) {
    ctx.put(`${prefix}.count`, -1);
    return;
  }
  ctx.put(`${prefix}.count`, lists.length);
  lists.forEach((l, i) => ctx.put(`${prefix}.length.${i}`, Array.isArray(l) ? l.length : -1));
}

/** Writes marker `base + i/1024` into every tensor a list holds (first entry of each list). */
function markLists(lists: unknown, base: number): void {
  if (!Array.isArray(lists)) return;
  lists.forEach((l, i) => {
    const t = Array.isArray(l) ? l[0] : undefined;
    if (t instanceof Tensor && t.data instanceof F64) {
      for (let k = 0; k < typedLength(t.data); k++) t.data[k] = base + 100 * i + k / 1024;
    }
  });
}

function build(ctx: ProbeContext, mods: Recorder[]) {
  const Seq = ctx.export("Sequential");
  ctx.seedKit();
  // deno-lint-ignore no-explicit-any
  const seq: any = ctx.run("new Sequential()", () => new Seq());
  for (const m of mods) ctx.run("Sequential.add", () => seq.add(m));
  const x = ctx.tensor("input");
  ctx.put("output", ctx.run("Sequential.forward", () => seq.forward(x)), "Sequential.forward() result");
  const r = ctx.tensor("gradOutput");
  ctx.put(
    "gradInput",
    ctx.run("Sequential.backward", () => seq.backward(x, r)),
    "Sequential.backward() result",
  );
  mods.forEach((m, i) => {
    if (!m.seen.forward || !m.seen.backwardInput || !m.seen.backwardGrad) {
      throw new ContractError(`module ${i + 1} was not called in ${m.seen.forward ? "backward" : "forward"}`);
    }
    ctx.put(`forwardInput.${i}`, m.seen.forward);
    ctx.put(`moduleOutput.${i}`, m.output, `module ${i + 1}'s output`);
    ctx.put(`backwardInput.${i}`, m.seen.backwardInput);
    ctx.put(`backwardGrad.${i}`, m.seen.backwardGrad);
    ctx.put(`moduleGradInput.${i}`, m.gradInput, `module ${i + 1}'s gradInput`);
    if (m instanceof Scale) ctx.put(`gradA.${i}`, m.gradA);
  });
  return seq;
}

/** Records the parameter lists and, when grading, marks them and reads each module's own tensors. */
function parameterLists(
  ctx: ProbeContext,
  seq: { getParameters(): unknown; getGradParameters(): unknown },
  mods: Recorder[],
) {
  const params = ctx.run("Sequential.getParameters()", () => seq.getParameters());
  const grads = ctx.run("Sequential.getGradParameters()", () => seq.getGradParameters());
  recordLists(ctx, "params", params);
  recordLists(ctx, "grads", grads);
  if (!ctx.grading) return;
  const [a, b] = ctx.setting<number[]>("markers");
  markLists(params, a);
  markLists(grads, b);
  mods.forEach((m, i) => {
    if (m instanceof Scale) {
      ctx.put(`marked.a.${i}`, m.a);
      ctx.put(`marked.gradA.${i}`, m.gradA);
    }
  });
}

/** Runs a `chain` plan. */
export function runChain(ctx: ProbeContext): void {
  const count = ctx.setting<number>("count");
  const shifts = ctx.setting<number[]>("shifts");
  const mods = Array.from({ length: count }, (_, i) => {
    const a = ctx.tensor(`a.${i}`);
    return new Scale(a, Tensor.zeros(a.shape), shifts[i]);
  });
  const seq = build(ctx, mods);
  if (!ctx.grading) return;
  ctx.run("Sequential.zeroGradParameters()", () => seq.zeroGradParameters());
  mods.forEach((m, i) => ctx.put(`gradZero.${i}`, (m as Scale).gradA));
  ctx.run("Sequential.evaluate()", () => seq.evaluate());
  ctx.put("evaluated.seq", flag(seq.training));
  mods.forEach((m, i) => ctx.put(`evaluated.${i}`, flag(m.training)));
  ctx.run("Sequential.train()", () => seq.train());
  ctx.put("trained.seq", flag(seq.training));
  mods.forEach((m, i) => ctx.put(`trained.${i}`, flag(m.training)));
  parameterLists(ctx, seq, mods);
}

/** Runs a `deep` plan. */
export function runDeep(ctx: ProbeContext): void {
  const kinds = ctx.setting<string[]>("modules");
  const mods: Recorder[] = kinds.map((kind, i) => {
    if (kind === "mix") return new Mix(ctx.tensor(`m.${i}`));
    const a = ctx.tensor(`a.${i}`);
    return new Scale(a, Tensor.zeros(a.shape), 0);
  });
  const seq = build(ctx, mods);
  parameterLists(ctx, seq, mods);
}
