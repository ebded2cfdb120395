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
import type { ProbeOutcome, Value } from "../grader/spec.ts";
import { decodeOutcomes } from "../grader/_wire.ts";

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

/** Where two fixture files differ beyond float64 rounding (a refactor of the reference may move the last bits). */
export function differences(path: string, fresh: string, old: string): string[] {
  const a = JSON.parse(fresh).seeds as Record<string, string>;
  const b = JSON.parse(old).seeds as Record<string, string>;
  const out: string[] = [];
  if (Object.keys(a).join() !== Object.keys(b).join()) return [`${path}: seeds differ`];
  for (const seed of Object.keys(a)) {
    const x = JSON.parse(a[seed]) as Record<string, unknown>;
    const ids = Object.keys(x);
    let fa: Record<string, ProbeOutcome>, fb: Record<string, ProbeOutcome>;
    try {
      fa = decodeOutcomes(a[seed], ids);
      fb = decodeOutcomes(b[seed], ids);
    } catch (e) {
      return [`${path}: ${(e as Error).message}`];
    }
    for (const id of ids) {
      const va = fa[id]?.values ?? {};
      const vb = fb[id]?.values ?? {};
      if (Object.keys(va).sort().join() !== Object.keys(vb).sort().join()) {
        out.push(`${path} ${seed}/${id}: keys differ`);
      }
      for (const k of Object.keys(va)) {
        // Central differences divide rounding noise by the step, so they move more than exact results do.
        const tolerance = k.startsWith("num") ? 1e-8 : 1e-12;
        if (!same(va[k], vb[k], tolerance)) out.push(`${path} ${seed}/${id}/${k} differs`);
      }
    }
  }
  return out;
}

function same(a: Value, b: Value | undefined, tolerance: number): boolean {
  if (typeof a !== "object" || typeof b !== "object") {
    return Object.is(a, b) || close(a as number, b as number, tolerance);
  }
  if (a.shape.join() !== b.shape.join()) return false;
  return a.data.every((x, i) => close(x, b.data[i], tolerance));
}

function close(x: number, y: number, tolerance: number): boolean {
  return Object.is(x, y) ||
    (typeof x === "number" && Math.abs(x - y) <= tolerance * Math.max(1, Math.abs(x)));
}

/** Fixture files that are missing or differ beyond rounding from what the reference gives now. */
export async function staleFixtures(lessons: readonly string[] = lessonsWithSpecs()): Promise<string[]> {
  const stale: string[] = [];
  for (const lesson of lessons) {
    for (const [path, text] of Object.entries(await fixturesOf(lesson))) {
      let old = "";
      try {
        old = Deno.readTextFileSync(path);
      } catch {
        stale.push(`${path} is missing`);
        continue;
      }
      if (old !== text) stale.push(...differences(path, text, old));
    }
  }
  return stale;
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
  const lessons = names.length ? names : lessonsWithSpecs();
  if (check) {
    const stale = await staleFixtures(lessons);
    for (const s of stale) console.error(`stale: ${s}`);
    Deno.exit(stale.length ? 1 : 0);
  }
  for (const lesson of lessons) {
    for (const [path, text] of Object.entries(await fixturesOf(lesson))) {
      let old = "";
      try {
        old = Deno.readTextFileSync(path);
      } catch { /* new */ }
      if (old === text) continue;
      Deno.mkdirSync(dirname(path), { recursive: true });
      Deno.writeTextFileSync(path, text);
      console.log(`wrote ${path}`);
    }
  }
}
