/**
 * Turns a grading report into Gradescope's `results.json` (the format of
 * Gradescope's "Autograder Specifications": top-level `score`,
 * `execution_time`, `output`, `tests[]` with `name`, `number`, `score`,
 * `max_score`, `status`, `output`, `visibility`, `tags`).
 *
 * One Gradescope test per check, numbered `<lesson order>.<check>`; a lesson
 * that produced no check (it does not compile, timed out) becomes one failed
 * test worth the lesson's points. Hidden checks are visible to students only
 * once the instructor publishes the grades (`after_published`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toGradescope } from "./gradescope_results.ts";
 * import { normalizeReport } from "../workflow/report.ts";
 * const report = normalizeReport({ lessons: [{ lesson: "relu", status: "passed", score: 2, max: 2, checks: [
 *   { id: "fwd", name: "forward", points: 2, max: 2, status: "passed" },
 * ] }] });
 * const r = toGradescope(report, [{ order: 1, name: "relu", title: "ReLU" }]);
 * assert.equal(r.score, 2);
 * assert.deepEqual(r.tests[0], {
 *   name: "ReLU: forward", number: "1.1", score: 2, max_score: 2, status: "passed",
 *   output: "", visibility: "visible", tags: ["relu"],
 * });
 * ```
 *
 * @module
 */

import type { Lesson } from "../grader/manifest.ts";
import { checkFeedback, type GradeReport } from "../workflow/report.ts";

/** One Gradescope test case. */
export interface GradescopeTest {
  /** Shown as the test's title. */
  name: string;
  /** Gradescope sorts and labels by it, e.g. `6.2`. */
  number: string;
  /** Points earned. */
  score: number;
  /** Points possible. */
  max_score: number;
  /** `passed` or `failed`. */
  status: "passed" | "failed";
  /** The message a student can act on. */
  output: string;
  /** `visible`, or `after_published` for a hidden check. */
  visibility: "visible" | "hidden" | "after_due_date" | "after_published";
  /** The lesson name. */
  tags: string[];
}

/** Gradescope's `results.json`. */
export interface GradescopeResults {
  /** Total points. */
  score: number;
  /** Seconds the grading took. */
  execution_time: number;
  /** Text shown above the tests. */
  output: string;
  /** The whole result's visibility. */
  visibility: "visible";
  /** The autograder's stdout stays with the instructor. */
  stdout_visibility: "hidden";
  /** The test cases. */
  tests: GradescopeTest[];
}

function _round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/**
 * Gradescope's results for `report`; `notes` (a missing file, a wrong name)
 * and, for a refused submission, `rejected` go into the top-level output.
 */
export function toGradescope(
  report: GradeReport | undefined,
  lessons: readonly Pick<Lesson, "order" | "name" | "title">[],
  options: { notes?: readonly string[]; rejected?: string; executionTime?: number } = {},
): GradescopeResults {
  const tests: GradescopeTest[] = [];
  for (const lesson of lessons) {
    const r = report?.lessons.find((l) => l.lesson === lesson.name);
    if (!r) continue;
    if (r.checks.length === 0) {
      tests.push({
        name: `${lesson.title}: ${r.status}`,
        number: `${lesson.order}.0`,
        score: _round(r.points),
        max_score: _round(r.max),
        status: r.status === "passed" ? "passed" : "failed",
        output: r.message || `This lesson ${r.status === "timed out" ? "timed out" : r.status}.`,
        visibility: "visible",
        tags: [lesson.name],
      });
      continue;
    }
    r.checks.forEach((c, i) => {
      tests.push({
        name: `${lesson.title}: ${c.name}`,
        number: `${lesson.order}.${i + 1}`,
        score: _round(c.points),
        max_score: _round(c.max),
        status: c.status === "passed" && c.points >= c.max ? "passed" : "failed",
        output: checkFeedback(c),
        visibility: c.hidden ? "after_published" : "visible",
        tags: [lesson.name],
      });
    });
  }
  const lines: string[] = [];
  if (options.rejected) lines.push(`This submission could not be graded: ${options.rejected}`);
  for (const n of options.notes ?? []) lines.push(`Note: ${n}`);
  if (report) {
    // This line is visible at once, and a lesson's status counts its hidden checks: count what the visible
    // checks say, so a hidden verdict shows nowhere before the grades are published.
    const hidden = report.lessons.some((l) => l.checks.some((c) => c.hidden));
    const passed = report.lessons.filter((l) =>
      l.checks.length
        ? l.checks.every((c) => c.hidden || c.status === "passed")
        : l.status === "passed"
    ).length;
    lines.push(
      `${passed} of ${report.lessons.length} lessons pass${
        hidden ? " their visible checks (hidden checks show once grades are published)" : ""
      } (seed ${report.seed}).`,
    );
  }
  return {
    score: _round(tests.reduce((s, t) => s + t.score, 0)),
    execution_time: Math.round(options.executionTime ?? report?.time ?? 0),
    output: lines.join("\n"),
    visibility: "visible",
    stdout_visibility: "hidden",
    tests,
  };
}
