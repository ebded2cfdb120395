/**
 * Runs a Deno process under limits, for everything the grader starts on a
 * student's files (the sandboxed child, `deno check`) and for the reference
 * process:
 *
 * - its own process group (`detached`), killed as a whole (`kill(-pgid)`);
 * - on Linux, `timeout -s KILL` around it, so it dies at its wall-clock limit
 *   even if the grader itself is killed first, and `prlimit` setting
 *   `RLIMIT_CPU` (CPU seconds over all its threads: a submission that spins
 *   threads burns its own budget faster, not its neighbours' wall time) and
 *   `RLIMIT_DATA` (its private writable memory, V8 heaps and array buffers);
 * - a wall-clock backstop in this process, an output cap, and an abort signal;
 * - a registry of live process groups, so a CLI can kill them all when it is
 *   interrupted ({@linkcode killAll}, {@linkcode killAllOnSignals}).
 *
 * Elsewhere (macOS) the CPU limit is enforced as a wall-clock limit and
 * memory only by the V8 heap flag the caller passes.
 *
 * @module
 */

import { join } from "node:path";

/** The flags of every `deno run` the grader starts: no prompt, no config or lock file, no npm, no network. */
export const RUN_FLAGS: readonly string[] = [
  "--quiet",
  "--no-prompt",
  "--no-config",
  "--no-lock",
  "--no-npm",
  "--no-remote",
];

/** What a process may use. */
export interface Limits {
  /** CPU seconds over all threads (`RLIMIT_CPU`); where that is unavailable, wall-clock seconds. */
  readonly cpuSeconds: number;
  /** Wall-clock limit in ms (a backstop: a process starved by others is not its own fault). */
  readonly wallMs: number;
  /** `RLIMIT_DATA` in MB. */
  readonly dataMb: number;
}

/** What to run. */
export interface RunOptions {
  /** Arguments of the Deno executable (`["run", …]`). */
  readonly args: readonly string[];
  /** Working directory. */
  readonly cwd: string;
  /** The whole environment of the process. */
  readonly env: Record<string, string>;
  /** Written to its stdin, then closed. */
  readonly stdin?: string;
  /** The limits. */
  readonly limits: Limits;
  /** Kill it when stdout grows beyond this many bytes (default 64 MiB). */
  readonly maxStdout?: number;
  /** Kill it when this aborts. */
  readonly signal?: AbortSignal;
}

/** How it ended. */
export interface RunResult {
  /** Exit code (128 + n after a signal). */
  readonly code: number;
  /** The signal that ended it, if any. */
  readonly signal: string | null;
  /** Its stdout (up to the cap). */
  readonly stdout: string;
  /** The start of its stderr (at most 20 000 characters). */
  readonly stderr: string;
  /** Why this side killed it, or `cpu` when the kernel stopped it at its CPU limit. */
  readonly killed?: "cpu" | "wall" | "output" | "abort";
  /** Wall-clock seconds. */
  readonly seconds: number;
}

const live = new Set<number>();
/** How often the wall clock of a running process is read. */
const TICK_MS = 100;

/** Kills every live process group started here (SIGKILL). */
export function killAll(): void {
  for (const pgid of live) killGroup(pgid);
}

/** The number of process groups started here that are still running (for tests). */
export function liveCount(): number {
  return live.size;
}

let hooked = false;

