/**
 * Runs the grader child on one lesson with cut permissions, a heap limit, a
 * resident-memory watch and a wall-clock timeout, and reads its frames. The
 * nonce goes in on stdin; only lines carrying it count as frames.
 *
 * @module
 */

import { join } from "node:path";
import { toFileUrl } from "./import_graph.ts";
import { decodeOutcomes } from "./_wire.ts";
import type { ProbeOutcome } from "./spec.ts";

/** How the child ended. */
export type ChildEnd =
  | { readonly kind: "result"; readonly outcomes: Record<string, ProbeOutcome> }
  | { readonly kind: "timeout"; readonly stage: string }
  | { readonly kind: "memory"; readonly stage: string }
  | { readonly kind: "exit"; readonly stage: string; readonly code: number; readonly stderr: string }
  | { readonly kind: "malformed"; readonly reason: string };

/** Options of {@linkcode runChild}. */
export interface ChildOptions {
  /** The kit's root (absolute). */
  readonly kitDir: string;
  /** The lessons folder (absolute). */
  readonly lessonsDir: string;
  /** Lesson name. */
  readonly lesson: string;
  /** The lesson file (absolute). */
  readonly file: string;
  /** The run's seed. */
  readonly seed: number;
  /** Wall-clock limit, ms. */
  readonly timeoutMs: number;
  /** V8 old-space limit, MB; the resident set may reach twice this plus 256 MB. */
  readonly heapMb: number;
  /** Probe ids the result may hold. */
  readonly probeIds: readonly string[];
  /** An import map (path) that maps the copy's `../lib/` to the kit's. */
  readonly importMap?: string;
}

function randomNonce(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

function rssMb(pid: number): number {
  try {
    const status = Deno.readTextFileSync(`/proc/${pid}/status`);
    const m = /VmRSS:\s+(\d+) kB/.exec(status);
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** The few variables Deno needs to find its cache; nothing else reaches the child. */
export function childEnv(): Record<string, string> {
  const env: Record<string, string> = { NO_COLOR: "1" };
  for (const k of ["HOME", "DENO_DIR", "XDG_CACHE_HOME", "PATH"]) {
    const v = Deno.env.get(k);
    if (v !== undefined) env[k] = v;
  }
  return env;
}

/** The child's command line (exported for tests and docs). */
export function childArgs(o: ChildOptions): string[] {
  const grader = join(o.kitDir, "grader");
  const read = [join(o.kitDir, "lib"), grader, o.lessonsDir];
  const deny = [join(grader, "fixtures"), join(grader, "hidden", "fixtures"), join(grader, "testdata")];
  return [
    "run",
    "--quiet",
    "--no-prompt",
    "--no-config",
    "--no-lock",
    "--no-npm",
    "--no-remote",
    ...(o.importMap ? [`--import-map=${o.importMap}`] : []),
    `--allow-read=${read.join(",")}`,
    `--deny-read=${deny.join(",")}`,
    `--v8-flags=--max-old-space-size=${o.heapMb},--disallow-code-generation-from-strings`,
    join(grader, "child.ts"),
    o.lesson,
    toFileUrl(o.file),
    `${o.seed}`,
  ];
}

/** Runs the child and reports how it ended; never throws on anything the student's code does. */
export async function runChild(o: ChildOptions): Promise<ChildEnd> {
  const nonce = randomNonce();
  const prefix = `@@gradlings:${nonce}:`;
  const child = new Deno.Command(Deno.execPath(), {
    args: childArgs(o),
    cwd: o.kitDir,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: childEnv(),
    clearEnv: true,
  }).spawn();
  let killedFor: "timeout" | "memory" | undefined;
  const kill = (why: "timeout" | "memory") => {
    killedFor ??= why;
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
  };
  const timer = setTimeout(() => kill("timeout"), o.timeoutMs);
  const rssLimit = 2 * o.heapMb + 256;
  const watch = setInterval(() => {
    if (rssMb(child.pid) > rssLimit) kill("memory");
  }, 50);
  const writer = child.stdin.getWriter();
  writer.write(new TextEncoder().encode(nonce + "\n")).then(() => writer.close()).catch(() => {});
  let stage = "start";
  let result: string | undefined;
  let stderr = "";
  const readErr = (async () => {
    const dec = new TextDecoder();
    for await (const chunk of child.stderr) {
      if (stderr.length < 20000) stderr += dec.decode(chunk, { stream: true });
    }
  })();
  const dec = new TextDecoder();
  let pending = "";
  for await (const chunk of child.stdout) {
    pending += dec.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = pending.indexOf("\n")) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      if (!line.startsWith(prefix)) continue;
      const rest = line.slice(prefix.length);
      const colon = rest.indexOf(":");
      const kind = rest.slice(0, colon);
      const payload = rest.slice(colon + 1);
      if (kind === "stage") stage = payload;
      else if (kind === "result" && result === undefined) {
        result = payload;
        try {
          child.kill("SIGKILL");
        } catch { /* gone */ }
      }
    }
    // Student output without newlines must not grow without bound.
    if (pending.length > 1 << 20 && !pending.startsWith("\n@@") && pending.indexOf(prefix) < 0) pending = "";
  }
  const status = await child.status;
  await readErr.catch(() => {});
  clearTimeout(timer);
  clearInterval(watch);
  if (result !== undefined) {
    try {
      return { kind: "result", outcomes: decodeOutcomes(result, [...o.probeIds, "@import"]) };
    } catch (e) {
      return { kind: "malformed", reason: (e as Error).message };
    }
  }
  if (killedFor) return { kind: killedFor, stage };
  if (/out of memory|Allocation failed|heap limit/i.test(stderr)) return { kind: "memory", stage };
  return { kind: "exit", stage, code: status.code, stderr };
}
