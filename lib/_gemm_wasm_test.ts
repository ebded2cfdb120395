import assert from "node:assert/strict";
import { compileWat, GEMM_WAT_URL, loadWabt, WABT_SPECIFIER } from "./_build_gemm.ts";
import { GEMM_WASM_BASE64 } from "./_gemm_wasm.ts";

const _wabt = await loadWabt().catch((error: unknown) => {
  console.warn(
    `Skipping the gemm wasm freshness check: cannot load ${WABT_SPECIFIER} (${error})`,
  );
  return null;
});

Deno.test({
  name: "lib/_gemm_wasm.ts holds the bytes lib/_gemm.wat compiles to",
  ignore: _wabt === null,
  fn: async () => {
    const fresh = compileWat(_wabt!, await Deno.readTextFile(GEMM_WAT_URL));
    const committed = Uint8Array.from(atob(GEMM_WASM_BASE64), (ch) => ch.charCodeAt(0));
    assert.ok(
      fresh.length === committed.length && fresh.every((byte, i) => byte === committed[i]),
      "lib/_gemm_wasm.ts is stale: run `deno run -A lib/_build_gemm.ts` and commit the result",
    );
  },
});

Deno.test("lib/_gemm_wasm.ts is a valid WebAssembly module with the kernel's exports", () => {
  const bytes = Uint8Array.from(atob(GEMM_WASM_BASE64), (ch) => ch.charCodeAt(0));
  assert.ok(WebAssembly.validate(bytes), "the runtime rejects the module (no relaxed SIMD?)");
  const exports = WebAssembly.Module.exports(new WebAssembly.Module(bytes)).map((e) => e.name);
  assert.deepEqual(exports.sort(), ["gemm", "gemmDot", "memory", "packCols", "packRows"]);
});
