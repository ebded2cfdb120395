/**
 * Progress over the lessons, derived from a grading run: how many passed, the
 * points, the current lesson (the first not yet passed, in teaching order) and
 * a text progress bar.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { progressBar } from "./progress.ts";
 * assert.equal(progressBar(1, 4, 8), "[██░░░░░░]");
 * ```
 *
 * @module
 */

import type { Lesson } from "../grader/manifest.ts";
import type { GradeReport, LessonReport } from "./report.ts";

/** Totals over a run. */
export interface Progress {
  /** Lessons passed. */
  passed: number;
  /** Lessons in the kit. */
  total: number;
  /** Points earned. */
  points: number;
  /** Points possible. */
  max: number;
}

/**
 * Passed lessons and points over `lessons` (a lesson missing from the report
 * counts as not passed, worth nothing yet).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { summarize } from "./progress.ts";
 * import { normalizeReport } from "./report.ts";
 * const report = normalizeReport({ lessons: [
 *   { lesson: "a", status: "passed", score: 2, max: 2 },
 *   { lesson: "b", status: "failing", score: 1, max: 3 },
 * ] });
 * assert.deepEqual(summarize(report, [{ name: "a" }, { name: "b" }, { name: "c" }]), {
 *   passed: 1, total: 3, points: 3, max: 5,
 * });
 * ```
 */
export function summarize(report: GradeReport, lessons: readonly Pick<Lesson, "name">[]): Progress {
  let passed = 0, points = 0, max = 0;
  for (const l of lessons) {
    const r = lessonResult(report, l.name);
    if (!r) continue;
    if (r.status === "passed") passed++;
    points += r.points;
    max += r.max;
  }
  return { passed, total: lessons.length, points, max };
}

/** The result of lesson `name` in `report`, if it was graded. */
export function lessonResult(report: GradeReport, name: string): LessonReport | undefined {
  return report.lessons.find((l) => l.lesson === name);
}

/**
 * The lesson to work on: the first in teaching order that has not passed
 * (undefined when all have).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { currentLesson } from "./progress.ts";
 * import { normalizeReport } from "./report.ts";
 * const report = normalizeReport({ lessons: [{ lesson: "a", status: "passed" }, { lesson: "b", status: "not started" }] });
 * assert.equal(currentLesson(report, [{ name: "a" }, { name: "b" }])?.name, "b");
 * ```
 */
export function currentLesson<L extends Pick<Lesson, "name">>(
  report: GradeReport,
  lessons: readonly L[],
): L | undefined {
  return lessons.find((l) => lessonResult(report, l.name)?.status !== "passed");
}

/** A bar of `width` cells, filled in proportion to `done / total`. */
export function progressBar(done: number, total: number, width = 30): string {
  const filled = total > 0 ? Math.round((done / total) * width) : 0;
  return `[${"█".repeat(filled)}${"░".repeat(width - filled)}]`;
}

/**
 * One line of progress: the bar, lessons passed and points.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { progressLine } from "./progress.ts";
 * assert.equal(
 *   progressLine({ passed: 2, total: 4, points: 7.5, max: 10 }, 4),
 *   "[██░░] 2/4 lessons passed · 7.5/10 points",
 * );
 * ```
 */
export function progressLine(p: Progress, width = 30): string {
  return `${progressBar(p.passed, p.total, width)} ${p.passed}/${p.total} lessons passed · ${
    _pts(p.points)
  }/${_pts(p.max)} points`;
}

function _pts(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}
