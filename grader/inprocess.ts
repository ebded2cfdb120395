/**
 * Feedback in place: runs a lesson's **public** probes in this process
 * against exports the caller already holds (a class defined in a notebook
 * cell, say) and judges them against the public fixtures, as `grade` would.
 * Hidden probes and checks are left out, and nothing is sandboxed or
 * time-limited: this is feedback for the student's own code, not the
 * official grade (that still goes through {@linkcode gradeLessons} on a
 * lessons folder).
 *
 * This is one of the two seams the notebook edition uses (the other is a
 * lessons folder extracted from the notebook); the grader keeps its
 * signature through its redesign.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkInProcess } from "./inprocess.ts";
 * import { ReLU } from "../lessons/relu.ts"; // a worked example: given finished
 * const result = await checkInProcess("relu", { ReLU });
 * assert.equal(result.status, "passed");
 * assert.equal(result.score, result.max);
 * ```
 *
 * @module
 */

import { FIXTURE_SEEDS, loadFixture } from "./fixtures.ts";
import { judgeChecks, KIT_DIR, type LessonResult, type LessonStatus } from "./grade.ts";
import { runProbes } from "./run_probes.ts";
import { loadSpec } from "./specs/mod.ts";
import type { LessonSpec } from "./spec.ts";

/** Options of {@linkcode checkInProcess}. */
export interface InProcessOptions {
  /** The seed (default: the first fixture seed, 7). */
  readonly seed?: number;
  /** The kit's root, where `grader/fixtures/` is (default: the folder above `grader/`). */
  readonly kitDir?: string;
}

/** Where the checked code lives, as results and messages name it. */
const WHERE = "(in process)";

/** The public part of a lesson's spec: hidden probes and checks dropped. */
async function _publicSpec(lesson: string): Promise<LessonSpec> {
  const spec = await loadSpec(lesson);
  return {
    lesson: spec.lesson,
    probes: spec.probes.filter((p) => !p.hidden),
    checks: spec.checks.filter((c) => !c.hidden),
  };
}

/**
 * Runs `lesson`'s public probes against `exports` (e.g. `{ Linear }`) in this
 * process and judges them against the public fixtures at `options.seed`.
 * Resolves to the grader's {@linkcode LessonResult}: `passed`, `failing` or
 * `not started` (every check blocked by a `NotImplementedError`), with each
 * check's points, message, diagnosis and hint.
 *
 * @throws {RangeError} for an unknown lesson, or a seed without fixtures.
 */
export async function checkInProcess(
  lesson: string,
  exports: Record<string, unknown>,
  options: InProcessOptions = {},
): Promise<LessonResult> {
  const t0 = performance.now();
  const seed = options.seed ?? FIXTURE_SEEDS[0];
  const kitDir = options.kitDir ?? KIT_DIR;
  const spec = await _publicSpec(lesson);
  const reference = loadFixture(kitDir, spec, seed);
  if (!reference) {
    throw new RangeError(
      `Cannot check ${lesson}: no reference fixtures for seed ${seed}; expected one of ${
        FIXTURE_SEEDS.join(", ")
      }`,
    );
  }
  const student = runProbes(spec, exports, seed, WHERE);
  const checks = judgeChecks(lesson, spec.checks, seed, student, reference);
  const score = checks.reduce((a, c) => a + c.points, 0);
  const max = spec.checks.reduce((a, c) => a + c.points, 0);
  // The same reading as the grader's: full marks pass; nothing earned and nothing but stubs hit is not started.
  const status: LessonStatus = score === max
    ? "passed"
    : score === 0 && checks.every((c) => c.status === "not started" || c.status === "passed")
    ? "not started"
    : "failing";
  return {
    lesson,
    file: WHERE,
    score,
    max,
    status,
    checks,
    time: Math.round(performance.now() - t0) / 1000,
  };
}
