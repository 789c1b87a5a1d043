"""ldmatrix and mma.m16n8k16 (bf16, fp32 accumulation) emulated lane by lane from the PTX ISA's fragment
tables, for the lane-level emulations of Folio's tensor-core kernels (*_lane_emulation.py).

Registers are numpy arrays over the 32 lanes: an A fragment is [4][32][2] (four .b32 registers, each a
pair of bf16 values, low element first), a B fragment two [32][2] registers, a C fragment [32][4].
"""
import _env  # noqa: F401  (NumPy from Debian's python3-numpy under any Python 3.11)
import numpy as np

from safetensors_io import round_to_dtype

LANES = np.arange(32)


def bf(x): return round_to_dtype(np.asarray(x, dtype=np.float32), "BF16").astype(np.float32)

def ldmatrix_x4(smem, ld, addr_of_lane, trans=False):
    """addr_of_lane[l] = element offset of the row that lane l supplies (matrix l//8, row l%8).
    Returns regs[4][32][2] (pairs of values, low element first)."""
    regs = np.zeros((4, 32, 2), np.float32)
    for i in range(4):
        rows = [smem[addr_of_lane[8 * i + j]: addr_of_lane[8 * i + j] + 8] for j in range(8)]
        M = np.stack(rows)  # 8x8, M[row][col]
        for l in range(32):
            g, c = l >> 2, l & 3
            if not trans:
                regs[i, l] = M[g, 2 * c], M[g, 2 * c + 1]
            else:
                regs[i, l] = M[2 * c, g], M[2 * c + 1, g]
    return regs

def mma(C, A, B0, B1):
    """C[32][4] fp32; A[4][32][2]; B0,B1[32][2]. m16n8k16 row.col per the PTX tables."""
    Am = np.zeros((16, 16)); Bm = np.zeros((16, 8)); Cm = np.zeros((16, 8))
    for l in range(32):
        g, c = l >> 2, l & 3
        Am[g, 2*c:2*c+2] = A[0, l]; Am[g+8, 2*c:2*c+2] = A[1, l]
        Am[g, 8+2*c:8+2*c+2] = A[2, l]; Am[g+8, 8+2*c:8+2*c+2] = A[3, l]
        Bm[2*c:2*c+2, g] = B0[l]; Bm[8+2*c:8+2*c+2, g] = B1[l]
        Cm[g, 2*c:2*c+2] = C[l, 0:2]; Cm[g+8, 2*c:2*c+2] = C[l, 2:4]
    D = (Am.astype(np.float64) @ Bm + Cm).astype(np.float32)
    out = np.zeros((32, 4), np.float32)
    for l in range(32):
        g, c = l >> 2, l & 3
        out[l, 0:2] = D[g, 2*c:2*c+2]; out[l, 2:4] = D[g+8, 2*c:2*c+2]
    return out
