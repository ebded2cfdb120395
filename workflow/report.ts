/**
 * The workflow tools' view of a grading run: a {@linkcode GradeReport} per
 * lesson and per check, and {@linkcode grade}, which runs the autograder in a
 * subprocess (`grader/main.ts --json`, each lesson isolated and time-limited
 * there) and reads its JSON report.
 *
 * Progress is always derived from such a run, never from a file a student
 * could edit to mark a lesson done.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { normalizeReport } from "./report.ts";
 * const r = normalizeReport({ lessons: [{ lesson: "relu", status: "passed", score: 5, max: 5, checks: [] }] });
 * assert.equal(r.points, 5);
 * assert.equal(r.lessons[0].status, "passed");
 * ```
 *
 * @module
 */

import type { LessonStatus } from "../grader/grade.ts";

/** Where a lesson stands after grading: the grader's statuses. */
export type { LessonStatus };

/** Every lesson status, in the order tables and legends show them. */
export const LESSON_STATUSES: readonly LessonStatus[] = [
  "passed",
  "failing",
  "not started",
  "does not compile",
  "timed out",
  "rejected",
];

/** One graded check. */
export interface CheckReport {
  /** The lesson it belongs to (its CLI name). */
  lesson: string;
  /** Stable id within the lesson. */
  id: string;
  /** What it checks, in words. */
  name: string;
  /** Points earned. */
  points: number;
  /** Points it is worth. */
  max: number;
  /** `passed`, `failed`, `not started`, … as the grader says. */
  status: string;
  /** What went wrong (empty when passed). */
  message: string;
  /** The likely mistake, when the grader recognised one (empty otherwise). */
  diagnosis: string;
  /** A hint towards the fix (empty when none). */
  hint: string;
  /** The seed of the run. */
  seed: number;
  /** Seconds it took. */
  time: number;
  /** True for a hidden check (absent from the student release). */
  hidden: boolean;
}

/** One graded lesson. */
export interface LessonReport {
  /** The lesson's CLI name. */
  lesson: string;
  /** Where it stands. */
  status: LessonStatus;
  /** Points earned. */
  points: number;
  /** Points it is worth (visible and hidden checks that ran). */
  max: number;
  /** A worked example: graded and shown, worth 0 points. */
  given: boolean;
  /** A lesson-level message (compile error, timeout), when any. */
  message: string;
  /** Its checks. */
  checks: CheckReport[];
}

/** A grading run. */
export interface GradeReport {
  /** The seed used. */
  seed: number;
  /** Lessons in teaching order. */
  lessons: LessonReport[];
  /** Total points earned. */
  points: number;
  /** Total points possible. */
  max: number;
  /** Points still to be decided by hidden checks (0 for the instructor's grader). */
  hiddenPending: number;
  /** Seconds the run took. */
  time: number;
}

function _num(v: unknown, fallback = 0): number {
  return typeof v === "number" && Number.isFinite(v) ? v : fallback;
}

function _str(v: unknown, fallback = ""): string {
  return typeof v === "string" ? v : fallback;
}

function _status(v: unknown): LessonStatus {
  // An unknown status (a grader newer than this reader) counts as not passed.
  return LESSON_STATUSES.find((x) => x === v) ?? "failing";
}

/**
 * Reads the grader's JSON report (`deno task grade --json`: lessons and the
 * run carry `score`/`max`, checks `points`/`max`) into a
 * {@linkcode GradeReport}, with defaults for missing fields. Throws a
 * `TypeError` when `raw` has no `lessons` array.
 */
