/**
 * The `layer` probe: builds the module, sets its parameters in place to the
 * plan's values, runs forward and backward with the plan's upstream gradient
 * R, a second backward (accumulation), `zeroGradParameters`; then, when
 * grading, the module's outputs at every input and parameter moved by ±h
 * at the coordinates the plan picked (the parent takes the central
 * differences of Σ(output ⊙ R)) and the
 * contract writes (a marker written into what `updateOutput` returned must
 * show in `this.output`).
 *
 * Settings: `className`, `args`, `evaluate`, `paramCount`, `outputShape`,
 * `first` (also record a second backward's gradInput), `gradcheck`, `h`,
 * `fdInput` and `fdParams` (the coordinates to move), `markers` (two
 * numbers). Inputs: `input`, `gradOutput`, `param.<i>`.
 *
 * @module
 */

import { Tensor } from "../../lib/tensor.ts";
import { F64, typedLength } from "./_pristine.ts";
import type { ProbeContext } from "./context.ts";
import { ContractError, sizeOf, toTensorValue } from "./values.ts";

/** The surface of a student module the probes use. */
export interface ModuleLike {
  forward(x: Tensor): unknown;
  updateOutput(x: Tensor): unknown;
  updateGradInput(x: Tensor, g: Tensor): unknown;
  backward(x: Tensor, g: Tensor): unknown;
  output: unknown;
  gradInput: unknown;
  training?: unknown;
  getParameters(): unknown;
  getGradParameters(): unknown;
  zeroGradParameters(): void;
  evaluate(): void;
  train(): void;
}

/** The list `getParameters()` (or `getGradParameters()`) returned, validated. */
export function tensorList(value: unknown, what: string, count: number): Tensor[] {
  if (!Array.isArray(value)) throw new ContractError(`${what} should return an array of tensors`);
  if (value.length !== count) {
    throw new ContractError(`${what} returned ${value.length} tensors, expected ${count}`);
  }
  for (const t of value) {
    if (!(t instanceof Tensor)) throw new ContractError(`${what} should return tensors only`);
  }
  return value as Tensor[];
}

/** `m`'s output on the current input, as a private copy. */
function outputOf(m: ModuleLike, x: Tensor, cls: string): Float64Array {
  return toTensorValue(m.forward(x), `${cls}.forward() result`).data;
}

/**
 * The outputs of `f` with each element `at` of `data` moved by +h and −h in
 * turn (restored exactly afterwards): shape `[at.length, 2, size]`, flat.
 */
export function perturbed(
  data: Float64Array,
  at: readonly number[],
  size: number,
  h: number,
  f: () => Float64Array,
): Float64Array {
  const n = at.length;
  const out = new F64(n * 2 * size);
  for (let k = 0; k < n; k++) {
    const i = at[k];
    if (!(i >= 0 && i < typedLength(data))) {
      throw new TypeError(`The plan perturbs element ${i} of ${typedLength(data)}`);
    }
    const old = data[i];
    for (let s = 0; s < 2; s++) {
      data[i] = s === 0 ? old + h : old - h;
      const y = f();
      if (typedLength(y) !== size) throw new ContractError("forward changed its output size between calls");
      out.set(y, (2 * k + s) * size);
    }
    data[i] = old;
  }
  return out;
}

/**
 * The contract of the methods forward and backward call: a marker written
 * into what `updateOutput` (then `updateGradInput`) returned is recorded as
 * `this.output` (`this.gradInput`) reads after it. The parent checks the
 * marker shows, i.e. the result was stored and returned as one object.
 */
export function recordMarkers(
  ctx: ProbeContext,
  m: ModuleLike,
  x: Tensor,
  r: Tensor,
  cls: string,
): void {
  const [a, b] = ctx.setting<number[]>("markers");
  const mark = (t: unknown, base: number) => {
    const d = t instanceof Tensor ? t.data : undefined;
    if (d instanceof F64) { for (let i = 0; i < typedLength(d); i++) d[i] = base + i / 1024; }
  };
  mark(ctx.run(`${cls}.updateOutput`, () => m.updateOutput(x)), a);
  ctx.put("marked.output", m.output, `${cls}.output`);
  mark(ctx.run(`${cls}.updateGradInput`, () => m.updateGradInput(x, r)), b);
  ctx.put("marked.gradInput", m.gradInput, `${cls}.gradInput`);
}

