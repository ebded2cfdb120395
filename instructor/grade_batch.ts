/**
 * `deno task grade-batch <submissions> --out <dir> [--jobs N] [--force]
 * [--timeout S] [--seed N]`: grades every submission in a folder (each a
 * folder or a `.zip` holding a student's `lessons/`) with the instructor's
 * grader, hidden checks included, several at once (one per core by default).
 *
 * It is an **official** grade (`grader/SECURITY.md`): at a seed drawn for the
 * run (recorded in `batch.json`, every report and the gradebook, so any grade
 * can be replayed with `--seed`; a resumed run keeps it), against reference
 * values computed once from `solutions/` in a trusted process, each
 * submission's code in sandboxed children that only report values.
 *
 * Writes, under `--out`:
 * - `reports/<id>.json`: the submission's full report (written last: it marks
 *   the submission done);
 * - `gradescope/<id>/results.json`: the same in Gradescope's format;
 * - `gradebook.csv`: one row per submission (status, total, a column per
 *   lesson, notes), rebuilt from the reports after every submission.
 *
 * Every file is written atomically (temp + rename), so killing the run loses
 * nothing already written; re-running grades only what has no report yet,
 * unless `--force`. A broken or hostile submission gets a row with the
 * reason and never stops the batch. Each submission is prepared in its own
 * work folder and graded by the grader in a subprocess (each lesson isolated
 * and time-limited there), under an overall time limit.
 *
 * @module
 */

import cliProgress from "cli-progress";
import { stringify } from "csv-stringify/sync";
import { resolve } from "node:path";
import { freshSeed } from "../grader/grade.ts";
import { printable } from "../grader/probes/printable.ts";
import { type Lesson, LESSONS } from "../grader/manifest.ts";
import { ReferenceCache } from "../grader/reference/cache.ts";
import { killAllOnSignals } from "../grader/sandbox/spawn.ts";
import { sweepTempFiles, writeFileAtomic } from "../workflow/atomic_write.ts";
import type { GradeReport } from "../workflow/report.ts";
import { officialGrade, type OfficialOptions } from "./official.ts";
import { toGradescope } from "./gradescope_results.ts";
import { prepareSubmission, SubmissionRejected } from "./submission.ts";

/** How one submission ended. */
export type BatchStatus = "graded" | "rejected" | "error";

/** `reports/<id>.json`. */
export interface SubmissionRecord {
  /** The submission's id (its folder or zip name, made safe for file names). */
  id: string;
  /** The path it was read from. */
  source: string;
  /** `graded`, `rejected` (the submission is at fault) or `error` (the grader failed). */
  status: BatchStatus;
  /** Why it was rejected or failed. */
  reason: string;
  /** Remarks (missing files, wrong names). */
  notes: string[];
  /** sha-256 of the lesson files graded. */
  fingerprint: string;
  /** The seed it was graded at (replay with `--seed`). */
  seed: number;
  /** When it was graded (ISO 8601). */
  gradedAt: string;
  /** Seconds spent on it. */
  seconds: number;
  /** The grading report, when graded. */
  report?: GradeReport;
}

/** Options of {@linkcode gradeBatch}. */
export interface BatchOptions {
  /** The folder of submissions. */
  submissions: string;
  /** The output folder. */
  out: string;
  /** Submissions graded at once (default: the number of cores). */
  jobs?: number;
  /** Re-grade submissions that already have a report. */
  force?: boolean;
  /** The kit's root (the grader and the stubs in `lessons/`); default `.`. */
  kitRoot?: string;
  /** Seconds per lesson, passed to the grader. */
  timeout?: number;
  /** The seed (default: the one a resumed run recorded in `batch.json`, else a fresh one). */
  seed?: number;
  /** The lessons (default: the manifest's). */
  lessons?: readonly Lesson[];
  /** Called after each submission (for the progress display). */
  onDone?: (record: SubmissionRecord, done: number, total: number) => void;
  /** The grading function (default: {@linkcode officialGrade} in this process). */
  grade?: (options: OfficialOptions) => Promise<GradeReport>;
}

