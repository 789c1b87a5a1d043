#!/usr/bin/env python3
"""Lane-level emulation of kernels/cuda/softmax_decode_mma.cu (one decode step), to check its index math
without a GPU.

  python3 tools/reference/softmax_decode_lane_emulation.py

ldmatrix and mma come from mma_emulation.py (the PTX fragment tables). The kernel's per-lane code — the
query heads of a kv head as the 16 rows, 16 keys per warp and 64-key tile, the range mask, the online
softmax over the quad, P·V from the re-packed accumulators, the merge of the four warps and of the
ranges (attentionCombine) — is transcribed, CTA by CTA, over ranges cut as the launcher cuts them, and
compared with the float64 softmax over the same bf16 cache; rows past the position are NaN-poisoned.
Exits 1 above 5e-3, the GPU test's bound. Keep the transcription in step with the kernel.
"""
import sys

import _env  # noqa: F401  (NumPy from Debian's python3-numpy under any Python 3.11)
import numpy as np

from mma_emulation import LANES, bf, ldmatrix_x4, mma

ROWS, KEYS, WARPS = 16, 64, 4


def cta(q, kc, vc, n, chunk, H, KV, D, split, kvh, z, part):
    ld = D + 8
    k_steps = D // 16
    G = H // KV
    h0 = kvh * G + z * ROWS
    rows = min(G - z * ROWS, ROWS)
    begin = split * chunk
    end = min(begin + chunk, n)
    tiles = (end - begin + KEYS - 1) // KEYS if end > begin else 0
    scale_log2 = np.float32(1.0 / np.sqrt(D) * 1.4426950408889634)
    Qs = np.zeros(ROWS * ld, np.float32)
    for r in range(rows):
        Qs[r * ld:r * ld + D] = bf(q[(h0 + r) * D:(h0 + r) * D + D])
    rows_first = [((l & 7) + ((l >> 3) & 1) * 8) * ld + (l >> 4) * 8 for l in LANES]
    cols_first = [((l & 7) + (l >> 4) * 8) * ld + ((l >> 3) & 1) * 8 for l in LANES]
    qa = [ldmatrix_x4(Qs, ld, [x + kk * 16 for x in rows_first]) for kk in range(k_steps)]
    c = LANES & 3
    merge = []
    for w in range(WARPS):
        o = np.zeros((2 * k_steps, 32, 4), np.float32)
        m_row = np.full((32, 2), -np.inf, np.float32)
        l_row = np.zeros((32, 2), np.float32)
        for t in range(tiles):
            k0 = begin + t * KEYS
            tile = np.zeros(2 * KEYS * ld, np.float32)  # K then V
            for j in range(KEYS):
                if k0 + j < end:
                    src = ((k0 + j) * KV + kvh) * D
                    tile[j * ld:j * ld + D] = kc[src:src + D]
                    tile[(KEYS + j) * ld:(KEYS + j) * ld + D] = vc[src:src + D]
            ks_off = w * 16 * ld
            vs_off = KEYS * ld + w * 16 * ld
            sc = np.zeros((2, 32, 4), np.float32)
            for kk in range(k_steps):
                b = ldmatrix_x4(tile, ld, [ks_off + x + kk * 16 for x in cols_first])
                sc[0] = mma(sc[0], qa[kk], b[0], b[1])
                sc[1] = mma(sc[1], qa[kk], b[2], b[3])
            key0 = begin + t * KEYS + w * 16
            tile_max = np.full((32, 2), -np.inf, np.float32)
            for j in range(2):
                for e in range(4):
                    s = np.where(key0 + 8 * j + 2 * c + (e & 1) < end, sc[j, :, e] * scale_log2, -np.inf)
                    sc[j, :, e] = s
                    tile_max[:, e >> 1] = np.maximum(tile_max[:, e >> 1], s)
            m_use = np.zeros((32, 2), np.float32); alpha = np.zeros((32, 2), np.float32)
            for r in range(2):
                tm = tile_max[:, r]
                tm = np.maximum(tm, tm[LANES ^ 1]); tm = np.maximum(tm, tm[LANES ^ 2])
                m_new = np.maximum(m_row[:, r], tm)
                m_use[:, r] = np.where(m_new == -np.inf, 0, m_new)
                alpha[:, r] = np.exp2(m_row[:, r] - m_use[:, r])
                m_row[:, r] = m_new
            row_sum = np.zeros((32, 2), np.float32)
            for j in range(2):
                for e in range(4):
                    p = np.exp2(sc[j, :, e] - m_use[:, e >> 1])
                    sc[j, :, e] = p
                    row_sum[:, e >> 1] += p
            l_row = l_row * alpha + row_sum
            o[:, :, 0] *= alpha[:, 0]; o[:, :, 1] *= alpha[:, 0]
            o[:, :, 2] *= alpha[:, 1]; o[:, :, 3] *= alpha[:, 1]
            pa = np.stack([bf(sc[0][:, 0:2]), bf(sc[0][:, 2:4]), bf(sc[1][:, 0:2]), bf(sc[1][:, 2:4])])
            for np_ in range(k_steps):
                b = ldmatrix_x4(tile, ld, [vs_off + x + np_ * 16 for x in rows_first], trans=True)
                o[2 * np_] = mma(o[2 * np_], pa, b[0], b[1])
                o[2 * np_ + 1] = mma(o[2 * np_ + 1], pa, b[2], b[3])
        pw = np.zeros((ROWS, D + 2), np.float32)
        for r in range(2):
            lr = l_row[:, r]
            lr = lr + lr[LANES ^ 1]; lr = lr + lr[LANES ^ 2]
            for lane in range(32):
                row = (lane >> 2) + 8 * r
                if (lane & 3) == 0:
                    pw[row, 0], pw[row, 1] = m_row[lane, r], lr[lane]
                for nt in range(2 * k_steps):
                    pw[row, 2 + 8 * nt + 2 * (lane & 3)] = o[nt, lane, 2 * r]
                    pw[row, 2 + 8 * nt + 2 * (lane & 3) + 1] = o[nt, lane, 2 * r + 1]
        merge.append(pw)
    for r in range(rows):
        M = max(merge[w][r, 0] for w in range(WARPS))
        total, acc = np.float32(0), np.zeros(D, np.float32)
        if M != -np.inf:
            for w in range(WARPS):
                if merge[w][r, 0] == -np.inf:
                    continue
                f = np.exp2(merge[w][r, 0] - M)
                total += merge[w][r, 1] * f
                acc += merge[w][r, 2:] * f
        part[split, h0 + r, 0], part[split, h0 + r, 1], part[split, h0 + r, 2:] = M, total, acc


