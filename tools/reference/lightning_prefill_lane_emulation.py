#!/usr/bin/env python3
"""Lane-level emulation of kernels/cuda/lightning_prefill_bf16.cu, to check its index math and size its
error without a GPU.

  python3 tools/reference/lightning_prefill_lane_emulation.py

ldmatrix and mma come from mma_emulation.py (the PTX fragment tables); the kernel's per-lane code — the
bf16 operands made from a staged block, the masked scores, A·V and Q·S from registers, the state update
over each warp's rows of S and its bf16 copy — is transcribed beside them, one CTA at a time, phase by
phase between its barriers, on the inputs of tests/gpu/test_cuda_ops_lightning_prefill.cpp (qkv uniform
in [0, 0.3], a state in ±0.1 with pending decode steps, decays 0.5 / 0.01 / 1e-6 / 0.07). It compares
outputs and the final state with a float64 token-by-token recurrence and prints the normalised errors
the GPU test bounds. Keep the transcription in step with the kernel.
"""
import sys

import _env  # noqa: F401  (NumPy from Debian's python3-numpy under any Python 3.11)
import numpy as np

from mma_emulation import LANES, bf, ldmatrix_x4, mma

ROWS = WIDTH = 64
DECAYS = [0.5, 0.01, 1e-6, 0.07]
PENDING = [0, 5, 1000, 3]


def state_pairs(w, m_tiles):
    """(mt, nt, r, a, col) of each pair of a lane's state elements in warp w (lanes as arrays): st[w, mt,
    nt, :, 2r] and [2r + 1] are S[a, col] and S[a, col + 1], as the kernel's eachStatePair."""
    g, c = LANES >> 2, LANES & 3
    for mt in range(m_tiles):
        for nt in range(8):
            for r in range(2):
                yield mt, nt, r, (w * m_tiles + mt) * 16 + g + 8 * r, nt * 8 + 2 * c


