/**
 * The reference process: `main.ts <kit dir>` with plans on stdin (wire
 * format); prints one line `@@reference:<json>` with the outcomes of each
 * plan on the kit's `solutions/`. Started by the grader (`solutions.ts`),
 * never on student code.
 *
 * @module
 */

import { serve } from "./solutions.ts";

console.log(await serve(Deno.args[0], await new Response(Deno.stdin.readable).text()));
