/**
 * Reference fixtures, for the **local self-grade** only: the reference
 * solutions' outcomes on the public probes' inputs at a few public seeds, so
 * a student copy without `solutions/` can grade itself. Official grades
 * (`grade-batch`, Gradescope) never read them: they grade at a fresh seed
 * against `solutions/` run in a trusted process (`solutions.ts`).
 *
 * `grader/reference/fixtures/<lesson>.json` holds, per seed, the hash of the
 * plan the outcomes belong to (a changed spec makes them stale, and says so)
 * and the outcomes in the wire format. `deno task make-fixtures` writes them.
 *
 * @module
 */

import { join } from "node:path";
import { decodeOutcomes, encodePlan } from "../probes/wire.ts";
import type { LessonPlan } from "../probes/plan.ts";
import type { ProbeOutcome } from "../probes/values.ts";

/** The seeds fixtures are made for; the first is the default seed of a local run. */
export const FIXTURE_SEEDS: readonly number[] = [7, 11, 23];

/** The fixture file of a lesson. */
export function fixturePath(kitDir: string, lesson: string): string {
  return join(kitDir, "grader", "reference", "fixtures", `${lesson}.json`);
}

/** One seed's entry. */
export interface FixtureEntry {
  /** sha-256 of the encoded plan. */
  readonly plan: string;
  /** The outcomes, wire format (a JSON text, so `deno fmt` leaves it on one line). */
  readonly outcomes: string;
}

/** The file format. */
export interface FixtureFile {
  /** The lesson. */
  readonly lesson: string;
  /** Entries by seed. */
  readonly seeds: Record<string, FixtureEntry>;
}

/** The sha-256 of a plan's lesson and probes (not what the run is for), hex. */
export async function planHash(plan: LessonPlan): Promise<string> {
  const text = encodePlan({ lesson: plan.lesson, purpose: "reference", probes: plan.probes });
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Why no fixture could be used. */
export class FixtureUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FixtureUnavailable";
  }
}

/**
 * The reference outcomes of `plan` at `seed` from the fixture file; throws
 * {@linkcode FixtureUnavailable} when the file or the seed is missing, or the
 * plan is not the one the fixture was made for.
 */
export async function loadFixture(
  kitDir: string,
  plan: LessonPlan,
  seed: number,
): Promise<Record<string, ProbeOutcome>> {
  let file: FixtureFile;
  try {
    file = JSON.parse(await Deno.readTextFile(fixturePath(kitDir, plan.lesson)));
  } catch {
    throw new FixtureUnavailable(`no fixture file for ${plan.lesson}`);
  }
  const entry = file.seeds?.[`${seed}`];
  if (!entry) throw new FixtureUnavailable(`no fixture for ${plan.lesson} at seed ${seed}`);
  if (entry.plan !== await planHash(plan)) {
    throw new FixtureUnavailable(
      `the fixture of ${plan.lesson} at seed ${seed} was made for other inputs: the fixtures are stale (deno task make-fixtures)`,
    );
  }
  return decodeOutcomes(entry.outcomes, plan.probes.map((p) => p.id));
}
