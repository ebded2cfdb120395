/**
 * Turns one student submission (a folder, a `.zip` of one, or a notebook) into
 * a clean `lessons/` folder to grade, or refuses it with a reason for the
 * gradebook.
 *
 * Only the student's lesson `.ts` files are taken; `mod.ts` and any missing
 * lesson come from the instructor's stubs, so a student cannot re-wire the
 * exports, and a missing file costs that lesson only. Refused outright: an
 * archive that escapes its folder, a symlink that points outside the
 * submission, a file or a total over budget, and a submission with no lesson
 * file at all. Imports are the grader's to judge, per lesson, in its sandbox.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findLessonsDir } from "./submission.ts";
 * const files = new Map([["alice/lessons/linear.ts", new Uint8Array()], ["alice/notes.txt", new Uint8Array()]]);
 * assert.equal(findLessonsDir(files, ["linear.ts", "relu.ts"]).dir, "alice/lessons");
 * ```
 *
 * @module
 */

import { printable } from "../grader/probes/printable.ts";
import { ArchiveRejected, DEFAULT_ZIP_LIMITS, readZip, type ZipLimits } from "./zip_reader.ts";
import { type Extraction, fillFromStubs, NotebookError } from "../notebook/extract.ts";
import { extractIsolated } from "../notebook/extract_isolated.ts";

/** A submission that cannot be graded; `message` is the reason the gradebook shows. */
export class SubmissionRejected extends Error {
  /** @param reason Why, e.g. `lessons/linear.ts is a symlink to a path outside the submission`. */
  constructor(reason: string) {
    super(reason);
    this.name = "SubmissionRejected";
  }
}

/** Folders of a student's checkout that are never part of a submission (Jupyter's autosaves included). */
const SKIPPED_DIRS = new Set([".git", "node_modules", ".gradlings", "__MACOSX", ".ipynb_checkpoints"]);

/** A notebook's file name. */
const NOTEBOOK = /\.ipynb$/i;

