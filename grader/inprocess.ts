/**
 * A lesson's public checks run **in this process**, on classes handed over
 * directly (a notebook's cells): the same plans, probe code and judging as
 * `deno task grade`, against the public fixtures. It is feedback for the
 * student who wrote the classes, never an official grade: nothing here is
 * sandboxed, and the student's code shares this process.
 *
 * @example
 * ```ts ignore
 * import { checkInProcess } from "./inprocess.ts";
 * import { Linear } from "../solutions/linear.ts";
 * const result = await checkInProcess("linear", { Linear });
 * console.log(result.status, result.score, result.max);
 * ```
 *
 * @module
 */

import { dirname, resolve } from "node:path";
import { FIXTURE_SEEDS, loadFixture } from "./reference/fixtures.ts";
import { LESSONS } from "./manifest.ts";
import { loadSpec } from "./specs/mod.ts";
import { runPlan } from "./probes/run.ts";
import type { LessonPlan } from "./probes/plan.ts";
import { derive } from "./judge/derive.ts";
import { judgeChecks, lessonStatus, makeJudge } from "./judge/verdicts.ts";
import type { CheckResult, LessonResult } from "./results.ts";
import type { ProbeOutcome } from "./spec.ts";

const KIT = resolve(dirname(new URL(import.meta.url).pathname), "..");

/** Options of {@linkcode checkInProcess}. */
export interface InProcessOptions {
  /** A fixture seed (default the first, 7). */
  readonly seed?: number;
  /** The kit's root (default: the folder above `grader/`). */
  readonly kitDir?: string;
  /** What the result's `file` says (default `"notebook"`). */
  readonly file?: string;
}

/**
 * Runs `lesson`'s public probes on `exports` (e.g. `{ Linear }`) and judges
 * them against the public fixtures; resolves to the lesson's result. Throws a
 * `RangeError` for an unknown lesson or a seed without fixtures.
 */
export async function checkInProcess(
  lesson: string,
  exports: Record<string, unknown>,
  options: InProcessOptions = {},
): Promise<LessonResult> {
  const t0 = performance.now();
  const seed = options.seed ?? FIXTURE_SEEDS[0];
  if (!FIXTURE_SEEDS.includes(seed)) {
    throw new RangeError(
      `Cannot check in process at seed ${seed}: expected one of ${FIXTURE_SEEDS.join(", ")}`,
    );
  }
  const spec = await loadSpec(lesson);
  const plan: LessonPlan = {
    lesson,
    purpose: "grade",
    probes: spec.probes.filter((p) => !p.hidden).map((p) => p.plan(seed)),
  };
  const reference = await loadFixture(options.kitDir ?? KIT, plan, seed);
  const reported = runPlan(plan, exports, options.file ?? "notebook");
  const student: Record<string, ProbeOutcome> = {};
  for (const p of plan.probes) if (reported[p.id]) student[p.id] = derive(p, reported[p.id]);
  const checks = spec.checks.filter((c) => !c.hidden);
  const results = judgeChecks(lesson, checks, makeJudge(seed, plan.probes, student, reference));
  const given = LESSONS.find((l) => l.name === lesson)?.given === true;
  const counted: CheckResult[] = given ? results.map((c) => ({ ...c, points: 0, max: 0 })) : results;
  const score = results.reduce((a, c) => a + c.points, 0);
  const max = checks.reduce((a, c) => a + c.points, 0);
  const status = lessonStatus(results);
  return {
    lesson,
    file: options.file ?? "notebook",
    score: given ? 0 : score,
    max: given ? 0 : max,
    status,
    given,
    checks: counted,
    time: Math.round(performance.now() - t0) / 1000,
  };
}