/** Runs a `layer` plan. */
export function runLayer(ctx: ProbeContext): void {
  const cls = ctx.setting<string>("className");
  const Cls = ctx.export(cls);
  const args = ctx.setting<(number | boolean)[]>("args");
  const count = ctx.setting<number>("paramCount");
  ctx.seedKit();
  const m = ctx.run(
    `new ${cls}(${args.map((a) => `${a}`).join(", ")})`,
    () => new Cls(...args),
  ) as ModuleLike;
  if (ctx.setting<boolean>("evaluate")) ctx.run(`${cls}.evaluate()`, () => m.evaluate());
  const P = count
    ? ctx.run(`${cls}.getParameters()`, () => tensorList(m.getParameters(), `${cls}.getParameters()`, count))
    : [];
  P.forEach((t, i) => {
    const want = ctx.input(`param.${i}`).data;
    if (typedLength(t.data) !== want.length) {
      throw new ContractError(
        `${cls}.getParameters()[${i}] has ${typedLength(t.data)} elements, expected ${want.length}`,
      );
    }
    t.data.set(want);
  });
  if (P.length) ctx.put("paramShapes", P.map((t) => `[${t.shape.join(", ")}]`).join(" "));
  const x = ctx.tensor("input");
  const y = ctx.run(`${cls}.forward`, () => m.forward(x));
  ctx.put("output", y, `${cls}.forward() result`);
  const out = ctx.values.output as { shape: number[]; data: Float64Array };
  const want = ctx.setting<number[]>("outputShape");
  if (out.data.length !== sizeOf(want)) {
    throw new ContractError(
      `${cls}.forward() returned shape [${out.shape.join(", ")}], expected [${want.join(", ")}]`,
    );
  }
  const r = ctx.tensor("gradOutput", out.shape);
  const gi = ctx.run(`${cls}.backward`, () => m.backward(x, r));
  ctx.put("gradInput", gi, `${cls}.backward() result`);
  const again = () => ctx.run(`${cls}.backward (a second time)`, () => m.backward(x, r));
  const first = ctx.setting<boolean>("first");
  if (ctx.grading && first && !P.length) ctx.put("gradInput2", again(), `${cls}.backward() result`);
  if (P.length) {
    const grads = () =>
      ctx.run(
        `${cls}.getGradParameters()`,
        () => tensorList(m.getGradParameters(), `${cls}.getGradParameters()`, count),
      );
    grads().forEach((g, i) => ctx.put(`grad.${i}`, g, `gradient ${i}`));
    if (ctx.grading) {
      const gi2 = again();
      if (first) ctx.put("gradInput2", gi2, `${cls}.backward() result`);
      grads().forEach((g, i) => ctx.put(`grad2.${i}`, g, `gradient ${i}`));
      ctx.run(`${cls}.zeroGradParameters()`, () => m.zeroGradParameters());
      grads().forEach((g, i) => ctx.put(`gradZero.${i}`, g, `gradient ${i}`));
    }
  }
  if (!ctx.grading) return;
  ctx.put("inputAfter", x, "the input");
  ctx.put("gradOutputAfter", r, "gradOutput");
  if (ctx.setting<boolean>("gradcheck")) {
    const h = ctx.setting<number>("h");
    const size = out.data.length;
    const f = () => outputOf(m, x, cls);
    ctx.step = `${cls}.forward (central differences)`;
    const at = ctx.setting<number[]>("fdInput");
    ctx.put("fd.input", { shape: [at.length, 2, size], data: perturbed(x.data, at, size, h, f) });
    const atParams = ctx.setting<number[][]>("fdParams");
    P.forEach((p, i) =>
      ctx.put(`fd.param.${i}`, {
        shape: [atParams[i].length, 2, size],
        data: perturbed(p.data, atParams[i], size, h, f),
      })
    );
  }
  recordMarkers(ctx, m, x, r, cls);
}
