/**
 * `deno task reset <lesson>`: puts the lesson's original stub back, after a
 * confirmation, keeping a backup of the student's file;
 * `deno task reset --undo [lesson]` brings the latest backup back.
 *
 * The stub comes from `workflow/stubs/` (written by the release) or, in the
 * instructor's kit, from `instructor/make_lessons.ts --out`. Backups are kept
 * in `.gradlings/backups/<lesson>/`, newest last.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resetLesson, undoReset } from "./reset.ts";
 * const root = await Deno.makeTempDir();
 * await Deno.mkdir(`${root}/lessons`);
 * await Deno.mkdir(`${root}/workflow/stubs`, { recursive: true });
 * await Deno.writeTextFile(`${root}/workflow/stubs/relu.ts`, "// stub\n");
 * await Deno.writeTextFile(`${root}/lessons/relu.ts`, "// my work\n");
 * await resetLesson(root, "relu.ts", "relu");
 * assert.equal(await Deno.readTextFile(`${root}/lessons/relu.ts`), "// stub\n");
 * await undoReset(root, "relu", "relu.ts");
 * assert.equal(await Deno.readTextFile(`${root}/lessons/relu.ts`), "// my work\n");
 * await Deno.remove(root, { recursive: true });
 * ```
 *
 * @module
 */

import chalk from "chalk";
import { findLesson } from "../grader/manifest.ts";
import { writeFileAtomic } from "./atomic_write.ts";

/** Where backups go, relative to the kit's root. */
export const BACKUP_DIR = ".gradlings/backups";

/** The original stub of lesson file `file` (e.g. `linear.ts`). */
export async function stubOf(root: string, file: string): Promise<string> {
  try {
    return await Deno.readTextFile(`${root}/workflow/stubs/${file}`);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const maker = `${root}/instructor/make_lessons.ts`;
  const out = `${root}/.gradlings/stubs-${Deno.pid}`;
  try {
    await Deno.stat(maker);
    const run = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--quiet", "--allow-read", "--allow-write", maker, "--out", out],
      cwd: root,
      stdout: "null",
      stderr: "piped",
    }).output();
    if (!run.success) throw new Error(new TextDecoder().decode(run.stderr));
    return await Deno.readTextFile(`${out}/${file}`);
  } catch (e) {
    throw new Error(
      `Cannot find the original stub of lessons/${file}: ${(e as Error).message.split("\n")[0]}`,
    );
  } finally {
    await Deno.remove(out, { recursive: true }).catch(() => {});
  }
}

async function _backups(root: string, lesson: string): Promise<string[]> {
  try {
    const names: string[] = [];
    for await (const e of Deno.readDir(`${root}/${BACKUP_DIR}/${lesson}`)) {
      if (e.isFile && e.name.endsWith(".ts")) names.push(e.name);
    }
    return names.sort();
  } catch {
    return [];
  }
}

function _stamp(): string {
  return new Date().toISOString().replaceAll(":", "-").replace(/\.\d+Z$/, "Z");
}

/**
 * Backs up `lessons/<file>` and writes the stub over it. Returns the backup's
 * path, or undefined when the file already was the stub (nothing done).
 */
export async function resetLesson(root: string, file: string, lesson: string): Promise<string | undefined> {
  const path = `${root}/lessons/${file}`;
  const stub = await stubOf(root, file);
  let current: string | undefined;
  try {
    current = await Deno.readTextFile(path);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  if (current === stub) return undefined;
  let backup: string | undefined;
  if (current !== undefined) {
    const n = (await _backups(root, lesson)).length;
    backup = `${root}/${BACKUP_DIR}/${lesson}/${String(n + 1).padStart(4, "0")}-${_stamp()}.ts`;
    await writeFileAtomic(backup, current);
  }
  await writeFileAtomic(path, stub);
  return backup;
}

/**
 * Restores the newest backup of `lesson` over `lessons/<file>` and removes it
 * from the backups (so a second undo goes one further back). Returns the
 * restored backup's name; throws a `RangeError` when there is none.
 */
export async function undoReset(root: string, lesson: string, file: string): Promise<string> {
  const backups = await _backups(root, lesson);
  const newest = backups.at(-1);
  if (newest === undefined) {
    throw new RangeError(`No backup of ${lesson} to restore: reset was never run on it`);
  }
  const from = `${root}/${BACKUP_DIR}/${lesson}/${newest}`;
  await writeFileAtomic(`${root}/lessons/${file}`, await Deno.readTextFile(from));
  await Deno.remove(from);
  return newest;
}

/** The lesson reset most recently (whose newest backup is the newest of all). */
export async function lastResetLesson(root: string): Promise<string | undefined> {
  let best: [string, string] | undefined;
  try {
    for (const dir of Deno.readDirSync(`${root}/${BACKUP_DIR}`)) {
      if (!dir.isDirectory) continue;
      const newest = (await _backups(root, dir.name)).at(-1);
      const stamp = newest?.slice(5);
      if (stamp && (!best || stamp > best[1])) best = [dir.name, stamp];
    }
  } catch {
    return undefined;
  }
  return best?.[0];
}

/** Asks a yes/no question on stdout and reads the answer line from stdin (a terminal or a pipe). */
async function _ask(question: string): Promise<boolean> {
  await Deno.stdout.write(new TextEncoder().encode(`${question} [y/N] `));
  const buf = new Uint8Array(256);
  const n = await Deno.stdin.read(buf);
  const answer = n === null ? "" : new TextDecoder().decode(buf.subarray(0, n)).trim().toLowerCase();
  return answer === "y" || answer === "yes";
}

const USAGE =
  `Usage: deno task reset <lesson> [--yes]   restore the lesson's original stub (your file is backed up)
       deno task reset --undo [<lesson>]   bring back the file the last reset replaced`;

async function main(args: string[]): Promise<number> {
  const undo = args.includes("--undo");
  const yes = args.includes("--yes") || args.includes("-y");
  const unknown = args.filter((a) => a.startsWith("-") && !["--undo", "--yes", "-y"].includes(a));
  const names = args.filter((a) => !a.startsWith("-"));
  if (unknown.length || names.length > 1 || (!undo && names.length === 0)) {
    console.error(USAGE);
    return 2;
  }
  const root = ".";
  const name = names[0] ?? await lastResetLesson(root);
  if (name === undefined) {
    console.error("Nothing to undo: reset was never run");
    return 1;
  }
  const lesson = findLesson(name);
  if (undo) {
    const restored = await undoReset(root, lesson.name, lesson.file);
    console.log(`Restored lessons/${lesson.file} from the backup ${restored}`);
    return 0;
  }
  if (!yes) {
    const ok = await _ask(
      `Replace lessons/${lesson.file} with the original stub? Your file is backed up; ` +
        `"deno task reset --undo ${lesson.name}" brings it back.`,
    );
    if (!ok) {
      console.log("Nothing changed.");
      return 1;
    }
  }
  const backup = await resetLesson(root, lesson.file, lesson.name);
  if (backup === undefined) {
    console.log(`lessons/${lesson.file} already is the original stub: nothing to do.`);
  } else {
    console.log(
      `lessons/${lesson.file} is the original stub again. Your file is saved as ${backup.slice(2)}`,
    );
    console.log(`Undo with: deno task reset --undo ${lesson.name}`);
  }
  return 0;
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (e) {
    console.error(chalk.red((e as Error).message));
    Deno.exit(1);
  }
}
