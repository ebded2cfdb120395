/**
 * The `dropout` probe: forward and backward in training or evaluation mode
 * on the plan's input and upstream gradient, optionally a second forward on
 * the same input (a fresh mask); when grading, the inputs as the module left
 * them and the contract writes. The mask is the student's own draw from
 * `lib/random.ts`: the parent judges rates, scaling and consistency, never
 * the exact mask.
 *
 * Settings: `p`, `mode` (`train` or `eval`), `twice`, `markers`. Inputs:
 * `input`, `gradOutput`.
 *
 * @module
 */

import type { ProbeContext } from "./context.ts";
import { type ModuleLike, recordMarkers } from "./layer.ts";

/** Runs a `dropout` plan. */
export function runDropout(ctx: ProbeContext): void {
  // No check compares Dropout with the reference (the mask is the student's draw): nothing to record.
  if (!ctx.grading) return;
  const Cls = ctx.export("Dropout");
  const p = ctx.setting<number>("p");
  ctx.seedKit();
  const m: ModuleLike = ctx.run(`new Dropout(${p})`, () => new Cls(p));
  if (ctx.setting<string>("mode") === "eval") ctx.run("Dropout.evaluate()", () => m.evaluate());
  const x = ctx.tensor("input");
  ctx.put("output", ctx.run("Dropout.forward", () => m.forward(x)), "Dropout.forward() result");
  const r = ctx.tensor("gradOutput");
  ctx.put("gradInput", ctx.run("Dropout.backward", () => m.backward(x, r)), "Dropout.backward() result");
  if (ctx.setting<boolean>("twice")) {
    ctx.put(
      "output2",
      ctx.run("Dropout.forward (a second time)", () => m.forward(x)),
      "Dropout.forward() result",
    );
  }
  ctx.put("inputAfter", x, "the input");
  ctx.put("gradOutputAfter", r, "gradOutput");
  recordMarkers(ctx, m, x, r, "Dropout");
}
