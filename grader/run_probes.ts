/**
 * Runs a spec's probes in this process on trusted code (the reference
 * solutions, to make fixtures). Student code never runs here: the grader
 * child runs it, with the same probe code.
 *
 * @module
 */

import { describeThrown, type LessonSpec, ProbeContext, type ProbeOutcome } from "./spec.ts";

/** Every probe's outcome, by probe id. */
export function runProbes(
  spec: LessonSpec,
  exports: Record<string, unknown>,
  seed: number,
  file: string,
): Record<string, ProbeOutcome> {
  const out: Record<string, ProbeOutcome> = {};
  for (const probe of spec.probes) {
    const ctx = new ProbeContext(exports, seed, probe.id);
    try {
      probe.run(ctx);
      out[probe.id] = { values: ctx.values };
    } catch (e) {
      out[probe.id] = { values: ctx.values, error: describeThrown(e, ctx.step, file) };
    }
  }
  return out;
}