/** On SIGINT or SIGTERM: kill every live process group, then exit (130 or 143). */
export function killAllOnSignals(): void {
  if (hooked || Deno.build.os === "windows") return;
  hooked = true;
  for (const [sig, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    Deno.addSignalListener(sig, () => {
      killAll();
      Deno.exit(code);
    });
  }
}

function killGroup(pgid: number): void {
  try {
    Deno.kill(-pgid, "SIGKILL");
  } catch { /* gone already */ }
}

function which(name: string): string | undefined {
  for (const dir of ["/usr/bin", "/bin", "/usr/local/bin"]) {
    try {
      if (Deno.statSync(join(dir, name)).isFile) return join(dir, name);
    } catch { /* not there */ }
  }
  return undefined;
}

let tools: { timeout: string; prlimit: string } | null | undefined;

/** `timeout` and `prlimit` when this is Linux and both exist; null otherwise. */
export function limitTools(): { timeout: string; prlimit: string } | null {
  if (tools !== undefined) return tools;
  const timeout = Deno.build.os === "linux" ? which("timeout") : undefined;
  const prlimit = Deno.build.os === "linux" ? which("prlimit") : undefined;
  tools = timeout && prlimit ? { timeout, prlimit } : null;
  return tools;
}

/** The command line: the Deno executable, wrapped in `timeout` and `prlimit` where they exist. */
export function commandLine(o: Pick<RunOptions, "args" | "limits">): { cmd: string; args: string[] } {
  const t = limitTools();
  if (!t) return { cmd: Deno.execPath(), args: [...o.args] };
  const cpu = Math.max(1, Math.ceil(o.limits.cpuSeconds));
  const wall = Math.ceil(o.limits.wallMs / 1000) + 5;
  return {
    cmd: t.timeout,
    args: [
      "-s",
      "KILL",
      `${wall}`,
      t.prlimit,
      `--cpu=${cpu}:${cpu + 1}`,
      `--data=${Math.round(o.limits.dataMb * 1024 * 1024)}`,
      "--",
      Deno.execPath(),
      ...o.args,
    ],
  };
}

async function readCapped(
  stream: ReadableStream<Uint8Array>,
  cap: number,
  over: () => void,
): Promise<string> {
  const dec = new TextDecoder();
  let text = "";
  let bytes = 0;
  for await (const chunk of stream) {
    bytes += chunk.length;
    if (bytes > cap) {
      over();
      continue;
    }
    text += dec.decode(chunk, { stream: true });
  }
  return text + dec.decode();
}

/** Runs a process under its limits; never throws for anything the process does. */
export async function runLimited(o: RunOptions): Promise<RunResult> {
  const t0 = performance.now();
  const { cmd, args } = commandLine(o);
  const child = new Deno.Command(cmd, {
    args,
    cwd: o.cwd,
    env: o.env,
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    detached: Deno.build.os !== "windows",
  }).spawn();
  const pgid = child.pid;
  live.add(pgid);
  let killed: RunResult["killed"];
  const kill = (why: NonNullable<RunResult["killed"]>) => {
    killed ??= why;
    if (Deno.build.os === "windows") {
      try {
        child.kill("SIGKILL");
      } catch { /* gone */ }
    } else killGroup(pgid);
  };
  // Without prlimit the CPU limit can only be a wall-clock limit.
  const wallMs = limitTools() ? o.limits.wallMs : Math.min(o.limits.wallMs, o.limits.cpuSeconds * 1000);
  // The wall clock counts only while this process keeps time: a tick that comes late (this process was
  // busy, e.g. reading another child's report) adds at most TICK_MS, so a stall here is never the child's.
  let waited = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    waited += Math.min(now - last, 2 * TICK_MS);
    last = now;
    if (waited >= wallMs) kill("wall");
  }, TICK_MS);
  const onAbort = () => kill("abort");
  if (o.signal?.aborted) onAbort();
  o.signal?.addEventListener("abort", onAbort);
  const writer = child.stdin.getWriter();
  writer.write(new TextEncoder().encode(o.stdin ?? "")).then(() => writer.close()).catch(() => {});
  const [stdout, stderr] = await Promise.all([
    readCapped(child.stdout, o.maxStdout ?? 64 << 20, () => kill("output")),
    readCapped(child.stderr, 1 << 20, () => {}).then((s) => s.slice(0, 20000)),
  ]);
  const status = await child.status;
  clearInterval(timer);
  o.signal?.removeEventListener("abort", onAbort);
  // The process is gone, but anything it left in its group must go too.
  killGroup(pgid);
  live.delete(pgid);
  // SIGXCPU at the soft CPU limit; SIGKILL at the hard one (a process that ignored the first).
  if (!killed && (status.signal === "SIGXCPU" || (status.signal === "SIGKILL" && limitTools()))) {
    killed = "cpu";
  }
  return {
    code: status.code,
    signal: status.signal,
    stdout,
    stderr,
    ...(killed ? { killed } : {}),
    seconds: (performance.now() - t0) / 1000,
  };
}
