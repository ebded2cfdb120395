/**
 * Runs a numpy baseline script beside this file as a child process, so that
 * every benchmark compares against numpy under the same conditions:
 * single-threaded BLAS, and without the OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE
 * overrides this machine sets (they slow a current numpy; they are removed for
 * that child only).
 *
 * @module
 */

/** What a numpy script printed, or why it could not run. */
export type NumpyRun = { ok: true; stdout: string } | { ok: false; reason: string };

/** The child's environment: this one, single-threaded, without the OpenBLAS kernel overrides. */
export function numpyEnv(): Record<string, string> {
  const env = Deno.env.toObject();
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return { ...env, OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1" };
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
