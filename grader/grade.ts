/**
 * The grading flow: `gradeLessons(options)` grades lessons from a lessons
 * folder and returns a {@linkcode Report}. The CLI (`main.ts`), the batch
 * grader, the Gradescope runner and the workflow tools all come here.
 *
 * 1. **Sandbox**: copy `lib/`, the probe code and the lesson files into a
 *    sandbox folder (`sandbox/workspace.ts`); read each lesson's imports for a
 *    clear early message (`sandbox/imports.ts`); type-check under limits.
 * 2. **Plans**: for each lesson, the parent draws every input from the seed
 *    (`specs/`); hidden probes form a plan of their own.
 * 3. **Reference**: from the public fixtures (local self-grade at a fixture
 *    seed) or from `solutions/` in a trusted process (any other seed, hidden
 *    probes, and every official grade).
 * 4. **Child**: each plan runs in a sandboxed child (`sandbox/child.ts`) that
 *    only evaluates the student's functions and reports raw values.
 * 5. **Judge**: here, in the parent: derive central differences, compare,
 *    diagnose, apply gates (`judge/`). Worked examples count 0 points.
 *
 * A **local** run (the default) is the student's self-grade: feedback, at a
 * public seed. An **official** run (`mode: "official"`, what `grade-batch`
 * and Gradescope use) grades at a fresh seed no student has seen, against
 * `solutions/`, never against the public fixtures. `SECURITY.md` says what
 * each guarantees.
 *
 * @module
 */

import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ImportRejected, lessonGraph } from "./sandbox/imports.ts";
import { makeWorkspace, outsideTarget, shownPath, type Workspace } from "./sandbox/workspace.ts";
import { type Limits, RUN_FLAGS, runLimited, type RunResult } from "./sandbox/spawn.ts";
import { type Diagnostic, typeCheck } from "./sandbox/typecheck.ts";
import { FIXTURE_SEEDS, FixtureUnavailable, loadFixture } from "./reference/fixtures.ts";
import { hasSolutions, ReferenceUnavailable } from "./reference/solutions.ts";
import { ReferenceCache } from "./reference/cache.ts";
import { hasHidden, LESSON_ORDER, loadSpec } from "./specs/mod.ts";
import { findLesson, LESSONS } from "./manifest.ts";
import { derive } from "./judge/derive.ts";
import { errorText, judgeChecks, lessonStatus, makeJudge } from "./judge/verdicts.ts";
import { decodeOutcomes, encodePlan, MAX_REPORT_BYTES, WireError } from "./probes/wire.ts";
import { printable } from "./probes/printable.ts";
import type { LessonPlan } from "./probes/plan.ts";
import type { Check, LessonSpec, ProbeOutcome } from "./spec.ts";
import type { CheckResult, LessonResult, LessonStatus, Report } from "./results.ts";

export type { CheckResult, CheckStatus, LessonResult, LessonStatus, Report } from "./results.ts";

/** Options of {@linkcode gradeLessons}. */
export interface GradeOptions {
  /** The lessons folder to grade (default `<kit>/lessons`). */
  readonly lessonsDir?: string;
  /** Lesson names (default: all, in order). */
  readonly lessons?: readonly string[];
  /** `local` (default: self-grade at a public seed) or `official` (a fresh seed, reference from solutions/). */
  readonly mode?: "local" | "official";
  /** The seed (default: local, the first fixture seed; official, a fresh random one). */
  readonly seed?: number;
  /** Per-lesson CPU limit of the child in ms (default 10 000). */
  readonly timeoutMs?: number;
  /** Per-lesson V8 heap limit in MB (default 256). */
  readonly heapMb?: number;
  /** Lessons graded at once (default 2). */
  readonly concurrency?: number;
  /** The kit's root (default: the folder above `grader/`). */
  readonly kitDir?: string;
  /** Skip the type check (tests of the runner only). */
  readonly skipTypeCheck?: boolean;
  /** Where sandbox folders go (default: local `<kit>/.gradlings/sandbox`, official the system's temp folder). */
  readonly sandboxParent?: string;
  /**
   * Lessons the submission did not hold (their stubs were put in their place):
   * "not started" without running anything. Worked examples are graded anyway.
   */
  readonly unsubmitted?: readonly string[];
  /** Reference values shared across runs at the same seed (the batch grader passes one). */
  readonly reference?: ReferenceCache;
  /** Stops the run: every process it started is killed. */
  readonly signal?: AbortSignal;
  /** Called with each lesson's result as soon as it is known, in lesson order. */
  readonly onLesson?: (result: LessonResult) => void;
}

