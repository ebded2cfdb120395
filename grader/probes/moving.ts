/**
 * The `moving` probe of BatchNormalization: several training batches, the
 * moving statistics after them, then evaluation mode: the output, the moving
 * statistics again (they must not move) and, when asked, a backward.
 *
 * Settings: `alpha`, `batches`, `backward`. Inputs: `batch.<b>`, `evalInput`,
 * `evalGradOutput` (when `backward`).
 *
 * @module
 */

import type { ProbeContext } from "./context.ts";

/** The surface of a BatchNormalization the probe uses. */
interface NormLike {
  forward(x: unknown): unknown;
  backward(x: unknown, g: unknown): unknown;
  evaluate(): void;
  movingMean: unknown;
  movingVariance: unknown;
}

/** Runs a `moving` plan. */
export function runMoving(ctx: ProbeContext): void {
  const Cls = ctx.export("BatchNormalization");
  const alpha = ctx.setting<number>("alpha");
  ctx.seedKit();
  const m = ctx.run(`new BatchNormalization(${alpha})`, () => new Cls(alpha)) as NormLike;
  const batches = ctx.setting<number>("batches");
  for (let b = 0; b < batches; b++) {
    const x = ctx.tensor(`batch.${b}`);
    ctx.run("BatchNormalization.forward (training)", () => m.forward(x));
  }
  ctx.put("movingMean", m.movingMean, "movingMean");
  ctx.put("movingVariance", m.movingVariance, "movingVariance");
  ctx.run("BatchNormalization.evaluate()", () => m.evaluate());
  const x = ctx.tensor("evalInput");
  ctx.put("evalOutput", ctx.run("BatchNormalization.forward (evaluation)", () => m.forward(x)), "output");
  ctx.put("movingMeanAfterEval", m.movingMean, "movingMean");
  ctx.put("movingVarianceAfterEval", m.movingVariance, "movingVariance");
  if (ctx.setting<boolean>("backward")) {
    const r = ctx.tensor("evalGradOutput");
    ctx.put(
      "evalGradInput",
      ctx.run("BatchNormalization.backward (evaluation)", () => m.backward(x, r)),
      "gradInput",
    );
  }
}
