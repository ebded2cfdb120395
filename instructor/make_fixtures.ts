/**
 * `deno task make-fixtures [lesson ...] [--check]`: runs the reference
 * solutions on every lesson's public probes, for each fixture seed, and
 * writes `grader/reference/fixtures/<lesson>.json` (the plan's hash and the
 * outcomes). They serve the local self-grade only; hidden probes and official
 * grades always ask `solutions/`. `--check` writes nothing and exits 1 when a
 * fixture is not current.
 *
 * @module
 */

import { dirname, join } from "node:path";
import { FIXTURE_SEEDS, type FixtureFile, fixturePath, planHash } from "../grader/reference/fixtures.ts";
import { runSolutions } from "../grader/reference/solutions.ts";
import { LESSON_ORDER, loadSpec } from "../grader/specs/mod.ts";
import { decodeOutcomes, encodeOutcomes } from "../grader/probes/wire.ts";
import type { LessonPlan } from "../grader/probes/plan.ts";
import type { ProbeOutcome, Value } from "../grader/spec.ts";

const KIT = join(dirname(new URL(import.meta.url).pathname), "..");

/** The public plan of `lesson` at `seed`. */
export async function publicPlan(lesson: string, seed: number): Promise<LessonPlan> {
  const spec = await loadSpec(lesson);
  return {
    lesson,
    purpose: "reference",
    probes: spec.probes.filter((p) => !p.hidden).map((p) => p.plan(seed)),
  };
}

/** The fixture file of one lesson, as text: `{ path: contents }`. */
export async function fixturesOf(lesson: string, kitDir = KIT): Promise<Record<string, string>> {
  const seeds: FixtureFile["seeds"] = {};
  for (const seed of FIXTURE_SEEDS) {
    const plan = await publicPlan(lesson, seed);
    const [outcomes] = await runSolutions(kitDir, [plan]);
    seeds[`${seed}`] = { plan: await planHash(plan), outcomes: encodeOutcomes(outcomes) };
  }
  return {
    [fixturePath(kitDir, lesson)]: JSON.stringify({ lesson, seeds } satisfies FixtureFile, null, 2) + "\n",
  };
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
  const a = JSON.parse(fresh).seeds as FixtureFile["seeds"];
  const b = JSON.parse(old).seeds as FixtureFile["seeds"];
  const out: string[] = [];
  if (Object.keys(a).join() !== Object.keys(b ?? {}).join()) return [`${path}: seeds differ`];
  for (const seed of Object.keys(a)) {
    if (a[seed].plan !== b[seed]?.plan) {
      out.push(`${path} ${seed}: made for other inputs (the spec changed)`);
      continue;
    }
    const x = JSON.parse(a[seed].outcomes) as Record<string, unknown>;
    const ids = Object.keys(x);
    let fa: Record<string, ProbeOutcome>, fb: Record<string, ProbeOutcome>;
    try {
      fa = decodeOutcomes(a[seed].outcomes, ids);
      fb = decodeOutcomes(b[seed].outcomes, ids);
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
        if (!same(va[k], vb[k], 1e-12)) out.push(`${path} ${seed}/${id}/${k} differs`);
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