/** The kit's root, from this file's location. */
export const KIT_DIR: string = resolve(dirname(new URL(import.meta.url).pathname), "..");

/** A fresh seed for an official grade (crypto-random, below 2³¹ so it reads well). */
export function freshSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0] & 0x7fffffff;
}

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
const SANDBOX_DENIAL = /Requires (read|write|net|env|run|ffi|sys|import) access|NotCapable/;
/** Why such a lesson is rejected. */
const SANDBOX_RULE = "rejected: a lesson may read only lib/ and the lesson files " +
  "(no other files, network, processes or environment)";

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

/** How a child ended, read from its output. */
type ChildEnd =
  | { readonly kind: "result"; readonly outcomes: Record<string, ProbeOutcome> }
  | { readonly kind: "timeout"; readonly stage: string; readonly why: "cpu" | "wall" }
  | { readonly kind: "memory"; readonly stage: string; readonly worker?: boolean }
  | { readonly kind: "exit"; readonly stage: string; readonly code: number; readonly stderr: string }
  | { readonly kind: "malformed"; readonly reason: string };

const FRAME = "@@gradlings:";
/** What running out of memory looks like, in a crash or in an error a probe caught. */
const MEMORY =
  /out of memory|Allocation failed|heap limit|Array buffer allocation failed|Invalid array length/i;

/** Reads a child's run: its stage frames and its one result frame. */
export function readChild(r: RunResult, probeIds: readonly string[]): ChildEnd {
  let stage = "start";
  const results: string[] = [];
  for (const line of r.stdout.split("\n")) {
    if (!line.startsWith(FRAME)) continue;
    const rest = line.slice(FRAME.length);
    // A stage names the probe a timeout stopped in, in a message; the lesson can write one too.
    if (rest.startsWith("stage:")) stage = printable(rest.slice(6, 200));
    else if (rest.startsWith("result:")) results.push(rest.slice(7));
  }
  if (r.killed === "cpu" || r.killed === "wall") return { kind: "timeout", stage, why: r.killed };
  if (r.killed === "output") {
    return { kind: "malformed", reason: "the lesson wrote more output than allowed" };
  }
  if (r.killed === "abort") return { kind: "malformed", reason: "the run was aborted" };
  if (results.length > 1) {
    return {
      kind: "malformed",
      reason: "it wrote more than one result frame (a lesson may not write grader frames)",
    };
  }
  if (results.length === 1) {
    try {
      return { kind: "result", outcomes: decodeOutcomes(results[0], [...probeIds, "@import"]) };
    } catch (e) {
      return { kind: "malformed", reason: e instanceof WireError ? e.message : String(e) };
    }
  }
  if (/CodeRange/.test(r.stderr)) return { kind: "memory", stage, worker: true };
  if (MEMORY.test(r.stderr)) return { kind: "memory", stage };
  return { kind: "exit", stage, code: r.code, stderr: r.stderr };
}

function endMessage(
  end: Exclude<ChildEnd, { kind: "result" }>,
  o: { timeoutMs: number; heapMb: number },
): { status: LessonStatus; message: string } {
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
        message: `stopped ${during(end.stage)} after ${
          end.why === "cpu" ? `${o.timeoutMs / 1000} s of CPU time` : "too long a wait"
        }: an infinite loop, or a top-level await that never resolves?`,
      };
    case "memory":
      return {
        status: "rejected",
        message: `stopped ${during(end.stage)}: it used more memory than allowed (${o.heapMb} MB heap)` +
          (end.worker ? ": a Worker needs a heap of its own, and a lesson has room for none" : ""),
      };
    case "malformed":
      return {
        status: "rejected",
        message: `the grader child's report was unusable: ${printable(end.reason)}`,
      };
    case "exit": {
      if (/Top-level await promise never resolved/.test(end.stderr)) {
        return { status: "rejected", message: "the lesson file's top-level await never resolves" };
      }
      const detail = printable(end.stderr.trim().split("\n").find((l) => l.trim()) ?? "");
      return {
        status: "rejected",
        message: `the process ended ${during(end.stage)} without a report (exit code ${end.code}): ` +
          `did the lesson call Deno.exit() or close stdout?${detail ? ` — ${detail.slice(0, 300)}` : ""}`,
      };
    }
  }
}