/** What {@linkcode gradeBatch} did. */
export interface BatchSummary {
  /** Submissions found. */
  total: number;
  /** Graded in this run. */
  graded: number;
  /** Skipped because already done. */
  skipped: number;
  /** Wall-clock seconds. */
  seconds: number;
  /** The seed of the run. */
  seed: number;
}

/** A file-name-safe, unique id for a submission entry name. */
export function submissionId(name: string, taken: Set<string>): string {
  const base = (name.toLowerCase().endsWith(".zip") ? name.slice(0, -4) : name)
    .replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\.+/, "_") || "_";
  let id = base;
  for (let k = 2; taken.has(id); k++) id = `${base}-${k}`;
  taken.add(id);
  return id;
}

/** The entry name (the source's last part) the report at `path` was graded from; undefined when unreadable. */
async function _recordedName(path: string): Promise<string | undefined> {
  try {
    const source = JSON.parse(await Deno.readTextFile(path)).source;
    return typeof source === "string" ? source.slice(source.lastIndexOf("/") + 1) : undefined;
  } catch {
    return undefined;
  }
}

/** Grades one submission and writes its results; never throws for the submission's faults. */
async function _gradeOne(
  id: string,
  source: string,
  o: Required<Pick<BatchOptions, "out" | "kitRoot" | "seed">> & BatchOptions & {
    reference: ReferenceCache;
    sandboxParent: string;
  },
  lessons: readonly Lesson[],
): Promise<SubmissionRecord> {
  const started = performance.now();
  const work = `${o.out}/.work/${id}`;
  const record: SubmissionRecord = {
    id,
    source,
    status: "graded",
    reason: "",
    notes: [],
    fingerprint: "",
    seed: o.seed,
    gradedAt: new Date().toISOString(),
    seconds: 0,
  };
  try {
    await Deno.remove(work, { recursive: true }).catch(() => {});
    const prepared = await prepareSubmission(source, work, {
      lessonFiles: lessons.map((l) => l.file),
      stubsDir: `${o.kitRoot}/lessons`,
    });
    record.notes = prepared.notes;
    record.fingerprint = prepared.fingerprint;
    const limit = ((o.timeout ?? 60) * lessons.length + 120) * 1000;
    const gradeFn = o.grade ?? officialGrade;
    record.report = await gradeFn({
      root: o.kitRoot,
      lessonsDir: await Deno.realPath(prepared.lessonsDir),
      timeout: o.timeout,
      seed: o.seed,
      signal: AbortSignal.timeout(limit),
      reference: o.reference,
      sandboxParent: o.sandboxParent,
      missing: prepared.missing,
    });
  } catch (e) {
    record.status = e instanceof SubmissionRejected ? "rejected" : "error";
    // A rejection quotes the submission's file names: escaped (grader/SECURITY.md).
    record.reason = e instanceof DOMException && e.name === "TimeoutError"
      ? "grading took longer than its overall time limit"
      : printable(String((e as Error)?.message));
  } finally {
    await Deno.remove(work, { recursive: true }).catch(() => {});
  }
  record.seconds = Math.round((performance.now() - started) / 10) / 100;
  const gs = toGradescope(record.report, lessons, {
    notes: record.notes,
    rejected: record.status === "graded" ? undefined : record.reason,
    executionTime: record.seconds,
  });
  await writeFileAtomic(`${o.out}/gradescope/${id}/results.json`, JSON.stringify(gs, null, 2) + "\n");
  await writeFileAtomic(`${o.out}/reports/${id}.json`, JSON.stringify(record, null, 2) + "\n");
  return record;
}

function _pts(n: number): string {
  return String(Math.round(n * 100) / 100);
}