export function normalizeReport(raw: unknown): GradeReport {
  const r = raw as Record<string, unknown>;
  if (typeof r !== "object" || r === null || !Array.isArray(r.lessons)) {
    throw new TypeError(
      `Cannot read the grader's report: expected an object with a lessons array, received ${
        JSON.stringify(raw)?.slice(0, 80)
      }`,
    );
  }
  const seed = _num(r.seed);
  const lessons = (r.lessons as Record<string, unknown>[]).map((l): LessonReport => {
    const lesson = _str(l.lesson);
    const checks = (Array.isArray(l.checks) ? l.checks as Record<string, unknown>[] : []).map((c) => ({
      lesson: _str(c.lesson, lesson),
      id: _str(c.id),
      name: _str(c.name, _str(c.id)),
      points: _num(c.points),
      max: _num(c.max),
      status: _str(c.status),
      message: _str(c.message),
      diagnosis: _str(c.diagnosis),
      hint: _str(c.hint),
      seed: _num(c.seed, seed),
      time: _num(c.time),
      hidden: c.hidden === true,
    }));
    return {
      lesson,
      status: _status(l.status),
      points: _num(l.score, checks.reduce((s, c) => s + c.points, 0)),
      max: _num(l.max, checks.reduce((s, c) => s + c.max, 0)),
      given: l.given === true,
      message: _str(l.message),
      checks,
    };
  });
  return {
    seed,
    lessons,
    points: _num(r.score, lessons.reduce((s, l) => s + l.points, 0)),
    max: _num(r.max, lessons.reduce((s, l) => s + l.max, 0)),
    hiddenPending: _num(r.hiddenPending),
    time: _num(r.time),
  };
}

/**
 * What a failed check tells the student, in the grade command's words: the
 * message, `— looks like <diagnosis>` when the grader recognised the mistake,
 * and the hint on its own line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkFeedback } from "./report.ts";
 * assert.equal(
 *   checkFeedback({ message: "gradW at [0, 1]: got 1, expected 2", diagnosis: "gradW was overwritten", hint: "use +=" }),
 *   "gradW at [0, 1]: got 1, expected 2 — looks like gradW was overwritten\nhint: use +=",
 * );
 * ```
 */
export function checkFeedback(check: Pick<CheckReport, "message" | "diagnosis" | "hint">): string {
  const first = check.diagnosis ? `${check.message} — looks like ${check.diagnosis}` : check.message;
  return check.hint ? `${first}\nhint: ${check.hint}` : first;
}

/** What to grade and how. */
export interface GradeOptions {
  /** The kit's root folder (where `grader/` is); default the current folder. */
  root?: string;
  /** Lesson names to grade; all when empty. */
  lessons?: readonly string[];
  /** The seed. */
  seed?: number;
  /** Grade this `lessons/` folder instead of `<root>/lessons`. */
  lessonsDir?: string;
  /** Seconds allowed per lesson. */
  timeout?: number;
  /** Grade the reference solutions (instructors). */
  solutions?: boolean;
  /** Aborts the run (the grader subprocess is killed). */
  signal?: AbortSignal;
}

/** The grader could not produce a report (it crashed, or printed no JSON). */
export class GraderFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GraderFailed";
  }
}

/** The command line `grade()` runs, without the `deno` executable (exported for tests and docs). */
export function gradeArgs(options: GradeOptions): string[] {
  const args = [
    "run",
    "--quiet",
    "--allow-read",
    "--allow-run",
    "--allow-env",
    "--allow-write=.gradlings",
    "grader/main.ts",
    "--json",
  ];
  if (options.seed !== undefined) args.push("--seed", String(options.seed));
  if (options.lessonsDir !== undefined) args.push("--lessons-dir", options.lessonsDir);
  if (options.timeout !== undefined) args.push("--timeout", String(options.timeout));
  if (options.solutions) args.push("--solutions");
  args.push(...(options.lessons ?? []));
  return args;
}

/**
 * Grades with the kit's autograder in a subprocess and returns its report.
 * Throws {@linkcode GraderFailed} when the grader prints no JSON report.
 */
export async function grade(options: GradeOptions = {}): Promise<GradeReport> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: gradeArgs(options),
    cwd: options.root ?? ".",
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: options.signal,
    env: { NO_COLOR: "1" },
  }).output();
  const text = new TextDecoder().decode(out.stdout).trim();
  const start = text.indexOf("{");
  try {
    return normalizeReport(JSON.parse(text.slice(start)));
  } catch {
    const err = new TextDecoder().decode(out.stderr).trim().split("\n").slice(-8).join("\n");
    throw new GraderFailed(
      `The grader printed no report (exit code ${out.code}): ${err || text.slice(0, 400) || "no output"}`,
    );
  }
}