/** The child's limits for a lesson. */
function childLimits(timeoutMs: number, heapMb: number): Limits {
  const cpu = timeoutMs / 1000;
  return { cpuSeconds: cpu, wallMs: Math.max(3 * timeoutMs, timeoutMs + 20_000), dataMb: 2 * heapMb + 1024 };
}

/** Runs one plan in a sandboxed child. */
async function runChild(
  ws: Workspace,
  lesson: string,
  plan: LessonPlan,
  o: { timeoutMs: number; heapMb: number; env: Record<string, string>; signal?: AbortSignal },
): Promise<ChildEnd> {
  const lessonUrl = pathToFileURL(join(ws.lessonsDir, `${lesson}.ts`)).href;
  const r = await runLimited({
    args: [
      "run",
      ...RUN_FLAGS,
      `--import-map=${ws.importMap}`,
      `--allow-read=${ws.root}`,
      `--v8-flags=--max-old-space-size=${o.heapMb},--disallow-code-generation-from-strings`,
      ws.childScript,
      lessonUrl,
    ],
    cwd: ws.root,
    env: o.env,
    stdin: encodePlan(plan),
    limits: childLimits(o.timeoutMs, o.heapMb),
    // A report is at most MAX_REPORT_BYTES; what a lesson prints beside it gets as much again.
    maxStdout: 2 * MAX_REPORT_BYTES,
    signal: o.signal,
  });
  return readChild(r, plan.probes.map((p) => p.id));
}

/**
 * Marks every process this grader starts (`<pid>.<random>`: a test runner's
 * workers share a pid), so a check can find any process a run left behind.
 */
export const OWNER = `${Deno.pid}.${crypto.randomUUID().slice(0, 8)}`;

/**
 * The environment of every process the grader starts: where Deno's caches
 * are, and `GRADLINGS_OWNER` ({@linkcode OWNER}); nothing else.
 */
export function processEnv(denoDir?: string): Record<string, string> {
  const env: Record<string, string> = { NO_COLOR: "1", GRADLINGS_OWNER: OWNER };
  for (const k of ["HOME", "DENO_DIR", "XDG_CACHE_HOME"]) {
    const v = Deno.env.get(k);
    if (v !== undefined) env[k] = v;
  }
  if (denoDir) env.DENO_DIR = denoDir;
  return env;
}

interface Prepared {
  readonly lesson: string;
  readonly file: string;
  readonly spec: LessonSpec;
  readonly plans: { readonly public: LessonPlan; readonly hidden?: LessonPlan };
  readonly graph?: string[];
  readonly rejected?: string;
  /** Not in the submission: not started, nothing to run. */
  readonly unsubmitted?: boolean;
}

async function prepare(lesson: string, ws: Workspace, seed: number, unsubmitted: boolean): Promise<Prepared> {
  const spec = await loadSpec(lesson);
  const file = join(ws.sourceDir, `${lesson}.ts`);
  const planOf = (hidden: boolean): LessonPlan => ({
    lesson,
    purpose: "grade",
    probes: spec.probes.filter((p) => (p.hidden === true) === hidden).map((p) => p.plan(seed)),
  });
  const hidden = spec.probes.some((p) => p.hidden) ? planOf(true) : undefined;
  const plans = { public: planOf(false), ...(hidden ? { hidden } : {}) };
  const base = { lesson, file, spec, plans };
  if (unsubmitted) return { ...base, unsubmitted };
  const refused = ws.refused.get(`${lesson}.ts`);
  if (refused) return { ...base, rejected: `rejected: ${refused}` };
  const copy = join(ws.lessonsDir, `${lesson}.ts`);
  try {
    Deno.statSync(copy);
  } catch {
    return { ...base, rejected: `${lesson}.ts is missing from ${ws.sourceDir}` };
  }
  try {
    return { ...base, graph: lessonGraph(copy, { lessonsDir: ws.lessonsDir, libDir: ws.libDir }) };
  } catch (e) {
    if (e instanceof ImportRejected) return { ...base, rejected: e.message };
    throw e;
  }
}