function _size(n: number): string {
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(1)} GiB`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  return `${(n / 1024).toFixed(1)} KiB`;
}

async function _readFolder(root: string, limits: ZipLimits): Promise<Map<string, Uint8Array>> {
  const realRoot = await Deno.realPath(root);
  const files = new Map<string, Uint8Array>();
  let total = 0;
  let count = 0;
  const walk = async (dir: string, rel: string) => {
    for await (const entry of Deno.readDir(dir)) {
      if (SKIPPED_DIRS.has(entry.name)) continue;
      const path = `${dir}/${entry.name}`;
      const shown = rel ? `${rel}/${entry.name}` : entry.name;
      if (++count > limits.maxEntries) {
        throw new SubmissionRejected(`the submission has more than ${limits.maxEntries} files and folders`);
      }
      let info = await Deno.lstat(path);
      if (info.isSymlink) {
        let target: string;
        try {
          target = await Deno.realPath(path);
        } catch {
          throw new SubmissionRejected(`${shown} is a broken symlink`);
        }
        if (target !== realRoot && !target.startsWith(realRoot + "/")) {
          throw new SubmissionRejected(`${shown} is a symlink to a path outside the submission`);
        }
        info = await Deno.stat(path);
        if (info.isDirectory) continue; // a link to a folder inside: its files are read where they live
      }
      if (info.isDirectory) {
        await walk(path, shown);
      } else if (info.isFile) {
        if (info.size > limits.maxFileBytes) {
          throw new SubmissionRejected(
            `${shown} is ${_size(info.size)}, more than the ${_size(limits.maxFileBytes)} allowed`,
          );
        }
        total += info.size;
        if (total > limits.maxTotalBytes) {
          throw new SubmissionRejected(
            `the submission is more than the ${_size(limits.maxTotalBytes)} allowed`,
          );
        }
        files.set(shown, await Deno.readFile(path));
      }
    }
  };
  await walk(realRoot, "");
  return files;
}

/**
 * Reads every file of a submission (a folder or a `.zip`) into memory within
 * `limits`, skipping `.git`, `node_modules` and `.gradlings`. Paths are relative
 * with forward slashes. Throws {@linkcode SubmissionRejected} with a reason.
 */
export async function readSubmission(
  source: string,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
): Promise<Map<string, Uint8Array>> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.lstat(source);
  } catch {
    throw new SubmissionRejected(`${source} does not exist`);
  }
  if (info.isSymlink) throw new SubmissionRejected(`the submission itself is a symlink`);
  if (info.isDirectory) return await _readFolder(source, limits);
  if (!info.isFile || !/\.(zip|ipynb)$/i.test(source)) {
    throw new SubmissionRejected(`expected a folder, a .zip or a .ipynb file, received ${source}`);
  }
  if (NOTEBOOK.test(source)) {
    if (info.size > limits.maxFileBytes) {
      throw new SubmissionRejected(
        `the notebook is ${_size(info.size)}, more than the ${_size(limits.maxFileBytes)} allowed`,
      );
    }
    return new Map([[source.slice(source.lastIndexOf("/") + 1), await Deno.readFile(source)]]);
  }
  if (info.size > limits.maxTotalBytes) {
    throw new SubmissionRejected(
      `the archive is ${_size(info.size)}, more than the ${_size(limits.maxTotalBytes)} allowed`,
    );
  }
  try {
    const files = new Map<string, Uint8Array>();
    for (const entry of readZip(await Deno.readFile(source), limits)) {
      const top = entry.path.split("/");
      if (entry.kind === "file" && !top.some((p) => SKIPPED_DIRS.has(p))) files.set(entry.path, entry.data);
    }
    return files;
  } catch (e) {
    if (e instanceof ArchiveRejected) throw new SubmissionRejected(e.message);
    throw e;
  }
}

/** Where the lesson files of a submission are, and what was odd about them. */
export interface LessonsLocation {
  /** The folder holding the lesson files, relative (`""` for the top). */
  dir: string;
  /** Lesson files found there (base names). */
  found: string[];
  /** Remarks for the gradebook: missing files, wrong names. */
  notes: string[];
}

/**
 * Finds the folder of a submission that holds the lesson files: the one with
 * the most of them (a `lessons/` folder wins a tie, then the shallowest), so a
 * zip of the whole checkout, of `lessons/` alone, or of loose files all work.
 * Throws {@linkcode SubmissionRejected} when no lesson file is anywhere, naming
 * near misses (`Linear.ts`).
 */
export function findLessonsDir(
  files: Map<string, Uint8Array>,
  lessonFiles: readonly string[],
): LessonsLocation {
  const wanted = new Set(lessonFiles);
  const byDir = new Map<string, string[]>();
  for (const path of files.keys()) {
    const slash = path.lastIndexOf("/");
    const dir = slash < 0 ? "" : path.slice(0, slash);
    const base = path.slice(slash + 1);
    if (wanted.has(base)) byDir.set(dir, [...(byDir.get(dir) ?? []), base]);
  }
  const lower = new Map(lessonFiles.map((f) => [f.toLowerCase(), f]));
  const nearMisses = [...files.keys()].filter((p) => {
    const base = p.slice(p.lastIndexOf("/") + 1);
    return !wanted.has(base) && lower.has(base.toLowerCase());
  });
  if (byDir.size === 0) {
    const tsFiles = [...files.keys()].filter((p) => p.endsWith(".ts")).slice(0, 5);
    const seen = nearMisses.length ? nearMisses : tsFiles;
    throw new SubmissionRejected(
      `no lesson file found (expected lessons/${lessonFiles[0]} and the like)` +
        (seen.length ? `; found ${seen.join(", ")}` : "; the submission holds no .ts file") +
        (nearMisses.length ? " (names are case-sensitive)" : ""),
    );
  }
  const score = (dir: string) => [
    byDir.get(dir)!.length,
    dir === "lessons" || dir.endsWith("/lessons") ? 1 : 0,
    -dir.split("/").length,
  ];
  const dir = [...byDir.keys()].sort((a, b) => {
    const [x, y] = [score(a), score(b)];
    return y[0] - x[0] || y[1] - x[1] || y[2] - x[2] || a.localeCompare(b);
  })[0];
  const found = byDir.get(dir)!;
  const notes: string[] = [];
  const missing = lessonFiles.filter((f) => !found.includes(f));
  if (missing.length) notes.push(`missing ${missing.join(", ")} (graded as not started)`);
  for (const miss of nearMisses) {
    notes.push(
      `${miss} is not graded: the file must be named ${
        lower.get(miss.slice(miss.lastIndexOf("/") + 1).toLowerCase())
      }`,
    );
  }
  return { dir, found, notes };
}

/** What {@linkcode prepareSubmission} made. */
export interface PreparedSubmission {
  /** The `lessons/` folder written, ready to grade. */
  lessonsDir: string;
  /** Remarks for the gradebook (missing files, wrong names), printable; empty when all is well. */
  notes: string[];
  /** sha-256 of the lesson files taken (paths and bytes), to tell a changed submission from a graded one. */
  fingerprint: string;
  /** Lesson files the submission did not hold (filled from the stubs: nothing to grade). */
  missing: string[];
}

/**
 * Reads `source`, finds its lesson files, checks their imports and writes
 * `<workDir>/lessons/`: the student's `.ts` files from the lessons folder, then
 * the kit's own files (`mod.ts`, `_*.ts` helpers) and every missing lesson
 * file from `stubsDir`.
 *
 * A notebook submission (a `.ipynb` file, or a folder or zip holding one) is
 * graded from the notebook's lesson cells (`notebook/extract.ts`) when it has
 * no lesson files, or only the untouched stubs (a whole checkout of a student
 * who worked in the notebook); lesson files that differ from the stubs win,
 * with a note naming the notebook left aside.
 */
export async function prepareSubmission(
  source: string,
  workDir: string,
  options: { lessonFiles: readonly string[]; stubsDir: string; limits?: ZipLimits },
): Promise<PreparedSubmission> {
  const prepared = await _prepare(source, workDir, options);
  // Notes quote the submission's file names (a zip's entry names are any bytes): escaped like every
  // other text a student controls (grader/SECURITY.md), for every caller.
  return { ...prepared, notes: prepared.notes.map(printable) };
}

/** {@linkcode prepareSubmission}, with the notes as found. */
async function _prepare(
  source: string,
  workDir: string,
  options: { lessonFiles: readonly string[]; stubsDir: string; limits?: ZipLimits },
): Promise<PreparedSubmission> {
  const files = await readSubmission(source, options.limits);
  const notebooks = [...files.keys()].filter((p) => NOTEBOOK.test(p)).sort();
  let where: LessonsLocation | undefined;
  try {
    where = findLessonsDir(files, options.lessonFiles);
  } catch (e) {
    if (!(e instanceof SubmissionRejected) || notebooks.length === 0) throw e;
  }
  const decoder = new TextDecoder();
  if (notebooks.length > 0) {
    const untouched = where === undefined ||
      await _allStubs(files, where, options.stubsDir, decoder);
    if (untouched) return await _prepareNotebook(files, notebooks, workDir, options);
    where!.notes.push(`${notebooks.join(", ")} not graded: the edited lesson files were`);
  }
  const found = where!;
  const prefix = found.dir ? found.dir + "/" : "";
  const taken = [...files.keys()]
    .filter((p) => p.startsWith(prefix) && p.endsWith(".ts") && p.slice(prefix.length) !== "mod.ts")
    .sort();
  // What a lesson imports is the grader's to judge, lesson by lesson, in its sandbox (grader/SECURITY.md):
  // a forbidden import costs that lesson, not the whole submission.
  const lessonsDir = `${workDir}/lessons`;
  await Deno.mkdir(lessonsDir, { recursive: true });
  for (const p of taken) {
    const rel = p.slice(prefix.length);
    const out = `${lessonsDir}/${rel}`;
    await Deno.mkdir(out.slice(0, out.lastIndexOf("/")), { recursive: true });
    await Deno.writeFile(out, files.get(p)!);
  }
  // The kit's own files in lessons/ (mod.ts and helpers such as _check.ts) always come from the
  // instructor's copy: students rarely submit them, and an edited copy must not change what is graded.
  await fillFromStubs(lessonsDir, options.stubsDir, options.lessonFiles, found.found);
  return {
    lessonsDir,
    notes: found.notes,
    fingerprint: await _fingerprint(taken, files),
    missing: options.lessonFiles.filter((f) => !found.found.includes(f)),
  };
}

/** True when every lesson file found is byte for byte its stub (the student worked elsewhere). */
async function _allStubs(
  files: Map<string, Uint8Array>,
  where: LessonsLocation,
  stubsDir: string,
  decoder: TextDecoder,
): Promise<boolean> {
  const prefix = where.dir ? where.dir + "/" : "";
  for (const f of where.found) {
    const stub = await Deno.readTextFile(`${stubsDir}/${f}`).catch(() => undefined);
    if (stub !== decoder.decode(files.get(prefix + f))) return false;
  }
  return true;
}

/** The lessons folder of a notebook submission; see {@linkcode prepareSubmission}. */
async function _prepareNotebook(
  files: Map<string, Uint8Array>,
  notebooks: string[],
  workDir: string,
  options: { lessonFiles: readonly string[]; stubsDir: string },
): Promise<PreparedSubmission> {
  const decoder = new TextDecoder();
  let chosen = notebooks;
  if (chosen.length > 1) {
    chosen = notebooks.filter((p) => decoder.decode(files.get(p)).includes("gradlings:lesson="));
  }
  if (chosen.length !== 1) {
    throw new SubmissionRejected(
      `the submission holds ${notebooks.length} notebooks (${notebooks.join(", ")}): expected one, ` +
        "the one with the cells tagged gradlings:lesson=<name>",
    );
  }
  const path = chosen[0];
  let extraction: Extraction;
  try {
    extraction = await extractIsolated(decoder.decode(files.get(path)), path);
  } catch (e) {
    if (e instanceof NotebookError) throw new SubmissionRejected(e.message);
    throw e;
  }
  const lessonsDir = `${workDir}/lessons`;
  await Deno.mkdir(lessonsDir, { recursive: true });
  const written: string[] = [];
  for (const [lesson, code] of extraction.files) {
    const file = `${lesson}.ts`;
    if (!options.lessonFiles.includes(file)) continue;
    await Deno.writeTextFile(`${lessonsDir}/${file}`, code);
    written.push(file);
  }
  await fillFromStubs(lessonsDir, options.stubsDir, options.lessonFiles, written);
  const missing = options.lessonFiles.filter((f) => !written.includes(f));
  const notes = [
    `graded from the notebook ${path}`,
    ...extraction.notes.filter((n) => !/^no cell defines .*, as not started$/.test(n)),
    ...(missing.length ? [`missing ${missing.join(", ")} (graded as not started)`] : []),
  ];
  return { lessonsDir, notes, fingerprint: await _fingerprint([path], files), missing };
}

async function _fingerprint(paths: string[], files: Map<string, Uint8Array>): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", _concat(paths, files)));
  return [...hash].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function _concat(paths: string[], files: Map<string, Uint8Array>): Uint8Array<ArrayBuffer> {
  const enc = new TextEncoder();
  const chunks = paths.flatMap((p) => [enc.encode(`${p}\0${files.get(p)!.length}\0`), files.get(p)!]);
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
