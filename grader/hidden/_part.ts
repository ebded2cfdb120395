/**
 * Helpers of the hidden parts: take a few checks of a spec built with the
 * public builders (`_layer.ts`, `_criterion.ts`, `_optimizer.ts`), and give a
 * built spec's probes new ids, so a hidden probe never shares an id (and so
 * never shares its seeded inputs or its fixture entry) with a public one.
 *
 * @module
 */

import type { Check, Judge, LessonSpec, ProbeSpec } from "../spec.ts";
import type { HiddenPart } from "../specs/mod.ts";

/**
 * The probes of `built` and its checks named in `points` (by id), each worth
 * the points given there. Throws when an id is not among the built checks, so
 * a renamed public builder check cannot silently drop a hidden check.
 */
export function pick(
  built: Pick<LessonSpec, "probes" | "checks">,
  points: Record<string, number>,
): HiddenPart {
  const checks: Check[] = [];
  for (const [id, p] of Object.entries(points)) {
    const c = built.checks.find((x) => x.id === id);
    if (!c) throw new RangeError(`Cannot pick hidden check "${id}": the builder made no such check`);
    checks.push({ ...c, points: p, judge: c.judge });
  }
  return { probes: built.probes, checks };
}

/**
 * `built` with every probe id `p` renamed `${prefix}${p}` and every check id
 * `c` renamed `${prefix}${c}`; the checks read the renamed probes.
 */
export function renamed(built: Pick<LessonSpec, "probes" | "checks">, prefix: string): {
  probes: ProbeSpec[];
  checks: Check[];
} {
  const ids = new Set(built.probes.map((p) => p.id));
  const to = (probe: string) => (ids.has(probe) ? `${prefix}${probe}` : probe);
  const view = (j: Judge): Judge => ({
    seed: j.seed,
    student: (probe, key) => j.student(to(probe), key),
    reference: (probe, key) => j.reference(to(probe), key),
    plan: (probe, key) => j.plan(to(probe), key),
    planSetting: (probe, key) => j.planSetting(to(probe), key),
    has: (probe, key) => j.has(to(probe), key),
  });
  return {
    probes: built.probes.map((p) => {
      const id = `${prefix}${p.id}`;
      return { id, plan: (seed: number, label = id) => p.plan(seed, label) };
    }),
    checks: built.checks.map((c) => ({
      ...c,
      id: `${prefix}${c.id}`,
      ...(c.gate ? { gate: c.gate.map((g) => `${prefix}${g}`) } : {}),
      judge: (j: Judge) => c.judge(view(j)),
    })),
  };
}
