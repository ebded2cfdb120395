/**
 * `deno task make-fixtures [lesson ...] [--check]`: runs the reference
 * solutions through every lesson spec's probes, for each fixture seed, and
 * writes `grader/fixtures/<lesson>.json` (public probes) and
 * `grader/hidden/fixtures/<lesson>.json` (hidden probes). `--check` writes
 * nothing and exits 1 when a fixture is not current.
 *
 * @module
 */

import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { FIXTURE_SEEDS, type FixtureFile, fixturePaths } from "../grader/fixtures.ts";
import { runProbes } from "../grader/run_probes.ts";
import { hasHidden, LESSON_ORDER, loadSpec } from "../grader/specs/mod.ts";
import { encodeOutcomes } from "../grader/_wire.ts";
import type { ProbeOutcome } from "../grader/spec.ts";

const KIT = join(dirname(new URL(import.meta.url).pathname), "..");

/** The fixture files of one lesson, as text: `{ path: contents }`. */
export async function fixturesOf(lesson: string, kitDir = KIT): Promise<Record<string, string>> {
  const spec = await loadSpec(lesson);
  const file = join(kitDir, "solutions", `${lesson}.ts`);
  const exports = await import(pathToFileURL(file).href);
  const pub: Record<string, string> = {};
  const hid: Record<string, string> = {};
  for (const seed of FIXTURE_SEEDS) {
    const outcomes = runProbes(spec, exports, seed, file);
    const split = (hidden: boolean) => {
      const part: Record<string, ProbeOutcome> = {};
      for (const p of spec.probes) if ((p.hidden === true) === hidden) part[p.id] = outcomes[p.id];
      return encodeOutcomes(part);
    };
    for (const p of spec.probes) {
      const e = outcomes[p.id].error;
      if (e) {
        throw new Error(
          `The reference failed probe ${lesson}/${p.id} at seed ${seed}: ${e.step}: ${e.name}: ${e.message}`,
        );
      }
    }
    pub[`${seed}`] = split(false);
    hid[`${seed}`] = split(true);
  }
  const paths = fixturePaths(kitDir, lesson);
  const text = (seeds: Record<string, string>) =>
    JSON.stringify({ lesson, seeds } satisfies FixtureFile, null, 2) + "\n";
  const out: Record<string, string> = { [paths.public]: text(pub) };
  if (hasHidden(lesson)) out[paths.hidden] = text(hid);
  return out;
}

/** The lessons that have a spec file. */
export function lessonsWithSpecs(kitDir = KIT): string[] {
  return LESSON_ORDER.filter((l) => {
    try {
      return Deno.statSync(join(kitDir, "grader", "specs", `${l}.ts`)).isFile;
    } catch {
      return false;
    }
  });
}

if (import.meta.main) {
  const check = Deno.args.includes("--check");
  const names = Deno.args.filter((a) => !a.startsWith("--"));
  for (const n of names) {
    if (!LESSON_ORDER.includes(n)) {
      console.error(`error: unknown lesson "${n}": expected one of ${LESSON_ORDER.join(", ")}`);
      Deno.exit(2);
    }
  }
  let stale = 0;
  for (const lesson of names.length ? names : lessonsWithSpecs()) {
    for (const [path, text] of Object.entries(await fixturesOf(lesson))) {
      let old = "";
      try {
        old = Deno.readTextFileSync(path);
      } catch { /* new */ }
      if (old === text) continue;
      if (check) {
        console.error(`stale: ${path}`);
        stale++;
      } else {
        Deno.mkdirSync(dirname(path), { recursive: true });
        Deno.writeTextFileSync(path, text);
        console.log(`wrote ${path}`);
      }
    }
  }
  if (check && stale) Deno.exit(1);
}
