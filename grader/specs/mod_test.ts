import assert from "node:assert/strict";
import { LESSON_ORDER, loadSpec } from "./mod.ts";
import { encode, type Tree } from "../probes/wire.ts";

Deno.test("every check is anchored or gated, and every gate leads to anchored checks of its lesson", async (t) => {
  for (const lesson of LESSON_ORDER) {
    await t.step(lesson, async () => {
      const spec = await loadSpec(lesson);
      const byId = new Map(spec.checks.map((c) => [c.id, c]));
      const problems: string[] = [];
      for (const c of spec.checks) {
        if (!c.anchored && !c.gate?.length) problems.push(`${c.id}: neither anchored nor gated`);
        if (c.anchored && c.gate?.length) problems.push(`${c.id}: both anchored and gated`);
        // Follow the gates: every path must end at anchored checks, without a cycle.
        const walk = (id: string, seen: string[]): void => {
          const target = byId.get(id);
          if (!target) return void problems.push(`${c.id}: gate ${id} is no check of ${lesson}`);
          if (seen.includes(id)) return void problems.push(`${c.id}: gates form a cycle through ${id}`);
          for (const g of target.gate ?? []) walk(g, [...seen, id]);
        };
        for (const g of c.gate ?? []) walk(g, [c.id]);
      }
      assert.deepEqual(problems, []);
    });
  }
});

Deno.test("every probe's inputs are drawn anew for each seed (a table of last run's answers is no use)", async () => {
  const same: string[] = [];
  for (const lesson of LESSON_ORDER) {
    for (const p of (await loadSpec(lesson)).probes) {
      const at = (seed: number) => encode(p.plan(seed).inputs as Tree);
      assert.equal(at(7), at(7), `${lesson}/${p.id}: the same seed must draw the same plan`);
      if (at(7) === at(8)) same.push(`${lesson}/${p.id}`);
      const inputs = p.plan(7).inputs;
      for (const [k, v] of Object.entries(p.plan(8).inputs)) {
        if (encode(v) === encode(inputs[k])) same.push(`${lesson}/${p.id}/${k}`);
      }
    }
  }
  assert.deepEqual(same, [], "inputs that do not change with the seed");
});
