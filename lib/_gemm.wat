;; Float64 matrix multiply kernel, WebAssembly SIMD (f64x2 + relaxed fused multiply-add).
;;
;; C = A·B over operands that lib/_gemm.ts has already placed in this module's memory:
;;   A: ceil(m/4) panels, each [kPad][4] f64 (four rows of A, interleaved by k)
;;   B: either packed like A, ceil(n/4) panels of [kPad][4] f64 (four columns of B, interleaved
;;      by k), or B itself, row-major [kPad][ldb] (each k-step of a 4-column panel is then four
;;      consecutive elements, one row of B apart): lib/_gemm.ts uses that for small m or k,
;;      where packing B would cost more than it saves
;;   C: [4·ceil(m/4)][ldc] f64, row-major, ldc = 4·ceil(n/4); overwritten
;; kPad is even and ≥ 2; padding rows and k-steps of A hold zeros, and B's padding k-step holds
;; finite values (the columns of B past n only reach the columns of C past n, which are dropped).
;;
;; gemmDot, below, is the one routine with another layout: C = A·Bᵀ over A and B as they are,
;; rows along k, for A·Bᵀ with few rows of A or B.
;;
;; A 4×4 tile of C lives in eight f64x2 registers while the micro-kernel walks k, two steps per
;; iteration. Around it, blocking keeps the working set in cache: a KC-deep slice of one B panel
;; (8 KiB) stays in L1 while it meets MC rows of A (256 KiB of A panels, in L2).
;; Rebuild the bytes in lib/_gemm_wasm.ts with `deno run -A lib/_build_gemm.ts` after editing.
(module
  (memory (export "memory") 1)

  ;; Depth of a k block (even) and number of A panels in an m block.
  (global $KC i32 (i32.const 256))
  (global $MC_PANELS i32 (i32.const 32))

  ;; One 4×4 tile: C[4×4] = Apanel[kc×4]ᵀ·Bpanel[kc×4], added to the tile in memory when $accumulate
  ;; is non-zero. $a and $b point at the panels' first k-step, $c at the tile's top-left element.
  ;; $kc is even and ≥ 2; $ldc is the row stride of C in bytes. B is packed (k-steps 32 bytes
  ;; apart); $kernel4x4Strided below is the same tile for a B read as it is.
  (func $kernel4x4
    (param $a i32) (param $b i32) (param $c i32) (param $kc i32) (param $ldc i32)
    (param $accumulate i32)
    (local $aEnd i32)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    ;; $cRH: row R of the tile, columns 2H and 2H+1
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $aEnd (i32.add (local.get $a) (i32.shl (local.get $kc) (i32.const 5))))
    (loop $k2
      ;; k-step p: B[p][0..3] in two registers, each A[p][r] splatted in turn
      (local.set $b0 (v128.load offset=0 (local.get $b)))
      (local.set $b1 (v128.load offset=16 (local.get $b)))
      (local.set $x (v128.load64_splat offset=0 (local.get $a)))
      (local.set $c00 (f64x2.relaxed_madd (local.get $x) (local.get $b0) (local.get $c00)))
      (local.set $c01 (f64x2.relaxed_madd (local.get $x) (local.get $b1) (local.get $c01)))
      (local.set $x (v128.load64_splat offset=8 (local.get $a)))
      (local.set $c10 (f64x2.relaxed_madd (local.get $x) (local.get $b0) (local.get $c10)))
      (local.set $c11 (f64x2.relaxed_madd (local.get $x) (local.get $b1) (local.get $c11)))
      (local.set $x (v128.load64_splat offset=16 (local.get $a)))
      (local.set $c20 (f64x2.relaxed_madd (local.get $x) (local.get $b0) (local.get $c20)))
      (local.set $c21 (f64x2.relaxed_madd (local.get $x) (local.get $b1) (local.get $c21)))
      (local.set $x (v128.load64_splat offset=24 (local.get $a)))
      (local.set $c30 (f64x2.relaxed_madd (local.get $x) (local.get $b0) (local.get $c30)))
      (local.set $c31 (f64x2.relaxed_madd (local.get $x) (local.get $b1) (local.get $c31)))
      ;; k-step p + 1
      (local.set $b0 (v128.load offset=32 (local.get $b)))
      (local.set $b1 (v128.load offset=48 (local.get $b)))
      (local.set $x (v128.load64_splat offset=32 (local.get $a)))
      (local.set $c00 (f64x2.relaxed_madd (local.get $x) (local.get $b0) (local.get $c00)))
      (local.set $c01 (f64x2.relaxed_madd (local.get $x) (local.get $b1) (local.get $c01)))
      (local.set $x (v128.load64_splat offset=40 (local.get $a)))
      (local.set $c10 (f64x2.relaxed_madd (local.get $x) (local.get $b0) (local.get $c10)))
      (local.set $c11 (f64x2.relaxed_madd (local.get $x) (local.get $b1) (local.get $c11)))
      (local.set $x (v128.load64_splat offset=48 (local.get $a)))
      (local.set $c20 (f64x2.relaxed_madd (local.get $x) (local.get $b0) (local.get $c20)))
      (local.set $c21 (f64x2.relaxed_madd (local.get $x) (local.get $b1) (local.get $c21)))
      (local.set $x (v128.load64_splat offset=56 (local.get $a)))
      (local.set $c30 (f64x2.relaxed_madd (local.get $x) (local.get $b0) (local.get $c30)))
      (local.set $c31 (f64x2.relaxed_madd (local.get $x) (local.get $b1) (local.get $c31)))
      (local.set $a (i32.add (local.get $a) (i32.const 64)))
      (local.set $b (i32.add (local.get $b) (i32.const 64)))
      (br_if $k2 (i32.lt_u (local.get $a) (local.get $aEnd))))
    (if (local.get $accumulate)
      (then
        (local.set $c00 (f64x2.add (local.get $c00) (v128.load offset=0 (local.get $c))))
        (local.set $c01 (f64x2.add (local.get $c01) (v128.load offset=16 (local.get $c))))
        (local.set $c (i32.add (local.get $c) (local.get $ldc)))
        (local.set $c10 (f64x2.add (local.get $c10) (v128.load offset=0 (local.get $c))))
        (local.set $c11 (f64x2.add (local.get $c11) (v128.load offset=16 (local.get $c))))
        (local.set $c (i32.add (local.get $c) (local.get $ldc)))
        (local.set $c20 (f64x2.add (local.get $c20) (v128.load offset=0 (local.get $c))))
        (local.set $c21 (f64x2.add (local.get $c21) (v128.load offset=16 (local.get $c))))
        (local.set $c (i32.add (local.get $c) (local.get $ldc)))
        (local.set $c30 (f64x2.add (local.get $c30) (v128.load offset=0 (local.get $c))))
        (local.set $c31 (f64x2.add (local.get $c31) (v128.load offset=16 (local.get $c))))
        ;; back to the tile's first row
        (local.set $c (i32.sub (local.get $c) (i32.mul (local.get $ldc) (i32.const 3))))))
    (v128.store offset=0 (local.get $c) (local.get $c00))
    (v128.store offset=16 (local.get $c) (local.get $c01))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (v128.store offset=0 (local.get $c) (local.get $c10))
    (v128.store offset=16 (local.get $c) (local.get $c11))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (v128.store offset=0 (local.get $c) (local.get $c20))
    (v128.store offset=16 (local.get $c) (local.get $c21))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (v128.store offset=0 (local.get $c) (local.get $c30))
    (v128.store offset=16 (local.get $c) (local.get $c31)))

  ;; $kernel4x4 with B's k-steps $ldb bytes apart (B read as it is, one row of B per k-step).
  (func $kernel4x4Strided
    (param $a i32) (param $b i32) (param $c i32) (param $kc i32) (param $ldb i32) (param $ldc i32)
    (param $accumulate i32)
    (local $aEnd i32)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    ;; $cRH: row R of the tile, columns 2H and 2H+1
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $aEnd (i32.add (local.get $a) (i32.shl (local.get $kc) (i32.const 5))))
    (loop $k2
      ;; k-step p: B[p][0..3] in two registers, each A[p][r] splatted in turn
      (local.set $b0 (v128.load offset=0 (local.get $b)))
      (local.set $b1 (v128.load offset=16 (local.get $b)))
      (local.set $x (v128.load64_splat offset=0 (local.get $a)))
      (local.set $c00 (f64x2.relaxed_madd (local.get $x) (local.get $b0) (local.get $c00)))
      (local.set $c01 (f64x2.relaxed_madd (local.get $x) (local.get $b1) (local.get $c01)))
      (local.set $x (v128.load64_splat offset=8 (local.get $a)))
      (local.set $c10 (f64x2.relaxed_madd (local.get $x) (local.get $b0) (local.get $c10)))
      (local.set $c11 (f64x2.relaxed_madd (local.get $x) (local.get $b1) (local.get $c11)))
      (local.set $x (v128.load64_splat offset=16 (local.get $a)))
      (local.set $c20 (f64x2.relaxed_madd (local.get $x) (local.get $b0) (local.get $c20)))
      (local.set $c21 (f64x2.relaxed_madd (local.get $x) (local.get $b1) (local.get $c21)))
      (local.set $x (v128.load64_splat offset=24 (local.get $a)))
      (local.set $c30 (f64x2.relaxed_madd (local.get $x) (local.get $b0) (local.get $c30)))
      (local.set $c31 (f64x2.relaxed_madd (local.get $x) (local.get $b1) (local.get $c31)))
      ;; k-step p + 1
      (local.set $b (i32.add (local.get $b) (local.get $ldb)))
      (local.set $b0 (v128.load offset=0 (local.get $b)))
      (local.set $b1 (v128.load offset=16 (local.get $b)))
      (local.set $x (v128.load64_splat offset=32 (local.get $a)))
      (local.set $c00 (f64x2.relaxed_madd (local.get $x) (local.get $b0) (local.get $c00)))
      (local.set $c01 (f64x2.relaxed_madd (local.get $x) (local.get $b1) (local.get $c01)))
      (local.set $x (v128.load64_splat offset=40 (local.get $a)))
      (local.set $c10 (f64x2.relaxed_madd (local.get $x) (local.get $b0) (local.get $c10)))
      (local.set $c11 (f64x2.relaxed_madd (local.get $x) (local.get $b1) (local.get $c11)))
      (local.set $x (v128.load64_splat offset=48 (local.get $a)))
      (local.set $c20 (f64x2.relaxed_madd (local.get $x) (local.get $b0) (local.get $c20)))
      (local.set $c21 (f64x2.relaxed_madd (local.get $x) (local.get $b1) (local.get $c21)))
      (local.set $x (v128.load64_splat offset=56 (local.get $a)))
      (local.set $c30 (f64x2.relaxed_madd (local.get $x) (local.get $b0) (local.get $c30)))
      (local.set $c31 (f64x2.relaxed_madd (local.get $x) (local.get $b1) (local.get $c31)))
      (local.set $a (i32.add (local.get $a) (i32.const 64)))
      (local.set $b (i32.add (local.get $b) (local.get $ldb)))
      (br_if $k2 (i32.lt_u (local.get $a) (local.get $aEnd))))
    (if (local.get $accumulate)
      (then
        (local.set $c00 (f64x2.add (local.get $c00) (v128.load offset=0 (local.get $c))))
        (local.set $c01 (f64x2.add (local.get $c01) (v128.load offset=16 (local.get $c))))
        (local.set $c (i32.add (local.get $c) (local.get $ldc)))
        (local.set $c10 (f64x2.add (local.get $c10) (v128.load offset=0 (local.get $c))))
        (local.set $c11 (f64x2.add (local.get $c11) (v128.load offset=16 (local.get $c))))
        (local.set $c (i32.add (local.get $c) (local.get $ldc)))
        (local.set $c20 (f64x2.add (local.get $c20) (v128.load offset=0 (local.get $c))))
        (local.set $c21 (f64x2.add (local.get $c21) (v128.load offset=16 (local.get $c))))
        (local.set $c (i32.add (local.get $c) (local.get $ldc)))
        (local.set $c30 (f64x2.add (local.get $c30) (v128.load offset=0 (local.get $c))))
        (local.set $c31 (f64x2.add (local.get $c31) (v128.load offset=16 (local.get $c))))
        ;; back to the tile's first row
        (local.set $c (i32.sub (local.get $c) (i32.mul (local.get $ldc) (i32.const 3))))))
    (v128.store offset=0 (local.get $c) (local.get $c00))
    (v128.store offset=16 (local.get $c) (local.get $c01))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (v128.store offset=0 (local.get $c) (local.get $c10))
    (v128.store offset=16 (local.get $c) (local.get $c11))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (v128.store offset=0 (local.get $c) (local.get $c20))
    (v128.store offset=16 (local.get $c) (local.get $c21))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (v128.store offset=0 (local.get $c) (local.get $c30))
    (v128.store offset=16 (local.get $c) (local.get $c31)))

  ;; Packing: lib/_gemm.ts first copies A and B into this memory as they are stored, then one of
  ;; these two rearranges each into panels. X is op(A) (rows = m) or op(B)ᵀ (rows = n).
  ;; Both read up to the next multiple of four rows (and packRows one k-step past an odd k), so the
  ;; source region needs slack after it; lib/_gemm.ts zeroes the padding lanes afterwards.

  ;; X[i][p] at $src + (i·$ld + p)·8: each row of X is contiguous in k (op(A) when !transA,
  ;; op(B)ᵀ when transB). Transposes 4×2 blocks into 2×4. $ld is in bytes; $kPad is even.
  (func (export "packRows")
    (param $src i32) (param $ld i32) (param $panels i32) (param $kPad i32) (param $dst i32)
    (local $s i32) (local $sEnd i32) (local $ld3 i32)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128)
    (local.set $ld3 (i32.mul (local.get $ld) (i32.const 3)))
    (loop $panel
      (local.set $s (local.get $src))
      (local.set $sEnd (i32.add (local.get $src) (i32.shl (local.get $kPad) (i32.const 3))))
      (loop $k2
        ;; rows 0..3 of the panel at k-steps p and p + 1
        (local.set $r0 (v128.load (local.get $s)))
        (local.set $r1 (v128.load (i32.add (local.get $s) (local.get $ld))))
        (local.set $r2 (v128.load (i32.add (local.get $s) (i32.shl (local.get $ld) (i32.const 1)))))
        (local.set $r3 (v128.load (i32.add (local.get $s) (local.get $ld3))))
        (v128.store offset=0 (local.get $dst)
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $r0) (local.get $r1)))
        (v128.store offset=16 (local.get $dst)
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $r2) (local.get $r3)))
        (v128.store offset=32 (local.get $dst)
          (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $r0) (local.get $r1)))
        (v128.store offset=48 (local.get $dst)
          (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $r2) (local.get $r3)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 64)))
        (local.set $s (i32.add (local.get $s) (i32.const 16)))
        (br_if $k2 (i32.lt_u (local.get $s) (local.get $sEnd))))
      (local.set $src (i32.add (local.get $src) (i32.shl (local.get $ld) (i32.const 2))))
      (local.set $panels (i32.sub (local.get $panels) (i32.const 1)))
      (br_if $panel (local.get $panels))))

  ;; X[i][p] at $src + (p·$ld + i)·8: each k-step of X is contiguous across rows (op(A) when
  ;; transA, op(B)ᵀ when !transB), so a panel's k-step is four consecutive elements.
  ;; $ld is in bytes; copies k-steps 0..$k-1, leaving an odd k's padding step to the caller.
  (func (export "packCols")
    (param $src i32) (param $ld i32) (param $panels i32) (param $k i32) (param $kPad i32)
    (param $dst i32)
    (local $p i32) (local $s i32) (local $d i32) (local $dEnd i32) (local $panelBytes i32)
    (local.set $panelBytes (i32.shl (local.get $kPad) (i32.const 5)))
    (loop $kSteps
      (local.set $s (local.get $src))
      (local.set $d (i32.add (local.get $dst) (i32.shl (local.get $p) (i32.const 5))))
      (local.set $dEnd (i32.add (local.get $d) (i32.mul (local.get $panels) (local.get $panelBytes))))
      (loop $panel
        (v128.store offset=0 (local.get $d) (v128.load offset=0 (local.get $s)))
        (v128.store offset=16 (local.get $d) (v128.load offset=16 (local.get $s)))
        (local.set $s (i32.add (local.get $s) (i32.const 32)))
        (local.set $d (i32.add (local.get $d) (local.get $panelBytes)))
        (br_if $panel (i32.lt_u (local.get $d) (local.get $dEnd))))
      (local.set $src (i32.add (local.get $src) (local.get $ld)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br_if $kSteps (i32.lt_u (local.get $p) (local.get $k)))))

;; C = A·Bᵀ for A [2·mPairs][kPad] and B [4·nQuads][kPad], both row-major along k (rows of A and
  ;; of B are dot-product operands, nothing packed); C is [2·mPairs][ldc], overwritten. kPad is
  ;; even; padding rows and k-steps hold zeros. lib/_gemm.ts uses this for A·Bᵀ with few rows of A
  ;; or of B (the gradW product of a convolution), where packing both costs as much as the product.
  ;; Tile: two rows of A × four rows of B, eight f64x2 sums (even and odd k-steps in the two lanes).
  (func (export "gemmDot")
    (param $a i32) (param $b i32) (param $c i32)
    (param $mPairs i32) (param $nQuads i32) (param $kPad i32) (param $ldc i32)
    (local $rowBytes i32) (local $ldcBytes i32) (local $i i32) (local $j i32)
    (local $a0 i32) (local $a1 i32) (local $b0 i32) (local $b1 i32) (local $b2 i32) (local $b3 i32)
    (local $p i32) (local $cRow i32)
    (local $x0 v128) (local $x1 v128) (local $y v128)
    ;; $sIJ: row I of the pair × row J of the quad
    (local $s00 v128) (local $s01 v128) (local $s02 v128) (local $s03 v128)
    (local $s10 v128) (local $s11 v128) (local $s12 v128) (local $s13 v128)
    (local.set $rowBytes (i32.shl (local.get $kPad) (i32.const 3)))
    (local.set $ldcBytes (i32.shl (local.get $ldc) (i32.const 3)))
    (loop $pairs
      (local.set $a0 (i32.add (local.get $a) (i32.mul (i32.shl (local.get $i) (i32.const 1)) (local.get $rowBytes))))
      (local.set $a1 (i32.add (local.get $a0) (local.get $rowBytes)))
      (local.set $cRow (i32.add (local.get $c) (i32.mul (i32.shl (local.get $i) (i32.const 1)) (local.get $ldcBytes))))
      (local.set $j (i32.const 0))
      (loop $quads
        (local.set $b0 (i32.add (local.get $b) (i32.mul (i32.shl (local.get $j) (i32.const 2)) (local.get $rowBytes))))
        (local.set $b1 (i32.add (local.get $b0) (local.get $rowBytes)))
        (local.set $b2 (i32.add (local.get $b1) (local.get $rowBytes)))
        (local.set $b3 (i32.add (local.get $b2) (local.get $rowBytes)))
        (local.set $s00 (v128.const f64x2 0 0)) (local.set $s01 (v128.const f64x2 0 0))
        (local.set $s02 (v128.const f64x2 0 0)) (local.set $s03 (v128.const f64x2 0 0))
        (local.set $s10 (v128.const f64x2 0 0)) (local.set $s11 (v128.const f64x2 0 0))
        (local.set $s12 (v128.const f64x2 0 0)) (local.set $s13 (v128.const f64x2 0 0))
        (local.set $p (i32.const 0))
        (loop $k2
          (local.set $x0 (v128.load (i32.add (local.get $a0) (local.get $p))))
          (local.set $x1 (v128.load (i32.add (local.get $a1) (local.get $p))))
          (local.set $y (v128.load (i32.add (local.get $b0) (local.get $p))))
          (local.set $s00 (f64x2.relaxed_madd (local.get $x0) (local.get $y) (local.get $s00)))
          (local.set $s10 (f64x2.relaxed_madd (local.get $x1) (local.get $y) (local.get $s10)))
          (local.set $y (v128.load (i32.add (local.get $b1) (local.get $p))))
          (local.set $s01 (f64x2.relaxed_madd (local.get $x0) (local.get $y) (local.get $s01)))
          (local.set $s11 (f64x2.relaxed_madd (local.get $x1) (local.get $y) (local.get $s11)))
          (local.set $y (v128.load (i32.add (local.get $b2) (local.get $p))))
          (local.set $s02 (f64x2.relaxed_madd (local.get $x0) (local.get $y) (local.get $s02)))
          (local.set $s12 (f64x2.relaxed_madd (local.get $x1) (local.get $y) (local.get $s12)))
          (local.set $y (v128.load (i32.add (local.get $b3) (local.get $p))))
          (local.set $s03 (f64x2.relaxed_madd (local.get $x0) (local.get $y) (local.get $s03)))
          (local.set $s13 (f64x2.relaxed_madd (local.get $x1) (local.get $y) (local.get $s13)))
          (local.set $p (i32.add (local.get $p) (i32.const 16)))
          (br_if $k2 (i32.lt_u (local.get $p) (local.get $rowBytes))))
        ;; each sum's two lanes (even and odd k-steps) added: C[2i + I][4j + J]
        (f64.store offset=0 (local.get $cRow) (call $lanes (local.get $s00)))
        (f64.store offset=8 (local.get $cRow) (call $lanes (local.get $s01)))
        (f64.store offset=16 (local.get $cRow) (call $lanes (local.get $s02)))
        (f64.store offset=24 (local.get $cRow) (call $lanes (local.get $s03)))
        (f64.store offset=0 (i32.add (local.get $cRow) (local.get $ldcBytes)) (call $lanes (local.get $s10)))
        (f64.store offset=8 (i32.add (local.get $cRow) (local.get $ldcBytes)) (call $lanes (local.get $s11)))
        (f64.store offset=16 (i32.add (local.get $cRow) (local.get $ldcBytes)) (call $lanes (local.get $s12)))
        (f64.store offset=24 (i32.add (local.get $cRow) (local.get $ldcBytes)) (call $lanes (local.get $s13)))
        (local.set $cRow (i32.add (local.get $cRow) (i32.const 32)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br_if $quads (i32.lt_u (local.get $j) (local.get $nQuads))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $pairs (i32.lt_u (local.get $i) (local.get $mPairs)))))

  ;; The sum of an f64x2's two lanes.
  (func $lanes (param $v v128) (result f64)
    (f64.add (f64x2.extract_lane 0 (local.get $v)) (f64x2.extract_lane 1 (local.get $v))))

  ;; C = A·B (layout at the top of this file). Pointers are byte offsets. B's k-steps are $ldb
  ;; bytes apart and its panels $bPanel bytes apart: 32 and kPad·32 when packed, 8·(B's row
  ;; length) and 32 when B is used as it is. Loops, outer to inner: k blocks, m blocks, B panels,
  ;; A panels.
  (func (export "gemm")
    (param $a i32) (param $b i32) (param $c i32)
    (param $mPanels i32) (param $nPanels i32) (param $kPad i32) (param $ldc i32)
    (param $ldb i32) (param $bPanelBytes i32)
    (local $panelBytes i32) (local $ldcBytes i32)
    (local $pc i32) (local $kc i32) (local $ic i32) (local $icEnd i32) (local $ip i32) (local $jp i32)
    (local $bPanel i32) (local $aTile i32) (local $cTile i32)
    (local.set $panelBytes (i32.shl (local.get $kPad) (i32.const 5)))
    (local.set $ldcBytes (i32.shl (local.get $ldc) (i32.const 3)))
    (loop $kBlocks
      (local.set $kc (i32.sub (local.get $kPad) (local.get $pc)))
      (if (i32.gt_u (local.get $kc) (global.get $KC))
        (then (local.set $kc (global.get $KC))))
      (local.set $ic (i32.const 0))
      (loop $mBlocks
        (local.set $icEnd (i32.add (local.get $ic) (global.get $MC_PANELS)))
        (if (i32.gt_u (local.get $icEnd) (local.get $mPanels))
          (then (local.set $icEnd (local.get $mPanels))))
        (local.set $jp (i32.const 0))
        (loop $bPanels
          (local.set $bPanel
            (i32.add (local.get $b)
              (i32.add (i32.mul (local.get $jp) (local.get $bPanelBytes))
                (i32.mul (local.get $pc) (local.get $ldb)))))
          (local.set $ip (local.get $ic))
          (loop $aPanels
            (local.set $aTile
              (i32.add (local.get $a)
                (i32.add (i32.mul (local.get $ip) (local.get $panelBytes))
                  (i32.shl (local.get $pc) (i32.const 5)))))
            (local.set $cTile
              (i32.add (local.get $c)
                (i32.add (i32.mul (i32.shl (local.get $ip) (i32.const 2)) (local.get $ldcBytes))
                  (i32.shl (local.get $jp) (i32.const 5)))))
            (if (i32.eq (local.get $ldb) (i32.const 32))
              (then
                (call $kernel4x4 (local.get $aTile) (local.get $bPanel) (local.get $cTile)
                  (local.get $kc) (local.get $ldcBytes) (local.get $pc)))
              (else
                (call $kernel4x4Strided (local.get $aTile) (local.get $bPanel) (local.get $cTile)
                  (local.get $kc) (local.get $ldb) (local.get $ldcBytes) (local.get $pc))))
            (local.set $ip (i32.add (local.get $ip) (i32.const 1)))
            (br_if $aPanels (i32.lt_u (local.get $ip) (local.get $icEnd))))
          (local.set $jp (i32.add (local.get $jp) (i32.const 1)))
          (br_if $bPanels (i32.lt_u (local.get $jp) (local.get $nPanels))))
        (local.set $ic (local.get $icEnd))
        (br_if $mBlocks (i32.lt_u (local.get $ic) (local.get $mPanels))))
      (local.set $pc (i32.add (local.get $pc) (local.get $kc)))
      (br_if $kBlocks (i32.lt_u (local.get $pc) (local.get $kPad))))))
