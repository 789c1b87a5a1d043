#!/usr/bin/env python3
"""Side-by-side baseline for the lightning prefill benchmark: the published Triton forward kernel of
OpenNLPLab/lightning-attention (lightning_attn2.py), timed at the shapes of bench_gpu_kernels
(B=1, H=64, D=128, T=8K/64K) on the device machine. The kernel is NOT part of Folio: fetch it into the
ignored folder third_party_fetched/ and carry that folder with the device run. Prints a Markdown table
with the same byte accounting as bench_gpu_kernels (q, k, v read + out written) and the ratio to a
device-to-device copy measured in the same run. Exits 0 with a note when the kernel or a GPU is absent."""
import importlib.util
import math
import pathlib
import sys

root = pathlib.Path(__file__).resolve().parents[2]
kernel_path = root / "third_party_fetched" / "lightning_attn2.py"
try:
    import torch
    import triton
except ImportError as e:  # the device image has both; elsewhere this is only a note
    print(f"bench_triton_lightning: {e}; skipped")
    sys.exit(0)
if not kernel_path.exists() or not torch.cuda.is_available():
    print(f"bench_triton_lightning: needs a GPU and {kernel_path}; skipped")
    sys.exit(0)

spec = importlib.util.spec_from_file_location("lightning_attn2", kernel_path)
mod = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mod)
fwd = mod.LightningAttention2.apply


def slopes(h):  # ALiBi-style per-head decays, as MiniMax uses (layer factor 1)
    start = 2 ** (-(2 ** -(math.log2(h) - 3)))
    return torch.tensor([start * start**i for i in range(h)], dtype=torch.float32, device="cuda")


def naive(q, k, v, s):  # o_t = Σ_{p≤t} e^{−s(t−p)} (q_t·k_p) v_p, float64
    T = q.shape[2]
    t = torch.arange(T, device=q.device, dtype=torch.float64)
    decay = torch.exp(-s.double()[:, None, None] * (t[:, None] - t[None, :]))
    decay = torch.where(t[:, None] >= t[None, :], decay, torch.zeros_like(decay))
    return ((q.double() @ k.double().transpose(-1, -2)) * decay) @ v.double()


# the same definition as Folio's lightning attention (sanity check at a size crossing a block)
q, k, v = (torch.randn(1, 4, 300, 64, device="cuda") * 0.3 for _ in range(3))
s = slopes(4)
err = ((fwd(q, k, v, s).double() - naive(q, k, v, s)).norm() / naive(q, k, v, s).norm()).item()

x = torch.empty(1 << 30, dtype=torch.uint8, device="cuda")
y = torch.empty_like(x)
copy_ms = triton.testing.do_bench(lambda: y.copy_(x), warmup=5, rep=50)
bandwidth = 2 * x.numel() / copy_ms / 1e6  # GB/s, read + write
del x, y

print(f"# Triton lightning_attn2 (OpenNLPLab) forward on {torch.cuda.get_device_name()}; "
      f"rel. error vs float64 definition at T=300: {err:.2e}; copy bandwidth {bandwidth:.0f} GB/s")
print("| kernel | dtype | shape | median ms | GB/s | of bandwidth |")
print("|---|---|---|---:|---:|---:|")
for dtype in (torch.float32, torch.bfloat16):
    for T in (8192, 65536):
        B, H, D = 1, 64, 128
        q, k, v = (torch.randn(B, H, T, D, device="cuda", dtype=dtype) * 0.1 for _ in range(3))
        s = slopes(H)
        ms = triton.testing.do_bench(lambda: fwd(q, k, v, s), warmup=3, rep=30)
        nbytes = 4 * B * H * T * D * q.element_size()
        gbs = nbytes / ms / 1e6
        name = str(dtype).replace("torch.", "")
        print(f"| Triton lightning_attn2 | {name} | B={B} H={H} D={D} T={T} | {ms:.3f} | {gbs:.0f} | "
              f"{100 * gbs / bandwidth:.0f} % |")
        del q, k, v
