/**
 * The spec of every lesson, by lesson name, in lesson order. A lesson's
 * hidden checks live in `grader/hidden/<lesson>.ts` (exporting `hidden`, a
 * partial spec); a student release deletes `grader/hidden/` and the rest
 * keeps working.
 *
 * @module
 */

import type { Check, LessonSpec, ProbeSpec } from "../spec.ts";
import { LESSONS } from "../manifest.ts";

/** The lessons in teaching order (from the manifest). */
export const LESSON_ORDER: readonly string[] = LESSONS.map((l) => l.name);

/** What a hidden-check file exports. */
export interface HiddenPart {
  /** Extra probes. */
  readonly probes: readonly ProbeSpec[];
  /** Extra checks (marked hidden by the loader). */
  readonly checks: readonly Check[];
}

/** True when `grader/hidden/<lesson>.ts` exists (it is dropped from a student release). */
export function hasHidden(lesson: string): boolean {
  try {
    return Deno.statSync(new URL(`../hidden/${lesson}.ts`, import.meta.url)).isFile;
  } catch {
    return false;
  }
}

/** The public spec of `lesson`, merged with its hidden part when present. */
export async function loadSpec(lesson: string): Promise<LessonSpec> {
  if (!LESSON_ORDER.includes(lesson)) {
    throw new RangeError(`Cannot load a spec: unknown lesson "${lesson}"`);
  }
  const pub = (await import(`./${lesson}.ts`)).spec as LessonSpec;
  if (!hasHidden(lesson)) return pub;
  const part = (await import(`../hidden/${lesson}.ts`)).hidden as HiddenPart;
  return {
    lesson,
    probes: [...pub.probes, ...part.probes.map((p) => ({ id: p.id, plan: p.plan, hidden: true }))],
    checks: [...pub.checks, ...part.checks.map((c) => ({ ...c, judge: c.judge, hidden: true }))],
  };
}
