/**
 * The official grade of one submission, as `grade-batch` and the Gradescope
 * runner give it: the kit's grader in this process (`gradeLessons`, mode
 * `official`): a seed no student has seen (the batch's, or a fresh one),
 * reference values from `solutions/` in a trusted process, each lesson's code
 * in a sandboxed child that only reports values. See `grader/SECURITY.md`.
 *
 * @module
 */

import { resolve } from "node:path";
import { gradeLessons } from "../grader/grade.ts";
import type { ReferenceCache } from "../grader/reference/cache.ts";
import { type GradeOptions, type GradeReport, normalizeReport } from "../workflow/report.ts";

/** What {@linkcode officialGrade} takes: the grade options, and what a batch shares between submissions. */
export interface OfficialOptions extends GradeOptions {
  /** Reference values already computed at this seed (a batch passes one cache to every submission). */
  reference?: ReferenceCache;
  /** Where the sandbox folders go (default: a fresh temporary folder). */
  sandboxParent?: string;
  /** Lesson files the submission did not hold: not started, nothing to run. */
  missing?: readonly string[];
}

/** Grades a lessons folder officially and returns the workflow tools' view of the report. */
export async function officialGrade(o: OfficialOptions): Promise<GradeReport> {
  const report = await gradeLessons({
    kitDir: resolve(o.root ?? "."),
    lessonsDir: o.lessonsDir,
    lessons: o.lessons,
    seed: o.seed,
    mode: "official",
    timeoutMs: o.timeout !== undefined ? o.timeout * 1000 : undefined,
    reference: o.reference,
    sandboxParent: o.sandboxParent,
    unsubmitted: o.missing?.map((f) => f.replace(/\.ts$/, "")),
    signal: o.signal,
  });
  return normalizeReport(report);
}
