/**
 * The grading core: `gradeLessons(options)` grades lessons from a lessons
 * folder and returns a {@linkcode Report}. The CLI (`main.ts`), the batch
 * grader and a watcher all call it. It never imports student code: each
 * lesson's import graph is checked statically, then its probes run in a
 * sandboxed child process, and the checks are judged here against the
 * reference fixtures.
 *
 * @module
 */

import { dirname, join, resolve } from "node:path";
import { checkImportGraph, type ImportPolicy, ImportRejected, toFileUrl } from "./import_graph.ts";
import { type ChildEnd, runChild } from "./_spawn.ts";
import { FIXTURE_SEEDS, loadFixture } from "./fixtures.ts";
import { runProbes } from "./run_probes.ts";
import { hasHidden, LESSON_ORDER, loadSpec } from "./specs/mod.ts";
import { findLesson } from "./manifest.ts";
import { type Diagnostic, typeCheck } from "./typecheck.ts";
import { type Check, type Judge, Missing, type ProbeError, type ProbeOutcome, type Value } from "./spec.ts";

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
  readonly diagnosis?: string;
  readonly hint?: string;
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
  /** Why the whole lesson scored zero, when it did for a reason beyond its checks. */
  readonly message?: string;
  readonly checks: readonly CheckResult[];
  /** Wall-clock seconds for the lesson. */
  readonly time: number;
}

/** A whole run. */
export interface Report {
  readonly seed: number;
  readonly lessonsDir: string;
  readonly lessons: readonly LessonResult[];
  readonly score: number;
  readonly max: number;
  /** Points still to be decided by hidden checks absent from this copy. */
  readonly hiddenPending: number;
  /** Wall-clock seconds. */
  readonly time: number;
}

/** Options of {@linkcode gradeLessons}. */
export interface GradeOptions {
  /** The lessons folder to grade (default `<kit>/lessons`). */
  readonly lessonsDir?: string;
  /** Lesson names (default: all, in order). */
  readonly lessons?: readonly string[];
  /** The seed (default: the first fixture seed). */
  readonly seed?: number;
  /** Per-lesson wall-clock limit in ms (default 10 000). */
  readonly timeoutMs?: number;
  /** Per-lesson V8 heap limit in MB (default 256). */
  readonly heapMb?: number;
  /** Lessons graded at once (default 2). */
  readonly concurrency?: number;
  /** The kit's root (default: the folder above `grader/`). */
  readonly kitDir?: string;
  /** Skip the type check (tests of the runner only). */
  readonly skipTypeCheck?: boolean;
  /** Called with each lesson's result as soon as it is known, in lesson order. */
  readonly onLesson?: (result: LessonResult) => void;
}

/** The kit's root, from this file's location. */
export const KIT_DIR: string = resolve(dirname(new URL(import.meta.url).pathname), "..");

/** Validates lesson names; throws a `RangeError` listing the valid ones. */
export function resolveLessons(names: readonly string[] | undefined): string[] {
  if (!names || names.length === 0) return [...LESSON_ORDER];
  for (const n of names) {
    if (!LESSON_ORDER.includes(n)) {
      let suggestion = "";
      try {
        findLesson(n);
      } catch (e) {
        const m = /did you mean "([^"]+)"/.exec((e as Error).message);
        if (m) suggestion = ` (did you mean "${m[1]}"?)`;
      }
      throw new RangeError(`Unknown lesson "${n}"${suggestion}: expected one of ${LESSON_ORDER.join(", ")}`);
    }
  }
  return LESSON_ORDER.filter((n) => names.includes(n));
}

/** What Deno says when the sandbox refuses a file, network, process, environment or system access. */
const _SANDBOX_DENIAL = /Requires (read|write|net|env|run|ffi|sys|import) access/;
/** Why such a lesson is rejected. */
const _SANDBOX_RULE = "rejected: a lesson may read only lib/ and the lesson files " +
  "(no other files, network, processes or environment)";

function errorText(e: ProbeError, seed: number): string {
  const where = e.where ? ` (${e.where})` : "";
  return e.kind === "not-implemented"
    ? `${e.message}`
    : `${e.step} threw ${e.name}${e.message ? `: ${e.message}` : ""}${where} (seed ${seed})`;
}

