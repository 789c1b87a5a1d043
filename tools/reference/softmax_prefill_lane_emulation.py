#!/usr/bin/env python3
"""Lane-level emulation of kernels/cuda/softmax_prefill_mma.cu, to check its index math without a GPU.

  python3 tools/reference/softmax_prefill_lane_emulation.py

ldmatrix (.x4, with and without .trans) and mma.m16n8k16 (bf16, row.col, fp32 accumulation) are
implemented from the PTX ISA's fragment tables, lane by lane; the kernel's per-lane code (its ldmatrix
row addresses, causal mask, online softmax over the quad, the re-packing of the S accumulators as the
A operand of P·V, the output writes) is transcribed beside them, one CTA at a time, and compared with
the float64 softmax over the same bf16 cache. Rows past the chunk are NaN-poisoned, so a stray read
shows. Keep the transcription in step with the kernel when either changes. Swapping two ldmatrix
tiles, the pair order of P or the key index of the mask gives errors of 1e-2 … 5; the kernel's own
rounding gives ≈2e-3 (attention_bf16_error.py). Exits 1 above 5e-3, the GPU test's bound.
"""
import sys

import _env  # noqa: F401  (NumPy from Debian's python3-numpy under any Python 3.11)
import numpy as np

from mma_emulation import LANES, bf, ldmatrix_x4, mma



def cta(q, ldq, kc, vc, p0, T, H, KV, D, out, h, tileY, gridY):
    QR = KK = 64
    ld = D + 8
    kSteps = D // 16
    q0 = (gridY - 1 - tileY) * QR
    rows = min(T - q0, QR)
    kvh = h // (H // KV)
    lastKey = p0 + q0 + rows - 1
    tiles = lastKey // KK + 1
    Qs = np.zeros(QR * ld, np.float32)
    for j in range(QR):
        for d in range(D):
            Qs[j * ld + d] = bf(q[(q0 + j) * ldq + h * D + d]) if j < rows else 0.0
    scaleLog2 = np.float32(1.0 / np.sqrt(D) * 1.4426950408889634)
    for warp in range(4):
        base = [(warp * 16 + (l & 7) + ((l >> 3) & 1) * 8) * ld + (l >> 4) * 8 for l in LANES]
        qa = [ldmatrix_x4(Qs, ld, [b + kk * 16 for b in base]) for kk in range(kSteps)]
        o = np.zeros((2 * kSteps, 32, 4), np.float32)
        mRow = np.full((32, 2), -np.inf, np.float32); lRow = np.zeros((32, 2), np.float32)
        warpFirst = p0 + q0 + warp * 16
        g = LANES >> 2; c = LANES & 3
        pos = np.stack([warpFirst + g, warpFirst + g + 8], 1)
        for n in range(tiles):
            k0 = n * KK
            Ks = np.zeros(KK * ld, np.float32); Vs = np.zeros(KK * ld, np.float32)
            for j in range(KK):
                if k0 + j <= lastKey:
                    row = k0 + j
                    Ks[j*ld:j*ld+D] = kc[(row * KV + kvh) * D:(row * KV + kvh) * D + D]
                    Vs[j*ld:j*ld+D] = vc[(row * KV + kvh) * D:(row * KV + kvh) * D + D]
            if not (k0 <= warpFirst + 15):
                continue
            sc = np.zeros((8, 32, 4), np.float32)
            kb = [((l & 7) + (l >> 4) * 8) * ld + ((l >> 3) & 1) * 8 for l in LANES]
            for kk in range(kSteps):
                for kp in range(4):
                    b = ldmatrix_x4(Ks, ld, [x + kp * 16 * ld + kk * 16 for x in kb])
                    sc[2*kp] = mma(sc[2*kp], qa[kk], b[0], b[1])
                    sc[2*kp+1] = mma(sc[2*kp+1], qa[kk], b[2], b[3])
            diagonal = k0 + KK - 1 > warpFirst
            tileMax = np.full((32, 2), -np.inf, np.float32)
            for j in range(8):
                for e in range(4):
                    s = sc[j, :, e] * scaleLog2
                    if diagonal:
                        key = k0 + 8 * j + 2 * c + (e & 1)
                        s = np.where(key > pos[:, e >> 1], -np.inf, s)
                    sc[j, :, e] = s
                    tileMax[:, e >> 1] = np.maximum(tileMax[:, e >> 1], s)
            for r in range(2):
                t = tileMax[:, r]
                t = np.maximum(t, t[LANES ^ 1]); t = np.maximum(t, t[LANES ^ 2])
                mNew = np.maximum(mRow[:, r], t)
                mUse = np.where(mNew == -np.inf, 0, mNew)
                alpha = np.exp2(mRow[:, r] - mUse)
                mRow[:, r] = mNew
                tileMax[:, r] = mUse  # reuse as mUse
                if r == 0: alpha0 = alpha
                else: alpha1 = alpha
            rowSum = np.zeros((32, 2), np.float32)
            for j in range(8):
                for e in range(4):
                    p = np.exp2(sc[j, :, e] - tileMax[:, e >> 1])
                    sc[j, :, e] = p
                    rowSum[:, e >> 1] += p
            lRow[:, 0] = lRow[:, 0] * alpha0 + rowSum[:, 0]
            lRow[:, 1] = lRow[:, 1] * alpha1 + rowSum[:, 1]
            o[:, :, 0] *= alpha0; o[:, :, 1] *= alpha0; o[:, :, 2] *= alpha1; o[:, :, 3] *= alpha1
            vb = [((l & 7) + ((l >> 3) & 1) * 8) * ld + (l >> 4) * 8 for l in LANES]
            for kk in range(4):
                pa = np.zeros((4, 32, 2), np.float32)
                pa[0] = bf(sc[2*kk][:, 0:2]); pa[1] = bf(sc[2*kk][:, 2:4])
                pa[2] = bf(sc[2*kk+1][:, 0:2]); pa[3] = bf(sc[2*kk+1][:, 2:4])
                for np_ in range(kSteps):
                    b = ldmatrix_x4(Vs, ld, [x + kk * 16 * ld + np_ * 16 for x in vb], trans=True)
                    o[2*np_] = mma(o[2*np_], pa, b[0], b[1])
                    o[2*np_+1] = mma(o[2*np_+1], pa, b[2], b[3])
        for r in range(2):
            l_ = lRow[:, r]
            l_ = l_ + l_[LANES ^ 1]; l_ = l_ + l_[LANES ^ 2]
            for lane in range(32):
                t = q0 + warp * 16 + (lane >> 2) + 8 * r
                if t >= T: continue
                for nt in range(2 * kSteps):
                    base = (t * H + h) * D + 2 * (lane & 3) + 8 * nt
                    out[base:base+2] = o[nt, lane, 2*r:2*r+2] / l_[lane]

