/**
 * The `optimizer` probe: a trajectory of steps on variables grouped by
 * module, the gradients written in place into the same tensors between steps
 * (as a training loop does), the state object carried between calls; then
 * one step of a fresh run with a fresh state. It records the variables the
 * probe handed over (so an update that replaces them instead of changing
 * them in place shows) and, for the diagnosis, what the lists hold after.
 *
 * Settings: `fn`, `config`, `shapes` (per module, per variable), `steps`.
 * Inputs: `x0.<k>`, `g.<step>.<k>`, `fresh.x0`, `fresh.g`.
 *
 * @module
 */

import { Tensor } from "../../lib/tensor.ts";
import type { ProbeContext } from "./context.ts";
import { ContractError } from "./values.ts";

/** Runs an `optimizer` plan. */
export function runOptimizer(ctx: ProbeContext): void {
  const fn = ctx.setting<string>("fn");
  const opt = ctx.export(fn);
  const config = ctx.setting<Record<string, number>>("config");
  const shapes = ctx.setting<number[][][]>("shapes");
  const steps = ctx.setting<number>("steps");
  const flat = shapes.flatMap((mod, a) => mod.map((_, b) => [a, b] as const));
  let next = 0;
  const vars = shapes.map((mod) => mod.map(() => ctx.tensor(`x0.${next++}`)));
  const grads = shapes.map((mod) => mod.map((s) => Tensor.zeros(s)));
  const mine = vars.map((mod) => [...mod]);
  const state: Record<string, unknown> = {};
  for (let s = 0; s < steps; s++) {
    flat.forEach(([a, b], k) => grads[a][b].data.set(ctx.input(`g.${s}.${k}`).data));
    ctx.run(`${fn} (step ${s + 1})`, () => opt(vars, grads, { ...config }, state));
    flat.forEach(([a, b], k) => ctx.put(`x.${s}.${k}`, mine[a][b], "variable"));
  }
  if (typeof state !== "object" || state === null) throw new ContractError("state was replaced");
  if (ctx.grading) {
    flat.forEach(([a, b], k) => {
      const v = vars[a]?.[b];
      if (v !== mine[a][b] && v instanceof Tensor) ctx.put(`list.${k}`, v, "variable");
    });
  }
  // A fresh state restarts the optimizer: its memory must live in `state`, nowhere else.
  const y = ctx.tensor("fresh.x0");
  const gy = ctx.tensor("fresh.g");
  ctx.run(`${fn} (a fresh state)`, () => opt([[y]], [[gy]], { ...config }, {}));
  ctx.put("fresh.x1", y, "variable");
}