function makeJudge(
  seed: number,
  student: Record<string, ProbeOutcome>,
  reference: Record<string, ProbeOutcome>,
): Judge {
  return {
    seed,
    student(probe: string, key: string): Value {
      const o = student[probe];
      if (o && key in o.values) return o.values[key];
      throw new Missing(probe, key, o?.error);
    },
    reference(probe: string, key: string): Value {
      const o = reference[probe];
      if (o && key in o.values) return o.values[key];
      throw new ReferenceMissing(
        `no reference value ${probe}/${key}: the fixtures are stale, run deno task make-fixtures`,
      );
    },
    has(probe: string, key: string): boolean {
      return student[probe] !== undefined && key in student[probe].values;
    },
  };
}

class ReferenceMissing extends Error {}

/** Judges every check of a spec; a check never throws out of here. */
export function judgeChecks(
  lesson: string,
  checks: readonly Check[],
  seed: number,
  student: Record<string, ProbeOutcome>,
  reference: Record<string, ProbeOutcome>,
): CheckResult[] {
  const j = makeJudge(seed, student, reference);
  return checks.map((c) => {
    const t0 = performance.now();
    const base = { lesson, id: c.id, name: c.name, max: c.points, hidden: c.hidden === true, seed };
    const time = () => Math.round(performance.now() - t0) / 1e6;
    try {
      const v = c.judge(j);
      if (v.pass) return { ...base, points: c.points, status: "passed", message: "", time: time() };
      return {
        ...base,
        points: 0,
        status: "failed",
        message: v.message,
        ...(v.diagnosis ? { diagnosis: v.diagnosis } : {}),
        ...(v.hint ? { hint: v.hint } : {}),
        time: time(),
      };
    } catch (e) {
      if (e instanceof Missing) {
        const err = e.error;
        if (err?.kind === "not-implemented") {
          return { ...base, points: 0, status: "not started", message: errorText(err, seed), time: time() };
        }
        return {
          ...base,
          points: 0,
          status: "failed",
          message: err ? errorText(err, seed) : `no result recorded (seed ${seed})`,
          time: time(),
        };
      }
      const message = e instanceof ReferenceMissing
        ? e.message
        : `the grader could not judge this check: ${e}`;
      return { ...base, points: 0, status: "error", message, time: time() };
    }
  });
}

function zeroed(lesson: string, checks: readonly Check[], seed: number, message: string): CheckResult[] {
  return checks.map((c) => ({
    lesson,
    id: c.id,
    name: c.name,
    points: 0,
    max: c.points,
    status: "failed" as const,
    message,
    hidden: c.hidden === true,
    seed,
    time: 0,
  }));
}

function endMessage(end: Exclude<ChildEnd, { kind: "result" }>, o: { timeoutMs: number; heapMb: number }): {
  status: LessonStatus;
  message: string;
} {
  const during = (stage: string) =>
    stage === "start"
      ? "before the lesson was loaded"
      : stage === "import"
      ? "while loading the lesson file"
      : `in probe ${stage}`;
  switch (end.kind) {
    case "timeout":
      return {
        status: "timed out",
        message: `stopped after ${o.timeoutMs / 1000} s ${
          during(end.stage)
        }: an infinite loop, or a top-level await that never resolves?`,
      };
    case "memory":
      return {
        status: "rejected",
        message: `stopped ${during(end.stage)}: it used more memory than allowed (${o.heapMb} MB heap)`,
      };
    case "malformed":
      return { status: "rejected", message: `the grader child's report was unusable (${end.reason})` };
    case "exit": {
      if (/Top-level await promise never resolved/.test(end.stderr)) {
        return { status: "rejected", message: "the lesson file's top-level await never resolves" };
      }
      const detail = end.stderr.trim().split("\n").find((l) => l.trim()) ?? "";
      return {
        status: "rejected",
        message: `the process ended ${during(end.stage)} without a report (exit code ${end.code}): ` +
          `did the lesson call Deno.exit() or close stdout?${detail ? ` — ${detail.slice(0, 300)}` : ""}`,
      };
    }
  }
}

interface Prepared {
  readonly lesson: string;
  readonly file: string;
  readonly graph?: string[];
  readonly rejected?: string;
}

