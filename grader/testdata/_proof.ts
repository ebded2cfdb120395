/**
 * Helpers of the grader's proof tests: stage lesson files into a lessons
 * folder in a temporary directory (outside the repository, so the
 * repository's own checks never see them; the copy's `../lib/` is mapped onto
 * the kit's lib as for any copy graded from elsewhere), and read the
 * expectations a testdata file states in its header comments
 * (`// @fails id, id`, `// @diagnosis text`, `// @status s`, `// @message text`, `// @score n`).
 *
 * @module
 */

import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { KIT_DIR } from "../grade.ts";

/** What a testdata file says should happen to it. */
export interface Expectation {
  /** Checks that must fail. */
  readonly fails: string[];
  /** Text the diagnosis of one of those checks must contain. */
  readonly diagnosis?: string;
  /** The lesson's status. */
  readonly status?: string;
  /** Text the lesson's (or a check's) message must contain. */
  readonly message?: string;
  /** The lesson's score. */
  readonly score?: number;
}

/** Reads the `// @…` header of a testdata file. */
export function expectationOf(text: string): Expectation {
  const tag = (name: string) => new RegExp(`^// @${name} (.*)$`, "m").exec(text)?.[1].trim();
  const score = tag("score");
  return {
    fails: (tag("fails") ?? "").split(",").map((s) => s.trim()).filter(Boolean),
    diagnosis: tag("diagnosis"),
    status: tag("status"),
    message: tag("message"),
    score: score === undefined ? undefined : Number(score),
  };
}

/**
 * A lesson file from `grader/testdata/<kind>/<lesson>/`, its imports pointed
 * at the staged folder (`../lib/`, `./_check.ts`) and at the kit's own
 * `grader/` and `solutions/` (what hostile files reach for).
 */
export function stagedText(text: string): string {
  const kit = pathToFileURL(KIT_DIR).href;
  return text
    .replaceAll('"../../../../lessons/_check.ts"', '"./_check.ts"')
    .replaceAll('"../../../../lib/', '"../lib/')
    .replaceAll('"../../../../grader/', `"${kit}/grader/`)
    .replaceAll('"../../../../solutions/', `"${kit}/solutions/`);
}

let root: string | undefined;

/**
 * Writes `files` (lesson name → source) and the lessons' `_check.ts` into
 * `<temporary directory>/<name>/lessons/` and returns that folder. The
 * temporary directory is removed when the test process ends.
 */
export function stage(name: string, files: Record<string, string>): string {
  if (!root) {
    root = Deno.makeTempDirSync({ prefix: "gradlings-proof-" });
    const dir = root;
    globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
  }
  const dir = join(root, name, "lessons");
  Deno.mkdirSync(dir, { recursive: true });
  Deno.copyFileSync(join(KIT_DIR, "solutions", "_check.ts"), join(dir, "_check.ts"));
  for (const [lesson, text] of Object.entries(files)) Deno.writeTextFileSync(join(dir, `${lesson}.ts`), text);
  return dir;
}

/** Every `grader/testdata/<kind>/<lesson>/<name>.ts`: lesson, name, text. */
export function testdata(kind: string): { lesson: string; name: string; text: string }[] {
  const root = join(KIT_DIR, "grader", "testdata", kind);
  const out: { lesson: string; name: string; text: string }[] = [];
  for (const d of [...Deno.readDirSync(root)].sort((a, b) => a.name.localeCompare(b.name))) {
    if (!d.isDirectory) continue;
    for (const f of [...Deno.readDirSync(join(root, d.name))].sort((a, b) => a.name.localeCompare(b.name))) {
      if (!f.name.endsWith(".ts")) continue;
      out.push({
        lesson: d.name,
        name: f.name.slice(0, -3),
        text: Deno.readTextFileSync(join(root, d.name, f.name)),
      });
    }
  }
  return out;
}

/** Groups entries into sets holding at most one file per lesson, so one run grades many. */
export function intoSets<T extends { lesson: string }>(entries: readonly T[]): T[][] {
  const sets: T[][] = [];
  for (const e of entries) {
    let set = sets.find((s) => !s.some((x) => x.lesson === e.lesson));
    if (!set) sets.push(set = []);
    set.push(e);
  }
  return sets;
}