/** The gradebook CSV of some records (sorted by id), a column per lesson. */
export function gradebookCsv(records: readonly SubmissionRecord[], lessons: readonly Lesson[]): string {
  const rows: string[][] = [[
    "submission",
    "status",
    "total",
    "max",
    ...lessons.map((l) => l.name),
    "seed",
    "notes",
  ]];
  for (const r of [...records].sort((a, b) => a.id.localeCompare(b.id))) {
    const rep = r.report;
    const byName = new Map(rep?.lessons.map((l) => [l.lesson, l]) ?? []);
    rows.push([
      r.id,
      r.status,
      rep ? _pts(rep.points) : "0",
      rep ? _pts(rep.max) : "",
      ...lessons.map((l) => {
        const x = byName.get(l.name);
        return x ? _pts(x.points) : "";
      }),
      String(r.seed ?? ""),
      [r.reason, ...r.notes].filter((s) => s).join("; "),
    ]);
  }
  return stringify(rows);
}

async function _writeGradebook(out: string, lessons: readonly Lesson[]): Promise<void> {
  const records: SubmissionRecord[] = [];
  for await (const e of Deno.readDir(`${out}/reports`)) {
    if (!e.isFile || !e.name.endsWith(".json") || e.name.startsWith(".")) continue;
    try {
      records.push(JSON.parse(await Deno.readTextFile(`${out}/reports/${e.name}`)));
    } catch {
      // A report is written atomically, so this is a file someone else put there: skip it.
    }
  }
  await writeFileAtomic(`${out}/gradebook.csv`, gradebookCsv(records, lessons));
}

/** Grades every submission of `options.submissions`; see the module doc. */
export async function gradeBatch(options: BatchOptions): Promise<BatchSummary> {
  const started = performance.now();
  const kitRoot = resolve(options.kitRoot ?? ".");
  await Deno.mkdir(options.out, { recursive: true });
  const seed = options.seed ?? (options.force ? undefined : await _recordedSeed(options.out)) ?? freshSeed();
  await writeFileAtomic(
    `${options.out}/batch.json`,
    JSON.stringify({ seed, started: new Date().toISOString(), kit: kitRoot }, null, 2) + "\n",
  );
  const sandboxParent = await Deno.makeTempDir({ prefix: "gradlings-batch-" });
  const o = { ...options, kitRoot, seed, reference: new ReferenceCache(kitRoot), sandboxParent };
  const lessons = o.lessons ?? LESSONS;
  const jobs = Math.max(1, o.jobs ?? navigator.hardwareConcurrency ?? 2);
  const entries: string[] = [];
  for await (const e of Deno.readDir(o.submissions)) {
    if (!e.name.startsWith(".")) entries.push(e.name);
  }
  entries.sort();
  await Deno.mkdir(`${o.out}/reports`, { recursive: true });
  await sweepTempFiles(`${o.out}/reports`);
  await sweepTempFiles(o.out);
  await Deno.remove(`${o.out}/.work`, { recursive: true }).catch(() => {});

  // An id depends on the names sorted before it ("a b" and "a_b" are a_b and a_b-2), so an entry added since
  // an earlier run could be given an id whose report is another entry's: that report would count as its
  // own and it would never be graded. An entry keeps the id of the report read from it; a new one gets an
  // id no report holds.
  const taken = new Set<string>();
  const earlier = new Map<string, string>();
  const names = new Set(entries);
  for await (const e of Deno.readDir(`${o.out}/reports`)) {
    if (!e.isFile || !e.name.endsWith(".json") || e.name.startsWith(".")) continue;
    const id = e.name.slice(0, -".json".length);
    taken.add(id);
    const name = await _recordedName(`${o.out}/reports/${e.name}`);
    if (name !== undefined && names.has(name) && !earlier.has(name)) earlier.set(name, id);
  }
  const todo: [string, string][] = [];
  let skipped = 0;
  for (const name of entries) {
    const known = earlier.get(name);
    if (known !== undefined && !o.force) skipped++;
    else todo.push([known ?? submissionId(name, taken), `${o.submissions}/${name}`]);
  }
  let done = 0;
  let next = 0;
  let writing = Promise.resolve();
  const worker = async () => {
    while (next < todo.length) {
      const [id, source] = todo[next++];
      const record = await _gradeOne(id, source, o, lessons);
      done++;
      writing = writing.then(() => _writeGradebook(o.out, lessons));
      o.onDone?.(record, done, todo.length);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(jobs, todo.length) }, worker));
  } finally {
    await Deno.remove(sandboxParent, { recursive: true }).catch(() => {});
  }
  await writing;
  await _writeGradebook(o.out, lessons);
  return {
    total: entries.length,
    graded: todo.length,
    skipped,
    seconds: (performance.now() - started) / 1000,
    seed,
  };
}