/** Grades lessons; resolves to the full report. Never throws for anything a lesson does. */
export async function gradeLessons(options: GradeOptions = {}): Promise<Report> {
  const t0 = performance.now();
  const kitDir = options.kitDir ?? KIT_DIR;
  const mode = options.mode ?? "local";
  const lessonsDir = resolve(options.lessonsDir ?? join(kitDir, "lessons"));
  const lessons = resolveLessons(options.lessons);
  const seed = options.seed ?? (mode === "official" ? freshSeed() : FIXTURE_SEEDS[0]);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const heapMb = options.heapMb ?? 256;
  const local = mode === "local";
  const parent = options.sandboxParent ??
    (local
      ? join(kitDir, ".gradlings", "sandbox")
      : await Deno.makeTempDir({ prefix: "gradlings-official-" }));
  const ownParent = !local && options.sandboxParent === undefined;
  const ws = await makeWorkspace({
    kitDir,
    lessonsDir,
    parent,
    // A self-grade of a folder of this kit (lessons/, solutions/) reuses its sandbox folder, so Deno's caches
    // stay warm; any other folder (a test's, a copy elsewhere) gets a fresh one, removed after the run.
    keep: local && await insideKit(lessonsDir, kitDir) ? await keyOf(lessonsDir) : undefined,
  });
  const env = processEnv(local ? undefined : join(parent, ".deno"));
  const reference = options.reference ?? new ReferenceCache(kitDir);
  try {
    const skip = (l: string) =>
      options.unsubmitted?.includes(l) === true && LESSONS.find((x) => x.name === l)?.given !== true;
    const prepared = await Promise.all(lessons.map((l) => prepare(l, ws, seed, skip(l))));
    const checkable = prepared.filter((p) => p.graph).map((p) => ({
      entry: join(ws.lessonsDir, `${p.lesson}.ts`),
      graph: p.graph!,
    }));
    const typeChecked: Promise<Map<string, Diagnostic[]>> = options.skipTypeCheck
      ? Promise.resolve(new Map())
      : typeCheck(checkable, {
        root: ws.root,
        importMap: ws.importMap,
        env,
        // A self-grade keeps verdicts between runs. An official grade keeps none: one submission's files
        // (a module augmentation of lib/, say) must never decide another's.
        ...(local ? { cacheDir: join(kitDir, ".gradlings", "typecheck") } : {}),
        signal: options.signal,
      });
    const references = referencesFor(prepared, {
      kitDir,
      seed,
      local,
      reference,
      env,
      signal: options.signal,
    });

    const results: (LessonResult | undefined)[] = new Array(lessons.length);
    let emitted = 0;
    const emit = () => {
      while (emitted < results.length && results[emitted]) {
        const r = results[emitted++]!; // not inside `onLesson?.(…)`: optional chaining skips its arguments
        options.onLesson?.(r);
      }
    };
    let next = 0;
    const o = { ws, seed, timeoutMs, heapMb, env, typeChecked, references, signal: options.signal };
    const worker = async () => {
      while (next < prepared.length) {
        const i = next++;
        const p = prepared[i];
        try {
          results[i] = await gradeOne(p, o);
        } catch (e) {
          // A fault of the grader itself (a broken spec, a missing reference): report it on this lesson, keep going.
          const message = `the grader failed on this lesson: ${e instanceof Error ? e.message : String(e)}`;
          results[i] = finish(p, "failing", zeroed(p.lesson, p.spec.checks, seed, message), 0, message);
        }
        emit();
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 2) }, worker));
    await typeChecked.catch(() => {});
    const done = results as LessonResult[];
    return {
      seed,
      mode,
      lessonsDir,
      lessons: done,
      score: done.reduce((a, r) => a + r.score, 0),
      max: done.reduce((a, r) => a + r.max, 0),
      hiddenPending: hiddenPending(kitDir, lessons),
      time: Math.round(performance.now() - t0) / 1000,
    };
  } finally {
    await ws.dispose();
    if (ownParent) await Deno.remove(parent, { recursive: true }).catch(() => {});
  }
}

/** True when `dir`'s real path lies inside the kit's. */
async function insideKit(dir: string, kitDir: string): Promise<boolean> {
  try {
    const [d, k] = await Promise.all([Deno.realPath(dir), Deno.realPath(kitDir)]);
    return d.startsWith(k + "/");
  } catch {
    return false;
  }
}

