/**
 * `deno task hint [lesson]`: the hints of a lesson, revealed one more per
 * call. The first only nudges; the last nearly gives the idea, never the code.
 * Without a lesson name, the current lesson (the first not yet passed) is used.
 *
 * Hints live in `workflow/hints/<lesson>.md`, one `## ` section per hint. How
 * many are revealed is kept in `.gradlings/hints.json`: editing it only shows
 * hints sooner, it changes no grade.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseHints } from "./hint.ts";
 * assert.deepEqual(parseHints("# Hints\n\n## 1\n\nLook at the shapes.\n\n## 2\n\nTranspose W.\n"), [
 *   "Look at the shapes.",
 *   "Transpose W.",
 * ]);
 * ```
 *
 * @module
 */

import chalk from "chalk";
import { findLesson, LESSONS } from "../grader/manifest.ts";
import { writeFileAtomic } from "./atomic_write.ts";
import { currentLesson } from "./progress.ts";
import { grade } from "./report.ts";

/** Where the reveal counts are kept, relative to the kit's root. */
export const HINT_STATE = ".gradlings/hints.json";

/** The hints of a hints file: the body of each `## ` section, in order. */
export function parseHints(markdown: string): string[] {
  return markdown.split(/^## .*$/m).slice(1).map((s) => s.trim()).filter((s) => s !== "");
}

/** The hints of lesson `name` (from `<root>/workflow/hints/<name>.md`). */
export async function loadHints(name: string, root = "."): Promise<string[]> {
  return parseHints(await Deno.readTextFile(`${root}/workflow/hints/${name}.md`));
}

async function _readState(path: string): Promise<Record<string, number>> {
  try {
    const state = JSON.parse(await Deno.readTextFile(path));
    return typeof state === "object" && state !== null ? state : {};
  } catch {
    return {};
  }
}

/**
 * Reveals one more hint of lesson `name` and returns the hints revealed so far
 * (all of them once every hint is out) and how many there are.
 */
export async function revealHint(
  name: string,
  root = ".",
): Promise<{ revealed: string[]; total: number; isNew: boolean }> {
  const hints = await loadHints(name, root);
  const statePath = `${root}/${HINT_STATE}`;
  const state = await _readState(statePath);
  const before = Math.max(0, Math.min(hints.length, Math.floor(Number(state[name]) || 0)));
  const after = Math.min(hints.length, before + 1);
  state[name] = after;
  await writeFileAtomic(statePath, JSON.stringify(state, null, 2) + "\n");
  return { revealed: hints.slice(0, after), total: hints.length, isNew: after > before };
}

/** The text `deno task hint` prints: earlier hints dimmed, the newest bright. */
export function formatHints(
  name: string,
  revealed: string[],
  total: number,
  isNew: boolean,
  again = "Run the same command again for the next hint.",
): string {
  const lines = revealed.map((h, i) => {
    const head = `Hint ${i + 1} of ${total}`;
    const last = i === revealed.length - 1;
    return last ? `${chalk.bold.cyan(head)}\n${h}` : chalk.dim(`${head}\n${h}`);
  });
  if (!isNew || revealed.length === total) {
    lines.push(
      chalk.dim(
        `That is every hint for ${name}; the guide lessons/${name}.md sets up the derivation, and deno task grade ${name} checks your result.`,
      ),
    );
  } else {
    lines.push(chalk.dim(again));
  }
  return lines.join("\n\n");
}

if (import.meta.main) {
  let name = Deno.args.find((a) => !a.startsWith("-"));
  try {
    if (name === undefined) {
      name = currentLesson(await grade(), LESSONS)?.name;
      if (name === undefined) {
        console.log("Every lesson passes: no hint needed. Train your network: deno task train mlp");
        Deno.exit(0);
      }
    }
    findLesson(name);
    const { revealed, total, isNew } = await revealHint(name);
    console.log(formatHints(name, revealed, total, isNew));
  } catch (e) {
    console.error(chalk.red((e as Error).message));
    Deno.exit(1);
  }
}
