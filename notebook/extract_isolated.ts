/**
 * Notebook extraction in a process of its own, for grading: a notebook is
 * untrusted input, and TypeScript's parser, which `notebook/extract.ts` runs
 * on its cells, takes exponential time on some nestings a student could write
 * (`async (async (…))`). So the grader never parses a notebook in its own
 * process: `extract_main.ts` does, under the same kind of limits as the
 * sandboxed child (`grader/sandbox/spawn.ts`: CPU seconds, memory, its own
 * process group), and a notebook that exceeds them gets a clear reason.
 *
 * @module
 */

import { join } from "node:path";
import { type Limits, runLimited } from "../grader/sandbox/spawn.ts";
import { NotebookError } from "./ipynb.ts";
import type { Extraction } from "./extract.ts";

/** What reading one notebook may use. */
export const EXTRACT_LIMITS: Limits = { cpuSeconds: 20, wallMs: 90_000, dataMb: 3072 };

const KIT = join(new URL(".", import.meta.url).pathname, "..");

/** {@linkcode extractNotebook} of `notebook/extract.ts`, in a limited process; throws `NotebookError`. */
export async function extractIsolated(
  text: string,
  file: string,
  signal?: AbortSignal,
  limits: Limits = EXTRACT_LIMITS,
): Promise<Extraction> {
  const env: Record<string, string> = { NO_COLOR: "1" };
  for (const k of ["HOME", "DENO_DIR", "XDG_CACHE_HOME", "GRADLINGS_OWNER"]) {
    const v = Deno.env.get(k);
    if (v !== undefined) env[k] = v;
  }
  const r = await runLimited({
    args: [
      "run",
      "--quiet",
      "--no-prompt",
      `--config=${join(KIT, "deno.json")}`,
      `--allow-read=${KIT}`,
      "--allow-env",
      join(KIT, "notebook", "extract_main.ts"),
      file,
    ],
    cwd: KIT,
    env,
    stdin: text,
    limits,
    maxStdout: 32 << 20,
    signal,
  });
  const line = r.stdout.split("\n").find((l) => l.startsWith("@@extract:"));
  if (r.killed || !line) {
    const why = r.killed === "cpu" || r.killed === "wall"
      ? `reading it took longer than allowed (${limits.cpuSeconds} s): a pathologically nested expression?`
      : r.killed === "output"
      ? "it produced more code than allowed"
      : /out of memory|Allocation failed/i.test(r.stderr)
      ? "reading it needed more memory than allowed"
      : `the reader stopped (exit code ${r.code}): ${
        r.stderr.trim().split("\n").slice(-2).join(" ").slice(0, 300)
      }`;
    throw new NotebookError(`${file} could not be graded: ${why}`);
  }
  const body = JSON.parse(line.slice("@@extract:".length)) as
    | { error: string }
    | { files: [string, string][]; notes: string[]; cells: [string, string][] };
  if ("error" in body) throw new NotebookError(body.error);
  return { files: new Map(body.files), notes: body.notes, cells: new Map(body.cells) };
}