def run(D, H, KV, p0, splits, seed=0):
    rng = np.random.default_rng(seed)
    n = p0 + 1
    P = n + 5
    q = rng.uniform(-2, 2, H * D).astype(np.float32)
    kc = bf(rng.uniform(-2, 2, P * KV * D)); vc = bf(rng.uniform(-2, 2, P * KV * D))
    kc[n * KV * D:] = np.nan; vc[n * KV * D:] = np.nan
    chunk = ((n + splits - 1) // splits + KEYS - 1) // KEYS * KEYS
    part = np.full((splits, H, 2 + D), np.nan, np.float32)
    group_ctas = (H // KV + ROWS - 1) // ROWS
    for split in range(splits):
        for kvh in range(KV):
            for z in range(group_ctas):
                cta(q, kc, vc, n, chunk, H, KV, D, split, kvh, z, part)
    out = np.zeros((H, D), np.float32)
    for h in range(H):  # attentionCombine
        M = part[:, h, 0].max()
        total, acc = 0.0, np.zeros(D)
        for r in range(splits):
            if part[r, h, 0] == -np.inf:
                continue
            f = np.exp2(part[r, h, 0] - M)
            total += part[r, h, 1] * f
            acc += part[r, h, 2:] * f
        out[h] = acc / total
    want = np.zeros((H, D))
    for h in range(H):
        kvh = h // (H // KV)
        K = kc.reshape(P, KV, D)[:n, kvh].astype(np.float64); V = vc.reshape(P, KV, D)[:n, kvh].astype(np.float64)
        s = K @ q[h * D:h * D + D].astype(np.float64) / np.sqrt(D)
        wts = np.exp(s - s.max())
        want[h] = wts / wts.sum() @ V
    assert not np.isnan(out).any(), "NaN in the output"
    return np.sqrt(((out - want) ** 2).sum() / (want ** 2).sum())


def main():
    worst = 0.0
    # (D, H, KV, p0, ranges): one key, a partial tile, several ranges some empty, 12 and 24 heads per kv head
    for case in [(64, 6, 2, 0, 1), (128, 6, 2, 77, 1), (64, 8, 1, 300, 3), (128, 16, 2, 1000, 4),
                 (64, 12, 1, 130, 8), (64, 24, 1, 200, 2)]:
        e = run(*case)
        worst = max(worst, e)
        print("D=%d H=%d KV=%d p0=%d ranges=%d: %.2e" % (case + (e,)))
    print("worst %.2e" % worst)
    return 0 if worst <= 5e-3 else 1


if __name__ == "__main__":
    sys.exit(main())
