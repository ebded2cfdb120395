/**
 * Helpers of the grader's proof tests: stage lesson files into a lessons
 * folder under `.gradlings/proof/` (the same depth as `grader/testdata/<kind>/<lesson>/`,
 * so their `../../../../lib/` imports resolve to the kit's lib unchanged) and
 * read the expectations a testdata file states in its header comments
 * (`// @fails id, id`, `// @diagnosis text`, `// @status s`, `// @message text`, `// @score n`).
 *
 * @module
 */

import { join } from "node:path";
import { KIT_DIR } from "./grade.ts";

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

/** A lesson file from `grader/testdata/<kind>/<lesson>/`, with its helper import pointed at the staged folder. */
export function stagedText(text: string): string {
  return text.replaceAll('"../../../../lessons/_check.ts"', '"./_check.ts"');
}

/**
 * Writes `files` (lesson name → source) and the lessons' `_check.ts` into
 * `.gradlings/proof/<name>/lessons/` (emptied first) and returns that folder.
 */
export function stage(name: string, files: Record<string, string>): string {
  const dir = join(KIT_DIR, ".gradlings", "proof", name, "lessons");
  try {
    Deno.removeSync(dir, { recursive: true });
  } catch { /* first time */ }
  return write(dir, files);
}

function write(dir: string, files: Record<string, string>): string {
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
