/**
 * `deno task gradescope [--out autograder.zip]`: builds the Gradescope
 * autograder zip. At its root, as Gradescope requires: `setup.sh` (installs
 * Deno from npm, caches the dependencies) and `run_autograder` (grades
 * `/autograder/submission` into `/autograder/results/results.json`); beside
 * them, the kit's grader with its hidden checks, `lib/`, the lesson stubs,
 * the code that prepares a submission (notebooks included), and `solutions/`:
 * an official grade draws a fresh seed per submission and takes its reference
 * values from the solutions, run in a trusted process; the sandboxed child can
 * never read them (`grader/SECURITY.md`). No tests, no test fixtures.
 *
 * @module
 */

import { zipSync } from "fflate";

/** What goes in the zip, relative to the kit's root. */
export const ZIP_CONTENT = [
  "lib",
  "lessons",
  "solutions",
  "grader",
  "workflow/atomic_write.ts",
  "workflow/report.ts",
  "instructor/gradescope_run.ts",
  "instructor/official.ts",
  "instructor/gradescope_results.ts",
  "instructor/submission.ts",
  "instructor/zip_reader.ts",
  "notebook/extract.ts",
  "notebook/ipynb.ts",
  "notebook/extract_isolated.ts",
  "notebook/extract_main.ts",
  "deno.json",
  "deno.lock",
];

const EXECUTABLE = { os: 3, attrs: (0o100755 << 16) >>> 0 };
const REGULAR = { os: 3, attrs: (0o100644 << 16) >>> 0 };

async function _add(
  files: Record<string, [Uint8Array, typeof REGULAR]>,
  root: string,
  rel: string,
): Promise<void> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.lstat(`${root}/${rel}`);
  } catch {
    return;
  }
  if (info.isDirectory) {
    for await (const e of Deno.readDir(`${root}/${rel}`)) await _add(files, root, `${rel}/${e.name}`);
  } else if (
    info.isFile && !rel.endsWith("_test.ts") &&
    !rel.split("/").some((p) => p === "node_modules" || p === "testdata" || p === ".gradlings")
  ) {
    files[rel] = [await Deno.readFile(`${root}/${rel}`), REGULAR];
  }
}

/**
 * The autograder zip's bytes for the kit at `kitRoot`. The workflow and
 * instructor files come from `toolRoot` (this kit, by default) when
 * `kitRoot` lacks them.
 */
export async function buildAutograderZip(
  kitRoot = ".",
  toolRoot = new URL("..", import.meta.url).pathname.replace(/\/$/, ""),
): Promise<Uint8Array> {
  const files: Record<string, [Uint8Array, typeof REGULAR]> = {};
  for (const rel of ZIP_CONTENT) {
    await _add(files, toolRoot, rel);
    await _add(files, kitRoot, rel);
  }
  const here = new URL("./gradescope/", import.meta.url);
  for (const script of ["setup.sh", "run_autograder"]) {
    files[script] = [await Deno.readFile(new URL(script, here)), EXECUTABLE];
  }
  return zipSync(files, { level: 9 });
}

if (import.meta.main) {
  const args = Deno.args;
  if (!(args.length === 0 || (args.length === 2 && args[0] === "--out"))) {
    console.error("Usage: deno task gradescope [--out autograder.zip]");
    Deno.exit(2);
  }
  const out = args[1] ?? "autograder.zip";
  const bytes = await buildAutograderZip();
  await Deno.writeFile(out, bytes);
  console.log(
    `Wrote ${out} (${(bytes.length / 1024).toFixed(0)} KiB): upload it as the assignment's autograder`,
  );
}