def run(D, H, KV, p0, T, seed=0):
    rng = np.random.default_rng(seed)
    P = p0 + T + 3
    ldq = H * D + 5
    q = rng.uniform(-2, 2, T * ldq).astype(np.float32)
    kc = bf(rng.uniform(-2, 2, P * KV * D)); vc = bf(rng.uniform(-2, 2, P * KV * D))
    kc[(p0 + T) * KV * D:] = np.nan; vc[(p0 + T) * KV * D:] = np.nan  # poisoned rows past the chunk
    out = np.full(T * H * D, np.nan, np.float32)
    gridY = (T + 63) // 64
    for h in range(H):
        for y in range(gridY):
            cta(q, ldq, kc, vc, p0, T, H, KV, D, out, h, y, gridY)
    # reference
    want = np.zeros(T * H * D)
    for t in range(T):
        for h in range(H):
            kvh = h // (H // KV)
            qq = q[t * ldq + h * D: t * ldq + h * D + D].astype(np.float64)
            n = p0 + t + 1
            K = kc.reshape(P, KV, D)[:n, kvh].astype(np.float64); V = vc.reshape(P, KV, D)[:n, kvh].astype(np.float64)
            s = K @ qq / np.sqrt(D); w = np.exp(s - s.max()); w /= w.sum()
            want[(t * H + h) * D:(t * H + h) * D + D] = w @ V
    assert not np.isnan(out).any(), "unwritten outputs"
    return np.sqrt(((out - want) ** 2).sum() / (want ** 2).sum())

def main():
    worst = 0.0
    cases = [(64, 2, 1, 0, 3), (64, 2, 2, 0, 77), (64, 3, 1, 45, 33), (128, 2, 1, 0, 65), (64, 1, 1, 130, 70),
             (64, 2, 1, 300, 2)]
    for case in cases:
        e = run(*case)
        worst = max(worst, e)
        print("D=%d H=%d KV=%d p0=%d T=%d: %.2e" % (case + (e,)))
    print("worst %.2e" % worst)
    return 0 if worst <= 5e-3 else 1


if __name__ == "__main__":
    sys.exit(main())