/** A short stable key for a lessons folder (the local sandbox folder's name). */
async function keyOf(dir: string): Promise<string> {
  let real = dir;
  try {
    real = await Deno.realPath(dir);
  } catch { /* graded as missing later */ }
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(real));
  return Array.from(new Uint8Array(digest).slice(0, 8), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Reference outcomes per lesson and part: fixtures where a local run can use them, else solutions/. */
type References = Map<string, Promise<Record<string, ProbeOutcome>>>;

function referencesFor(
  prepared: readonly Prepared[],
  o: {
    kitDir: string;
    seed: number;
    local: boolean;
    reference: ReferenceCache;
    env: Record<string, string>;
    signal?: AbortSignal;
  },
): References {
  const out: References = new Map();
  const viaSolutions = (plans: LessonPlan[]) => o.reference.outcomes(plans, o.seed, o.env, o.signal);
  const batch: { key: string; plan: LessonPlan }[] = [];
  for (const p of prepared) {
    if (p.rejected || p.unsubmitted) continue;
    for (const [part, plan] of Object.entries(p.plans) as [string, LessonPlan][]) {
      const key = `${p.lesson}/${part}`;
      if (!o.local || part !== "public") {
        batch.push({ key, plan });
        continue;
      }
      out.set(
        key,
        loadFixture(o.kitDir, plan, o.seed).catch((e) => {
          if (!(e instanceof FixtureUnavailable)) throw e;
          if (!hasSolutions(o.kitDir)) {
            throw new ReferenceUnavailable(
              `no reference values for seed ${o.seed}: use one of ${FIXTURE_SEEDS.join(", ")} ` +
                `(or grade in a copy that has solutions/): ${e.message}`,
            );
          }
          return viaSolutions([plan]).then((r) => r[0]);
        }),
      );
    }
  }
  // Everything that needs solutions/ goes to one reference process, started now, beside the children.
  if (batch.length) {
    const all = viaSolutions(batch.map((b) => b.plan));
    batch.forEach((b, i) => out.set(b.key, all.then((r) => r[i])));
  }
  for (const v of out.values()) v.catch(() => {}); // judged (and reported) per lesson
  return out;
}

function finish(
  p: Prepared,
  status: LessonStatus,
  checks: CheckResult[],
  t0: number,
  message?: string,
): LessonResult {
  const given = LESSONS.find((l) => l.name === p.lesson)?.given === true;
  // Worked examples are graded and shown, but worth nothing in any total.
  const counted = given ? checks.map((c) => ({ ...c, points: 0, max: 0 })) : checks;
  return {
    lesson: p.lesson,
    file: p.file,
    score: counted.reduce((a, c) => a + c.points, 0),
    max: given ? 0 : p.spec.checks.reduce((a, c) => a + c.points, 0),
    status,
    given,
    ...(message ? { message } : {}),
    checks: counted,
    time: t0 ? Math.round(performance.now() - t0) / 1000 : 0,
  };
}

async function gradeOne(
  p: Prepared,
  o: {
    ws: Workspace;
    seed: number;
    timeoutMs: number;
    heapMb: number;
    env: Record<string, string>;
    typeChecked: Promise<Map<string, Diagnostic[]>>;
    references: References;
    signal?: AbortSignal;
  },
): Promise<LessonResult> {
  const t0 = performance.now();
  const checks = p.spec.checks;
  const fail = (status: LessonStatus, message: string) =>
    finish(p, status, zeroed(p.lesson, checks, o.seed, message), t0, message);
  if (p.rejected) return fail("rejected", p.rejected);
  if (p.unsubmitted) {
    const message = `${p.lesson}.ts was not submitted`;
    const checks = zeroed(p.lesson, p.spec.checks, o.seed, message).map((c) => ({
      ...c,
      status: "not started" as const,
    }));
    return finish(p, "not started", checks, t0, message);
  }
  const childOptions = { timeoutMs: o.timeoutMs, heapMb: o.heapMb, env: o.env, signal: o.signal };
  const first = await runChild(o.ws, p.lesson, p.plans.public, childOptions);
  const diags = (await o.typeChecked).get(join(o.ws.lessonsDir, `${p.lesson}.ts`)) ?? [];
  if (diags.length) {
    const message = diags.slice(0, 5).map((d) => `${shownPath(o.ws, d.file)}:${d.line}: ${d.message}`).join(
      "\n",
    );
    return fail("does not compile", message);
  }
  if (first.kind !== "result") {
    const { status, message } = endMessage(first, o);
    return fail(status, message);
  }
  const imported = first.outcomes["@import"];
  if (imported?.error) {
    const message = errorText(imported.error, o.seed);
    const outside = outsideTarget(o.ws, message);
    if (outside) {
      return fail("rejected", `rejected: the lesson imports ${outside}, outside the lesson files and lib/`);
    }
    if (SANDBOX_DENIAL.test(message)) return fail("rejected", `${SANDBOX_RULE}: ${message}`);
    return fail("failing", message);
  }
  const publicPlans = p.plans.public.probes;
  const hiddenPlans = p.plans.hidden?.probes ?? [];
  const student: Record<string, ProbeOutcome> = {};
  for (const plan of publicPlans) {
    if (first.outcomes[plan.id]) student[plan.id] = derive(plan, first.outcomes[plan.id]);
  }
  // Hidden probes run in a child of their own, so a public probe's output never holds a hidden input; and
  // nothing that child says (its errors, its end, its stderr) reaches a public check or the lesson's message.
  let hiddenFailure: string | undefined;
  if (p.plans.hidden) {
    const started = Object.values(first.outcomes).some((x) => x.error?.kind !== "not-implemented");
    if (!started) {
      // Not started: the hidden probes would stop at the same stub.
      const error = Object.values(first.outcomes).find((x) => x.error)?.error;
      for (const plan of hiddenPlans) student[plan.id] = { values: {}, ...(error ? { error } : {}) };
    } else {
      const end = await runChild(o.ws, p.lesson, p.plans.hidden, childOptions);
      if (end.kind !== "result" || end.outcomes["@import"]) {
        hiddenFailure = `the hidden checks could not run: the lesson ${
          end.kind === "timeout" ? "timed out" : end.kind === "memory" ? "ran out of memory" : "stopped"
        } on a hidden case`;
      } else {
        for (const plan of hiddenPlans) {
          if (end.outcomes[plan.id]) student[plan.id] = derive(plan, end.outcomes[plan.id]);
        }
      }
    }
  }
  const plans = [...publicPlans, ...hiddenPlans];
  const reference: Record<string, ProbeOutcome> = {};
  for (const part of Object.keys(p.plans)) {
    Object.assign(reference, await o.references.get(`${p.lesson}/${part}`)!);
  }
  const judged = judgeChecks(p.lesson, checks, makeJudge(o.seed, plans, student, reference));
  const visible = judged.filter((c) => !c.hidden);
  if (visible.some((c) => MEMORY.test(c.message))) {
    const culprit = visible.find((c) => MEMORY.test(c.message))!;
    return fail(
      "rejected",
      `it used more memory than allowed (${o.heapMb} MB heap): ${culprit.message.slice(0, 200)}`,
    );
  }
  const denied = visible.find((c) => SANDBOX_DENIAL.test(c.message) || outsideTarget(o.ws, c.message));
  if (denied) {
    // Reaching outside the sandbox is not a mistake in the maths: no partial credit for the rest.
    const outside = outsideTarget(o.ws, denied.message);
    return fail(
      "rejected",
      outside
        ? `rejected: the lesson imports ${outside}, outside the lesson files and lib/`
        : `${SANDBOX_RULE}: ${denied.message}`,
    );
  }
  // On the hidden side the same faults cost the hidden checks only, with a message that repeats nothing.
  const hiddenFault = hiddenFailure ??
    (judged.some((c) =>
        c.hidden &&
        (MEMORY.test(c.message) || SANDBOX_DENIAL.test(c.message) || outsideTarget(o.ws, c.message))
      )
      ? "the hidden checks could not run: the lesson reached outside the sandbox or ran out of memory on a hidden case"
      : undefined);
  const results = hiddenFault
    ? judged.map((c) =>
      c.hidden
        ? (({ diagnosis: _d, hint: _h, ...rest }) => ({
          ...rest,
          points: 0,
          status: "failed" as const,
          message: hiddenFault,
        }))(c)
        : c
    )
    : judged;
  return finish(p, lessonStatus(results), results, t0);
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
