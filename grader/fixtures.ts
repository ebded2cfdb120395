/**
 * Reference fixtures: the reference solutions' probe outcomes on the seeded
 * inputs, so that a student copy without `solutions/` can be graded.
 * `grader/fixtures/<lesson>.json` holds the public probes and
 * `grader/hidden/fixtures/<lesson>.json` the hidden ones (dropped with
 * `grader/hidden/` from a student release). `deno task make-fixtures`
 * regenerates them.
 *
 * @module
 */

import { join } from "node:path";
import { decodeOutcomes } from "./_wire.ts";
import type { LessonSpec, ProbeOutcome } from "./spec.ts";

/** The seeds fixtures are made for; the first is the default seed of a run. */
export const FIXTURE_SEEDS: readonly number[] = [7, 11, 23];

/** The fixture files of a lesson: public and hidden. */
export function fixturePaths(kitDir: string, lesson: string): { public: string; hidden: string } {
  return {
    public: join(kitDir, "grader", "fixtures", `${lesson}.json`),
    hidden: join(kitDir, "grader", "hidden", "fixtures", `${lesson}.json`),
  };
}

/** The file format: outcomes (wire format) by seed. */
export interface FixtureFile {
  /** The lesson. */
  readonly lesson: string;
  /** Wire-format outcomes (a JSON text, so `deno fmt` leaves it on one line) by seed. */
  readonly seeds: Record<string, string>;
}

function readFixture(
  path: string,
  seed: number,
  probeIds: string[],
): Record<string, ProbeOutcome> | undefined {
  let file: FixtureFile;
  try {
    file = JSON.parse(Deno.readTextFileSync(path));
  } catch {
    return undefined;
  }
  const raw = file.seeds[`${seed}`];
  return typeof raw === "string" ? decodeOutcomes(raw, probeIds) : undefined;
}

/**
 * The reference outcomes of `spec` at `seed`, from the fixture files;
 * undefined when a needed file or seed is missing.
 */
export function loadFixture(
  kitDir: string,
  spec: LessonSpec,
  seed: number,
): Record<string, ProbeOutcome> | undefined {
  const ids = spec.probes.map((p) => p.id);
  const paths = fixturePaths(kitDir, spec.lesson);
  const pub = readFixture(paths.public, seed, ids);
  if (!pub) return undefined;
  if (!spec.probes.some((p) => p.hidden)) return pub;
  const hidden = readFixture(paths.hidden, seed, ids);
  return hidden ? { ...pub, ...hidden } : undefined;
}
