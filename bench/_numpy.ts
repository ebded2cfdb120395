/**
 * Runs a numpy baseline script beside this file as a child process, so that
 * every benchmark compares against numpy at its best on this machine:
 * single-threaded BLAS, without the OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE
 * overrides this machine sets (they slow a current numpy; they are removed for
 * that child only), and with glibc's malloc told to keep freed memory.
 *
 * Why the malloc settings ({@link FAIR_MALLOC}): numpy makes a fresh array for
 * most operations, and glibc hands large freed blocks back to the kernel
 * (`munmap`, or trimming the heap), so the next array of that size faults its
 * pages in again. On these machines a minor page fault costs about 11 µs, which
 * made the seed's MLP loop 2–9× slower than numpy can be (≈ 275 faults per
 * step). With the mmap and trim thresholds raised, freed blocks are reused and
 * the loop takes almost no faults; the benches print numpy's faults per step to
 * show it. On an ordinary machine faults cost 0.1–0.3 µs and numpy would not
 * pay this either, so this is the fair baseline. `MALLOC_TOP_PAD_` is not set: with 64 MiB of top
 * pad numpy took the same faults per step (≈ 3 in the first MLP epoch, 28 in the first CNN epoch,
 * 0–1.5 after; a page faults when first touched however far the heap grows at once), and the
 * benches warm both sides up before timing so that first growth is not counted.
 *
 * @module
 */

/** What a numpy script printed, or why it could not run. */
export type NumpyRun = { ok: true; stdout: string } | { ok: false; reason: string };

/**
 * glibc malloc settings for the numpy child: no `mmap` for blocks under 256 MiB and no trimming of
 * the heap under 512 MiB of free space, so freed arrays are reused instead of faulted in again.
 */
export const FAIR_MALLOC: Readonly<Record<string, string>> = {
  MALLOC_MMAP_THRESHOLD_: String(256 * 2 ** 20),
  MALLOC_TRIM_THRESHOLD_: String(512 * 2 ** 20),
};

/**
 * The child's environment: this one, single-threaded, without the OpenBLAS kernel overrides, with
 * {@link FAIR_MALLOC}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { numpyEnv } from "./_numpy.ts";
 * const env = numpyEnv();
 * assert.equal(env.OPENBLAS_NUM_THREADS, "1");
 * assert.equal(env.MALLOC_MMAP_THRESHOLD_, "268435456");
 * assert.equal(env.OPENBLAS_CORETYPE, undefined);
 * ```
 */
export function numpyEnv(): Record<string, string> {
  const env = Deno.env.toObject();
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return { ...env, OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1", ...FAIR_MALLOC };
}

/**
 * Runs `bench/<script>` under `python` with `input` written to its stdin, and
 * returns its stdout; a missing interpreter, a missing numpy or a failing
 * script gives `{ ok: false, reason }` instead of an exception.
 */
export async function runNumpyScript(
  script: string,
  input: readonly Uint8Array[],
  python = "python3",
): Promise<NumpyRun> {
  const path = decodeURIComponent(new URL(`./${script}`, import.meta.url).pathname);
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(python, {
      args: [path],
      env: numpyEnv(),
      clearEnv: true,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { ok: false, reason: `${python} is not installed` };
    return { ok: false, reason: `cannot run ${python} (${(error as Error).name})` };
  }
  // Read while writing, so a child that prints a lot (or exits early) cannot deadlock the pipe.
  const output = child.output();
  const writer = child.stdin.getWriter();
  try {
    for (const chunk of input) await writer.write(chunk);
    await writer.close();
  } catch {
    // The child exited early (numpy missing, say): its stderr below says why.
  }
  const { code, stdout, stderr } = await output;
  if (code !== 0) {
    const err = new TextDecoder().decode(stderr);
    if (/No module named ['"]?numpy/.test(err)) {
      return { ok: false, reason: `numpy is not installed for ${python}` };
    }
    return {
      ok: false,
      reason: `${script} failed (exit ${code}): ${err.trim().split("\n").slice(-3).join(" / ")}`,
    };
  }
  return { ok: true, stdout: new TextDecoder().decode(stdout) };
}