/** The seed an earlier run of this batch recorded, so a resumed run grades the rest alike. */
async function _recordedSeed(out: string): Promise<number | undefined> {
  try {
    const seed = JSON.parse(await Deno.readTextFile(`${out}/batch.json`)).seed;
    return Number.isSafeInteger(seed) ? seed : undefined;
  } catch {
    return undefined;
  }
}

const USAGE =
  `Usage: deno task grade-batch <submissions> --out <dir> [--jobs N] [--force] [--timeout S] [--seed N]`;

function _parse(args: string[]): BatchOptions {
  const o: Partial<BatchOptions> = {};
  const num = (flag: string, v: string | undefined, min: number) => {
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n) || n < min) {
      throw new RangeError(`${flag} expects a number ≥ ${min}, received ${v ?? "nothing"}`);
    }
    return n;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--out") o.out = args[++i];
    else if (a === "--jobs" || a === "-j") o.jobs = Math.floor(num(a, args[++i], 1));
    else if (a === "--timeout") o.timeout = num(a, args[++i], 1);
    else if (a === "--seed") o.seed = Math.floor(num(a, args[++i], 0));
    else if (a === "--force") o.force = true;
    else if (a.startsWith("-")) throw new TypeError(`Unknown option ${a}\n${USAGE}`);
    else if (o.submissions === undefined) o.submissions = a;
    else throw new TypeError(`Unexpected argument ${a}\n${USAGE}`);
  }
  if (!o.submissions || !o.out) throw new TypeError(USAGE);
  return o as BatchOptions;
}

if (import.meta.main) {
  killAllOnSignals();
  try {
    const options = _parse(Deno.args);
    const tty = Deno.stderr.isTerminal();
    const bar = tty
      ? new cliProgress.SingleBar({
        format: "grading {bar} {value}/{total} submissions · {percentage}% · ETA {eta_formatted} · {last}",
        etaBuffer: 8,
        stream: { write: (s: string) => Deno.stderr.writeSync(new TextEncoder().encode(s)), isTTY: true },
      }, cliProgress.Presets.shades_classic)
      : undefined;
    let started = false;
    const summary = await gradeBatch({
      ...options,
      onDone: (r, done, total) => {
        const line = `${r.id}: ${r.status}${
          r.report ? ` ${_pts(r.report.points)}/${_pts(r.report.max)}` : ""
        }${r.reason ? ` (${r.reason})` : ""}`;
        if (bar) {
          if (!started) bar.start(total, 0, { last: "" });
          started = true;
          bar.update(done, { last: line.slice(0, 60) });
        } else console.log(`[${done}/${total}] ${line}`);
      },
    });
    bar?.stop();
    const rate = summary.graded / (summary.seconds / 60);
    console.log(
      `${summary.graded} graded, ${summary.skipped} already done (use --force to re-grade), ` +
        `${summary.total} in all, in ${summary.seconds.toFixed(1)} s` +
        (summary.graded ? ` (${rate.toFixed(1)} submissions/minute)` : ""),
    );
    console.log(
      `Gradebook: ${options.out}/gradebook.csv (seed ${summary.seed}; replay with --seed ${summary.seed})`,
    );
  } catch (e) {
    console.error((e as Error).message);
    Deno.exit(2);
  }
}