def cta(qkv, T, H, D, decay, state, pending, out, h, slice_):
    ldb, ldw = D + 8, WIDTH + 8
    k_steps, m_tiles = D // 16, D // 16 // 4
    c0 = slice_ * WIDTH
    s = decay[h]
    dpow = np.array([np.float32(np.exp(-s * n)) for n in range(ROWS + 1)], np.float32)
    fold = np.float32(1.0 if pending[h] == 0 else np.exp(-s * pending[h]))
    Sg = state[h]  # [D, D] view
    g, c = LANES >> 2, LANES & 3
    st = np.zeros((4, m_tiles, 8, 32, 4), np.float32)  # per warp
    Sb = np.zeros(D * ldw, np.float32)
    for w in range(4):
        for mt, nt, r, a, col in state_pairs(w, m_tiles):
            st[w, mt, nt, :, 2 * r] = Sg[a, c0 + col] * fold
            st[w, mt, nt, :, 2 * r + 1] = Sg[a, c0 + col + 1] * fold
            Sb[a * ldw + col] = bf(st[w, mt, nt, :, 2 * r])
            Sb[a * ldw + col + 1] = bf(st[w, mt, nt, :, 2 * r + 1])
    blocks = (T + ROWS - 1) // ROWS
    for n in range(blocks):
        b0 = n * ROWS
        m = min(T - b0, ROWS)
        Qb = np.zeros(ROWS * ldb, np.float32); Kb = np.zeros(ROWS * ldb, np.float32)
        Vb = np.zeros(ROWS * ldw, np.float32); Vd = np.zeros(ROWS * ldw, np.float32)
        for j in range(m):
            Qb[j * ldb:j * ldb + D] = bf(qkv[b0 + j, h, 0])
            Kb[j * ldb:j * ldb + D] = bf(qkv[b0 + j, h, 1])
            v = qkv[b0 + j, h, 2, c0:c0 + WIDTH]
            Vb[j * ldw:j * ldw + WIDTH] = bf(v)
            Vd[j * ldw:j * ldw + WIDTH] = bf(v * dpow[m - 1 - j])
        k_major = [((l & 7) + ((l >> 3) & 1) * 8) * ldw + (l >> 4) * 8 for l in LANES]
        k_base = [((l & 7) + (l >> 4) * 8) * ldb + ((l >> 3) & 1) * 8 for l in LANES]
        for w in range(4):
            q_base = [(w * 16 + (l & 7) + ((l >> 3) & 1) * 8) * ldb + (l >> 4) * 8 for l in LANES]
            row0 = w * 16 + g
            sc = np.zeros((8, 32, 4), np.float32)
            for kk in range(k_steps):
                qa = ldmatrix_x4(Qb, ldb, [x + kk * 16 for x in q_base])
                for kp in range(4):
                    b = ldmatrix_x4(Kb, ldb, [x + kp * 16 * ldb + kk * 16 for x in k_base])
                    sc[2 * kp] = mma(sc[2 * kp], qa, b[0], b[1])
                    sc[2 * kp + 1] = mma(sc[2 * kp + 1], qa, b[2], b[3])
            for j in range(8):
                for e in range(4):
                    row = row0 + 8 * (e >> 1)
                    key = 8 * j + 2 * c + (e & 1)
                    sc[j, :, e] = np.where(key <= row, sc[j, :, e] * dpow[np.clip(row - key, 0, ROWS)], 0)
            o = np.zeros((8, 32, 4), np.float32); qs = np.zeros((8, 32, 4), np.float32)
            for kk in range(4):
                pa = np.stack([bf(sc[2 * kk][:, 0:2]), bf(sc[2 * kk][:, 2:4]),
                               bf(sc[2 * kk + 1][:, 0:2]), bf(sc[2 * kk + 1][:, 2:4])])
                for np_ in range(4):
                    b = ldmatrix_x4(Vb, ldw, [x + kk * 16 * ldw + np_ * 16 for x in k_major], trans=True)
                    o[2 * np_] = mma(o[2 * np_], pa, b[0], b[1])
                    o[2 * np_ + 1] = mma(o[2 * np_ + 1], pa, b[2], b[3])
            for kk in range(k_steps):
                qa = ldmatrix_x4(Qb, ldb, [x + kk * 16 for x in q_base])
                for np_ in range(4):
                    b = ldmatrix_x4(Sb, ldw, [x + kk * 16 * ldw + np_ * 16 for x in k_major], trans=True)
                    qs[2 * np_] = mma(qs[2 * np_], qa, b[0], b[1])
                    qs[2 * np_ + 1] = mma(qs[2 * np_ + 1], qa, b[2], b[3])
            for r in range(2):
                j = row0 + 8 * r
                for lane in range(32):
                    if j[lane] >= m:
                        continue
                    f = dpow[j[lane] + 1]
                    for nt in range(8):
                        col = c0 + 8 * nt + 2 * (lane & 3)
                        out[b0 + j[lane], h, col] = o[nt, lane, 2 * r] + f * qs[nt, lane, 2 * r]
                        out[b0 + j[lane], h, col + 1] = o[nt, lane, 2 * r + 1] + f * qs[nt, lane, 2 * r + 1]
        # barrier: every warp's Q S has read Sb
        for w in range(4):
            st[w] *= dpow[m]
            for ks in range(4):
                ka = [ldmatrix_x4(Kb, ldb, [x + ks * 16 * ldb + (w * m_tiles + mt) * 16 for x in k_base], trans=True)
                      for mt in range(m_tiles)]
                for mt in range(m_tiles):
                    for np_ in range(4):
                        b = ldmatrix_x4(Vd, ldw, [x + ks * 16 * ldw + np_ * 16 for x in k_major], trans=True)
                        st[w, mt, 2 * np_] = mma(st[w, mt, 2 * np_], ka[mt], b[0], b[1])
                        st[w, mt, 2 * np_ + 1] = mma(st[w, mt, 2 * np_ + 1], ka[mt], b[2], b[3])
            for mt, nt, r, a, col in state_pairs(w, m_tiles):
                Sb[a * ldw + col] = bf(st[w, mt, nt, :, 2 * r])
                Sb[a * ldw + col + 1] = bf(st[w, mt, nt, :, 2 * r + 1])
    for w in range(4):
        for mt, nt, r, a, col in state_pairs(w, m_tiles):
            Sg[a, c0 + col] = st[w, mt, nt, :, 2 * r]
            Sg[a, c0 + col + 1] = st[w, mt, nt, :, 2 * r + 1]


def normalised(got, want):
    return np.sqrt(((got - want) ** 2).sum() / (want ** 2).sum())


def run(T, D, seed=0):
    rng = np.random.default_rng(seed)
    H = len(DECAYS)
    qkv = rng.uniform(0.0, 0.3, (T, H, 3, D)).astype(np.float32)
    state0 = rng.uniform(-0.1, 0.1, (H, D, D)).astype(np.float32)
    # float64 recurrence: S ← λ S + kᵀ v, o = q S, from the state with its pending decay folded in
    want = np.zeros((T, H, D)); want_state = np.zeros((H, D, D))
    for h in range(H):
        lam = np.exp(-DECAYS[h])
        S = state0[h].astype(np.float64) * np.exp(-DECAYS[h] * PENDING[h])
        for t in range(T):
            q, k, v = (qkv[t, h, i].astype(np.float64) for i in range(3))
            S = lam * S + np.outer(k, v)
            want[t, h] = q @ S
        want_state[h] = S
    state = state0.copy()
    out = np.full((T, H, D), np.nan, np.float32)
    for h in range(H):
        for slice_ in range(D // WIDTH):
            cta(qkv, T, H, D, DECAYS, state, PENDING, out, h, slice_)
    assert not np.isnan(out).any(), "unwritten outputs"
    return normalised(out, want), normalised(state, want_state)


def main():
    worst = 0.0
    for D in (64, 128):
        for T in (1, 63, 65, 300):
            e_out, e_state = run(T, D)
            worst = max(worst, e_out, e_state)
            print("D=%d T=%d: out %.2e, state %.2e" % (D, T, e_out, e_state))
    print("worst %.2e" % worst)
    return 0 if worst <= 1e-2 else 1


if __name__ == "__main__":
    sys.exit(main())
