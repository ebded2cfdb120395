/**
 * What grading produces: a result per check, per lesson and per run. The
 * CLI renders it (`report.ts`), `--json` prints it, and the workflow tools,
 * the batch grader, Gradescope and GitHub Classroom read it.
 *
 * Worked examples (the given lessons) are graded like the others, so a
 * student sees them pass, but they are worth 0 points in every total: their
 * checks and the lesson carry `max: 0`.
 *
 * @module
 */

/** How a check went. */
export type CheckStatus = "passed" | "failed" | "not started" | "error";

/** How a lesson went. */
export type LessonStatus =
  | "passed"
  | "failing"
  | "not started"
  | "does not compile"
  | "timed out"
  | "rejected";

/** One check's result. */
export interface CheckResult {
  readonly lesson: string;
  readonly id: string;
  readonly name: string;
  readonly points: number;
  readonly max: number;
  readonly status: CheckStatus;
  readonly message: string;
  /** The likely mistake (completes "looks like …"). */
  readonly diagnosis?: string;
  /** What named it: a mistake's id, or a generic pattern's (`pattern:…`), for the grader's coverage tests. */
  readonly signature?: string;
  readonly hint?: string;
  /** Set when the check's own verdict passed but its gate did not: the ids that blocked it. */
  readonly blockedBy?: readonly string[];
  readonly hidden: boolean;
  readonly seed: number;
  /** Seconds spent judging it. */
  readonly time: number;
}

/** One lesson's result. */
export interface LessonResult {
  readonly lesson: string;
  readonly file: string;
  readonly score: number;
  readonly max: number;
  readonly status: LessonStatus;
  /** A worked example: graded, shown, worth 0 points. */
  readonly given: boolean;
  /** Why the whole lesson scored zero, when it did for a reason beyond its checks. */
  readonly message?: string;
  readonly checks: readonly CheckResult[];
  /** Wall-clock seconds for the lesson. */
  readonly time: number;
}

/** A whole run. */
export interface Report {
  readonly seed: number;
  /** `local` (self-grade: public fixtures) or `official` (a fresh seed, reference from solutions/). */
  readonly mode: "local" | "official";
  readonly lessonsDir: string;
  readonly lessons: readonly LessonResult[];
  readonly score: number;
  readonly max: number;
  /** Points still to be decided by hidden checks absent from this copy. */
  readonly hiddenPending: number;
  /** Wall-clock seconds. */
  readonly time: number;
}
