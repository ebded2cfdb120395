/**
 * Runs a lesson plan on a lesson's exports: each probe by its kind's
 * interpreter, every throw caught and recorded, so one broken method costs
 * only the values after it. Used by the sandboxed child on the student's
 * code, by the reference process on the solutions and by the notebook check.
 *
 * @module
 */

import { apply, defineProperty } from "./_pristine.ts";
import { ProbeContext } from "./context.ts";
import { runCriterion } from "./criterion.ts";
import { runDropout } from "./dropout.ts";
import { runLayer } from "./layer.ts";
import { runMoving } from "./moving.ts";
import { runOptimizer } from "./optimizer.ts";
import type { LessonPlan, ProbeKind } from "./plan.ts";
import { runChain, runDeep } from "./sequential.ts";
import { describeThrown, type ProbeOutcome } from "./values.ts";

const KINDS: Record<ProbeKind, (ctx: ProbeContext) => void> = {
  layer: runLayer,
  criterion: runCriterion,
  optimizer: runOptimizer,
  chain: runChain,
  deep: runDeep,
  dropout: runDropout,
  moving: runMoving,
};

/**
 * Every probe's outcome, by probe id. `file` is the lesson file's URL or
 * path, to say where in it an error was thrown. `onProbe` is told before
 * each probe starts (the child reports its stage with it).
 */
export function runPlan(
  plan: LessonPlan,
  exports: Record<string, unknown>,
  file: string,
  onProbe?: (id: string) => void,
): Record<string, ProbeOutcome> {
  const out: Record<string, ProbeOutcome> = Object.create(null);
  for (const probe of plan.probes) {
    onProbe?.(probe.id);
    const ctx = new ProbeContext(exports, probe, plan.purpose);
    let outcome: ProbeOutcome;
    try {
      const run = KINDS[probe.kind];
      if (!run) throw new TypeError(`Unknown probe kind "${probe.kind}"`);
      apply(run, undefined, [ctx]);
      outcome = { values: ctx.values };
    } catch (e) {
      outcome = { values: ctx.values, error: describeThrown(e, ctx.step, file) };
    }
    defineProperty(out, probe.id, { value: outcome, enumerable: true });
  }
  return out;
}
