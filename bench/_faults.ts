/**
 * This process's minor page faults, for the benches' faults-per-step figures.
 *
 * A minor page fault costs about 11 µs on these machines (0.1–0.3 µs on an ordinary one), so a
 * training step that faults a few hundred times loses milliseconds to the kernel; the train bench
 * prints both sides' faults per step to show neither pays that (bench/README.md).
 *
 * @module
 */

import process from "node:process";

/**
 * The minor-fault count (`minflt`, field 10) of a `/proc/<pid>/stat` line, or null when the line
 * does not have that shape.
 *
 * The second field is the command name in parentheses, and the name itself may hold spaces and
 * parentheses (`1 (a) b) R …`), so the fields are counted from the last `)`: after it come field 3
 * (state) onwards, and minflt is the eighth of those.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseMinorFaults } from "./_faults.ts";
 * assert.equal(parseMinorFaults("42 (deno) R 1 42 42 0 -1 4194304 3470 0 0 0 2 0"), 3470);
 * assert.equal(parseMinorFaults("42 (my (odd) name) S 1 42 42 0 -1 0 17 0 0 0"), 17);
 * ```
 */
export function parseMinorFaults(stat: string): number | null {
  const close = stat.lastIndexOf(")");
  if (close < 0 || !/^\s*\d+ \(/.test(stat)) return null;
  const field = stat.slice(close + 1).trim().split(/\s+/)[10 - 3];
  return field !== undefined && /^\d+$/.test(field) ? Number(field) : null;
}

/**
 * Minor page faults of this process so far, all threads together: from `/proc/self/stat`, else
 * (no /proc, as on macOS, or no permission: Deno asks `--allow-all` for that file) from getrusage
 * through `node:process`; null where neither can tell. `source` says which one counted.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ownMinorFaults } from "./_faults.ts";
 * const before = ownMinorFaults();
 * new Float64Array(1 << 20).fill(1); // 8 MiB of fresh pages
 * const after = ownMinorFaults();
 * if (before && after) assert.ok(after.faults > before.faults);
 * ```
 */
export function ownMinorFaults(): { faults: number; source: "/proc/self/stat" | "getrusage" } | null {
  try {
    const faults = parseMinorFaults(Deno.readTextFileSync("/proc/self/stat"));
    if (faults !== null) return { faults, source: "/proc/self/stat" };
  } catch {
    // No /proc, or no permission to read it: getrusage counts the same faults.
  }
  try {
    return { faults: process.resourceUsage().minorPageFault, source: "getrusage" };
  } catch {
    return null;
  }
}