/** Grades lessons; resolves to the full report. Never throws for anything a lesson does. */
export async function gradeLessons(options: GradeOptions = {}): Promise<Report> {
  const t0 = performance.now();
  const kitDir = options.kitDir ?? KIT_DIR;
  const lessonsDir = resolve(options.lessonsDir ?? join(kitDir, "lessons"));
  const lessons = resolveLessons(options.lessons);
  const seed = options.seed ?? FIXTURE_SEEDS[0];
  const timeoutMs = options.timeoutMs ?? 10_000;
  const heapMb = options.heapMb ?? 256;
  const policy: ImportPolicy = { libDir: join(kitDir, "lib"), lessonsDir };
  const importMap = importMapFor(kitDir, lessonsDir);

  const prepared: Prepared[] = await Promise.all(lessons.map(async (lesson): Promise<Prepared> => {
    const file = join(lessonsDir, `${lesson}.ts`);
    try {
      Deno.statSync(file);
    } catch {
      return { lesson, file, rejected: `${lesson}.ts is missing from ${lessonsDir}` };
    }
    try {
      return { lesson, file, graph: await checkImportGraph(file, policy, importMap) };
    } catch (e) {
      if (e instanceof ImportRejected) return { lesson, file, rejected: e.message };
      throw e;
    }
  }));
  const checkable = prepared.filter((p) => p.graph).map((p) => ({ entry: p.file, graph: p.graph! }));
  const typeChecked: Promise<Map<string, Diagnostic[]>> = options.skipTypeCheck
    ? Promise.resolve(new Map())
    : typeCheck(checkable, kitDir, { importMap, cacheDir: join(kitDir, ".gradlings", "typecheck") });

  const results: (LessonResult | undefined)[] = new Array(lessons.length);
  let emitted = 0;
  const emit = () => {
    while (emitted < results.length && results[emitted]) {
      const r = results[emitted++]!;
      options.onLesson?.(r);
    }
  };
  let next = 0;
  const worker = async () => {
    while (next < prepared.length) {
      const i = next++;
      const o = { kitDir, lessonsDir, seed, timeoutMs, heapMb, importMap, typeChecked };
      try {
        results[i] = await gradeOne(prepared[i], o);
      } catch (e) {
        // A fault of the grader itself (a broken spec or fixture): report it on this lesson, keep going.
        const message = `the grader failed on this lesson: ${e instanceof Error ? e.message : String(e)}`;
        const p = prepared[i];
        results[i] = {
          lesson: p.lesson,
          file: p.file,
          score: 0,
          max: 0,
          status: "failing",
          message,
          checks: [],
          time: 0,
        };
      }
      emit();
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 2) }, worker));
    await typeChecked;
  } finally {
    if (importMap) await Deno.remove(importMap).catch(() => {});
  }
  const done = results as LessonResult[];
  return {
    seed,
    lessonsDir,
    lessons: done,
    score: done.reduce((a, r) => a + r.score, 0),
    max: done.reduce((a, r) => a + r.max, 0),
    hiddenPending: hiddenPending(kitDir, lessons),
    time: Math.round(performance.now() - t0) / 1000,
  };
}

/**
 * Points still to be decided by hidden checks: 0 when `grader/hidden/` is
 * present (they ran); in a student release, which drops it, the release tool
 * leaves their points per lesson in `grader/hidden_points.json`.
 */
export function hiddenPending(kitDir: string, lessons: readonly string[]): number {
  try {
    const points = JSON.parse(Deno.readTextFileSync(join(kitDir, "grader", "hidden_points.json")));
    return lessons.reduce((a, l) => a + (hasHidden(l) ? 0 : Number(points[l] ?? 0)), 0);
  } catch {
    return 0;
  }
}

function importMapFor(kitDir: string, lessonsDir: string): string | undefined {
  const foreignLib = join(dirname(lessonsDir), "lib");
  if (foreignLib === join(kitDir, "lib")) return undefined;
  const map = { imports: { [toFileUrl(foreignLib) + "/"]: toFileUrl(join(kitDir, "lib")) + "/" } };
  const dir = join(kitDir, ".gradlings");
  Deno.mkdirSync(dir, { recursive: true });
  const name = Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, "0"))
    .join("");
  const path = join(dir, `import_map_${name}.json`);
  Deno.writeTextFileSync(path, JSON.stringify(map));
  return path;
}

