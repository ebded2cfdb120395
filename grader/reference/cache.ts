/**
 * Reference outcomes kept by plan, so a batch grades many submissions at one
 * seed against one run of the reference process: the first submission asks
 * for every lesson's plans, the others find them here.
 *
 * @module
 */

import type { LessonPlan } from "../probes/plan.ts";
import type { ProbeOutcome } from "../probes/values.ts";
import { planHash } from "./fixtures.ts";
import { referenceProcess } from "./solutions.ts";

/** Reference outcomes of `solutions/`, computed once per plan. */
export class ReferenceCache {
  readonly #kitDir: string;
  readonly #known = new Map<string, Promise<Record<string, ProbeOutcome>>>();

  /** A cache over the solutions of the kit at `kitDir`. */
  constructor(kitDir: string) {
    this.#kitDir = kitDir;
  }

  /** The outcomes of each plan, in order; the missing ones come from one reference process. */
  async outcomes(
    plans: readonly LessonPlan[],
    _seed: number,
    env: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<Record<string, ProbeOutcome>[]> {
    const keys = await Promise.all(plans.map((p) => planHash({ ...p, purpose: "reference" })));
    const missing: { key: string; plan: LessonPlan }[] = [];
    for (let i = 0; i < plans.length; i++) {
      if (!this.#known.has(keys[i]) && !missing.some((m) => m.key === keys[i])) {
        missing.push({ key: keys[i], plan: plans[i] });
      }
    }
    if (missing.length) {
      const run = referenceProcess(this.#kitDir, missing.map((m) => m.plan), env, signal);
      missing.forEach((m, i) => {
        const one = run.then((all) => all[i]);
        one.catch(() => this.#known.delete(m.key)); // a failed run is not remembered
        this.#known.set(m.key, one);
      });
    }
    return await Promise.all(keys.map((k) => this.#known.get(k)!));
  }
}
