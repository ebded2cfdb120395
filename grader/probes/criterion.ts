/**
 * The `criterion` probe: loss and gradInput on the plan's input and target,
 * `this.output` after forward; when grading, the losses at every input moved
 * by ±h (the parent takes the central differences), the inputs as the
 * criterion left them, and the contract write (a marker written into what
 * `backward` returned must show in `this.gradInput`).
 *
 * Settings: `className`, `gradcheck`, `h`, `markers`. Inputs: `input`, `target`.
 *
 * @module
 */

import { Tensor } from "../../lib/tensor.ts";
import { F64, typedLength } from "./_pristine.ts";
import type { ProbeContext } from "./context.ts";
import { ContractError, describe } from "./values.ts";

/** The surface of a student criterion the probe uses. */
interface CriterionLike {
  forward(x: Tensor, t: Tensor): unknown;
  backward(x: Tensor, t: Tensor): unknown;
  output: unknown;
  gradInput: unknown;
}

/** Runs a `criterion` plan. */
export function runCriterion(ctx: ProbeContext): void {
  const cls = ctx.setting<string>("className");
  const Cls = ctx.export(cls);
  ctx.seedKit();
  const m = ctx.run(`new ${cls}()`, () => new Cls()) as CriterionLike;
  const x = ctx.tensor("input");
  const t = ctx.tensor("target");
  const forward = () => {
    const v = m.forward(x, t);
    if (typeof v !== "number") {
      throw new ContractError(`${cls}.forward() should return a number, got ${describe(v)}`);
    }
    return v;
  };
  ctx.put("loss", ctx.run(`${cls}.forward`, forward));
  if (typeof m.output === "number") ctx.put("outputField", m.output);
  ctx.put("gradInput", ctx.run(`${cls}.backward`, () => m.backward(x, t)), `${cls}.backward() result`);
  if (!ctx.grading) return;
  ctx.put("inputAfter", x, "the input");
  ctx.put("targetAfter", t, "the target");
  if (ctx.setting<boolean>("gradcheck")) {
    ctx.step = `${cls}.forward (central differences)`;
    const h = ctx.setting<number>("h");
    const n = typedLength(x.data);
    const losses = new F64(2 * n);
    for (let i = 0; i < n; i++) {
      const old = x.data[i];
      x.data[i] = old + h;
      losses[2 * i] = forward();
      x.data[i] = old - h;
      losses[2 * i + 1] = forward();
      x.data[i] = old;
    }
    ctx.put("fd.input", { shape: [n, 2], data: losses });
  }
  const [, b] = ctx.setting<number[]>("markers");
  const g = ctx.run(`${cls}.backward`, () => m.backward(x, t));
  if (g instanceof Tensor && g.data instanceof F64) {
    for (let i = 0; i < typedLength(g.data); i++) g.data[i] = b + i / 1024;
  }
  ctx.put("marked.gradInput", m.gradInput, `${cls}.gradInput`);
}