async function referenceFor(
  kitDir: string,
  spec: Awaited<ReturnType<typeof loadSpec>>,
  seed: number,
): Promise<Record<string, ProbeOutcome> | undefined> {
  const fixture = loadFixture(kitDir, spec, seed);
  if (fixture) return fixture;
  // No fixture for this seed: compute it from the reference solutions when this copy has them.
  const solution = join(kitDir, "solutions", `${spec.lesson}.ts`);
  try {
    Deno.statSync(solution);
  } catch {
    return undefined;
  }
  const exports = await import(toFileUrl(solution));
  return runProbes(spec, exports, seed, solution);
}

async function gradeOne(
  p: Prepared,
  o: {
    kitDir: string;
    lessonsDir: string;
    seed: number;
    timeoutMs: number;
    heapMb: number;
    importMap?: string;
    typeChecked: Promise<Map<string, Diagnostic[]>>;
  },
): Promise<LessonResult> {
  const t0 = performance.now();
  const spec = await loadSpec(p.lesson);
  const max = spec.checks.reduce((a, c) => a + c.points, 0);
  const finish = (status: LessonStatus, checks: CheckResult[], message?: string): LessonResult => ({
    lesson: p.lesson,
    file: p.file,
    score: checks.reduce((a, c) => a + c.points, 0),
    max,
    status,
    ...(message ? { message } : {}),
    checks,
    time: Math.round(performance.now() - t0) / 1000,
  });
  if (p.rejected) return finish("rejected", zeroed(p.lesson, spec.checks, o.seed, p.rejected), p.rejected);
  const reference = await referenceFor(o.kitDir, spec, o.seed);
  if (!reference) {
    const message = `no reference fixtures for seed ${o.seed}: use one of ${FIXTURE_SEEDS.join(", ")} ` +
      `(or run deno task make-fixtures in a copy that has solutions/)`;
    return finish("rejected", zeroed(p.lesson, spec.checks, o.seed, message), message);
  }
  const end = await runChild({
    kitDir: o.kitDir,
    lessonsDir: o.lessonsDir,
    lesson: p.lesson,
    file: p.file,
    seed: o.seed,
    timeoutMs: o.timeoutMs,
    heapMb: o.heapMb,
    probeIds: spec.probes.map((q) => q.id),
    importMap: o.importMap,
  });
  const diags = (await o.typeChecked).get(p.file) ?? [];
  if (diags.length) {
    const rel = (f: string) =>
      f.startsWith(dirname(o.lessonsDir) + "/") ? f.slice(dirname(o.lessonsDir).length + 1) : f;
    const message = diags.slice(0, 5).map((d) => `${rel(d.file)}:${d.line}: ${d.message}`).join("\n");
    return finish("does not compile", zeroed(p.lesson, spec.checks, o.seed, message), message);
  }
  if (end.kind !== "result") {
    const { status, message } = endMessage(end, o);
    return finish(status, zeroed(p.lesson, spec.checks, o.seed, message), message);
  }
  const imported = end.outcomes["@import"];
  if (imported?.error) {
    const message = errorText(imported.error, o.seed);
    const status = _SANDBOX_DENIAL.test(message) ? "rejected" : "failing";
    const text = status === "rejected" ? `${_SANDBOX_RULE}: ${message}` : message;
    return finish(status, zeroed(p.lesson, spec.checks, o.seed, text), text);
  }
  const checks = judgeChecks(p.lesson, spec.checks, o.seed, end.outcomes, reference);
  const denied = checks.find((c) => c.message !== undefined && _SANDBOX_DENIAL.test(c.message));
  if (denied) {
    // Reaching outside the sandbox is not a mistake in the maths: no partial credit for the rest.
    const text = `${_SANDBOX_RULE}: ${denied.message}`;
    return finish("rejected", zeroed(p.lesson, spec.checks, o.seed, text), text);
  }
  const score = checks.reduce((a, c) => a + c.points, 0);
  const status: LessonStatus = score === max
    ? "passed"
    : score === 0 && checks.every((c) => c.status === "not started" || c.status === "passed")
    ? "not started"
    : "failing";
  return finish(status, checks);
}
