/**
 * Entry point of `deno task bench`: runs every `bench/*_bench.ts` script, in
 * name order, each in its own `deno run --allow-read --allow-write --allow-run --allow-env`
 * process (so one that fails does not hide the others), under a header
 * naming it. An optional argument keeps only the scripts whose name contains
 * it (`deno task bench gemm`); arguments starting with `--` are passed on to
 * every script (`deno task bench train --quick`).
 *
 * Exits with status 1 when a script fails (a missed speed target is a failure), or when none
 * matches the filter. `--allow-write` is for the grading bench's temporary copies.
 *
 * (`--allow-hrtime` is not passed: Deno 2 removed it, timers are always
 * precise, and the flag only prints a warning.)
 *
 * @example
 * ```ts ignore
 * // From the top of the repository:
 * //   deno task bench                  every benchmark
 * //   deno task bench tensor           only bench/tensor_bench.ts
 * //   deno task bench train --quick    bench/train_bench.ts with its --quick flag
 * ```
 *
 * @module
 */

import { FAIR_MALLOC } from "./_numpy.ts";

/** The permissions every benchmark script runs with. */
export const BENCH_PERMISSIONS: readonly string[] = [
  "--allow-read",
  "--allow-write",
  "--allow-run",
  "--allow-env",
];

/**
 * The benchmark scripts of `dir` (files ending in `_bench.ts`) whose name
 * before that ending contains `filter`, sorted by name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findBenches } from "./mod.ts";
 * const all = findBenches(new URL(".", import.meta.url));
 * assert.ok(all.every((f) => f.endsWith("_bench.ts")));
 * assert.deepEqual(findBenches(new URL(".", import.meta.url), "tensor"), ["tensor_bench.ts"]);
 * assert.deepEqual(findBenches(new URL(".", import.meta.url), "bench"), []);
 * ```
 */
export function findBenches(dir: URL, filter = ""): string[] {
  const names: string[] = [];
  for (const entry of Deno.readDirSync(dir)) {
    const stem = entry.name.slice(0, -"_bench.ts".length);
    if (entry.isFile && entry.name.endsWith("_bench.ts") && stem.includes(filter)) names.push(entry.name);
  }
  return names.sort();
}

/** Runs one script with inherited output; resolves to its exit code. */
async function _run(path: string, flags: readonly string[]): Promise<number> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...BENCH_PERMISSIONS, path, ...flags],
    // Our side runs with the same glibc malloc settings as the numpy baseline (bench/_numpy.ts):
    // without them, fresh large Float64Arrays fault their pages in on every step, as numpy's do.
    env: { ...FAIR_MALLOC },
    stdin: "null",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  return (await child.status).code;
}

if (import.meta.main) {
  const flags = Deno.args.filter((a) => a.startsWith("--"));
  const rest = Deno.args.filter((a) => !a.startsWith("--"));
  if (rest.length > 1) {
    console.error(`Cannot run benchmarks: expected at most one filter, received ${rest.join(" ")}`);
    Deno.exit(2);
  }
  const filter = rest[0] ?? "";
  const dir = new URL(".", import.meta.url);
  const names = findBenches(dir, filter);
  if (names.length === 0) {
    console.error(`No benchmark matches "${filter}": expected part of a bench/*_bench.ts name`);
    Deno.exit(1);
  }
  const failed: string[] = [];
  for (const name of names) {
    const rule = "=".repeat(Math.max(0, 72 - name.length - 8));
    console.log(`\n=== bench/${name} ${rule}\n`);
    const started = performance.now();
    const code = await _run(decodeURIComponent(new URL(name, dir).pathname), flags);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (code !== 0) {
      failed.push(name);
      console.log(`\nbench/${name} failed (exit code ${code}, ${seconds} s)`);
    } else {
      console.log(`\nbench/${name}: done in ${seconds} s`);
    }
  }
  console.log(
    `\n${names.length - failed.length} of ${names.length} benchmarks succeeded${
      failed.length ? `; failed: ${failed.join(", ")}` : ""
    }`,
  );
  if (failed.length > 0) Deno.exit(1);
}
