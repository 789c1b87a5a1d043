#!/usr/bin/python3
"""A straightforward PyTorch (CPU) implementation of the MiniMax-M1 spec (../../../shared/spec/minimax-m1.md),
as a user without Folio would write it: the baseline of the CPU engine benchmark (issue 4).

Reads a checkpoint in the release format (config.json with the minimax_m1 keys + *.safetensors), runs a
chunked prefill (lightning layers blockwise with blocks of 256 as the reference code, softmax layers over
a growing KV cache, MoE expert by expert over the tokens routed to it) and token-by-token decode (the
lightning recurrence), and writes the timings as JSON for `folio bench --baseline FILE`.

  /usr/bin/python3 tools/baseline/minimax_torch.py --model DIR [--weights bf16|f32] [--threads N]
        [--prefill 512,4096] [--decode 48] [--out FILE.json]
  /usr/bin/python3 tools/baseline/minimax_torch.py --selfcheck   # vs the float64 goldens of a fixture

Needs Debian's python3-torch (1.13) and python3-numpy. Weights stay in their dtype (--weights bf16 keeps
bf16 matrices and multiplies bf16 activations by them, as torch requires matching dtypes; f32 converts
them at load); the router and the lm_head are computed in fp32, the lightning state is fp32.
"""
import argparse
import json
import math
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "reference"))
import _env  # noqa: F401,E402
import numpy as np  # noqa: E402
import safetensors_io  # noqa: E402
import torch  # noqa: E402


def alibi_slopes(n):
    def pow2(n):
        start = 2 ** (-(2 ** -(math.log2(n) - 3)))
        return [start * start ** i for i in range(n)]
    if math.log2(n).is_integer():
        return pow2(n)
    p = 2 ** math.floor(math.log2(n))
    return pow2(p) + alibi_slopes(2 * p)[0::2][: n - p]


class Model:
    def __init__(self, directory, weights="bf16"):
        with open(os.path.join(directory, "config.json")) as f:
            c = json.load(f)
        if c.get("model_type") not in ("minimax_m1", "minimax_text_01"):
            raise SystemExit("baseline: only the minimax_m1 / minimax_text_01 config spellings are supported")
        self.C, self.L = c["hidden_size"], c["num_hidden_layers"]
        self.H, self.KV, self.D = c["num_attention_heads"], c["num_key_value_heads"], c["head_dim"]
        self.E, self.K = c["num_local_experts"], c["num_experts_per_tok"]
        self.rd, self.theta, self.eps = c.get("rotary_dim", self.D), c["rope_theta"], c["rms_norm_eps"]
        self.types = c["attn_type_list"]
        self.postnorm = c.get("postnorm", False)
        self.a_lin, self.b_lin = c["layernorm_linear_attention_alpha"], c["layernorm_linear_attention_beta"]
        self.a_full, self.b_full = c["layernorm_full_attention_alpha"], c["layernorm_full_attention_beta"]
        self.a_mlp, self.b_mlp = c["layernorm_mlp_alpha"], c["layernorm_mlp_beta"]
        if c.get("shared_intermediate_size", 0):
            raise SystemExit("baseline: shared experts are not implemented")
        arrays, dtypes = safetensors_io.load_checkpoint(directory, as_float64=False)
        wdt = torch.bfloat16 if weights == "bf16" else torch.float32

        def t(name, dtype=None):
            a = torch.from_numpy(np.ascontiguousarray(arrays.pop(name), dtype=np.float32))
            return a.to(dtype) if dtype is not None else a

        self.embed = t("model.embed_tokens.weight")
        self.lm_head = t("lm_head.weight")  # fp32 head
        self.final_norm = t("model.norm.weight")
        self.layers = []
        for l in range(self.L):
            p = "model.layers.%d." % l
            lw = {"in": t(p + "input_layernorm.weight"), "post": t(p + "post_attention_layernorm.weight"),
                  "router": t(p + "block_sparse_moe.gate.weight")}
            if self.types[l] == 0:
                lw["qkv"] = t(p + "self_attn.qkv_proj.weight", wdt)
                lw["gate"] = t(p + "self_attn.output_gate.weight", wdt)
                lw["out"] = t(p + "self_attn.out_proj.weight", wdt)
                lw["norm"] = t(p + "self_attn.norm.weight")
                factor = 1 + 1e-5 if self.L == 1 else 1 - l / (self.L - 1) + 1e-5
                lw["s"] = torch.tensor(alibi_slopes(self.H), dtype=torch.float64) * factor
            else:
                for n in ("q_proj", "k_proj", "v_proj", "o_proj"):
                    lw[n] = t(p + "self_attn.%s.weight" % n, wdt)
            lw["experts"] = [tuple(t(p + "block_sparse_moe.experts.%d.%s.weight" % (e, w), wdt) for w in ("w1", "w3", "w2"))
                             for e in range(self.E)]
            self.layers.append(lw)
        inv = self.theta ** (-torch.arange(0, self.rd // 2, dtype=torch.float64) * 2 / self.rd)
        self.inv_freq = inv
        self.reset()

    def reset(self):
        self.pos = 0
        self.state = [torch.zeros(self.H, self.D, self.D) if t == 0 else None for t in self.types]
        self.kcache = [None] * self.L
        self.vcache = [None] * self.L

    @staticmethod
    def lin(x, w):
        return (x.to(w.dtype) @ w.t()).float()

    def rms(self, x, w, eps):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * w

    def rope(self, x, p0):  # x [T, N, D]
        T = x.shape[0]
        ang = (torch.arange(p0, p0 + T, dtype=torch.float64)[:, None] * self.inv_freq[None]).float()
        cos, sin = ang.cos()[:, None, :], ang.sin()[:, None, :]
        h = self.rd // 2
        a, b, rest = x[..., :h], x[..., h:self.rd], x[..., self.rd:]
        return torch.cat([a * cos - b * sin, b * cos + a * sin, rest], -1)

    def lightning(self, l, lw, xn, decode):
        T, H, D = xn.shape[0], self.H, self.D
        qkv = torch.nn.functional.silu(self.lin(xn, lw["qkv"])).view(T, H, 3, D)
        q, k, v = (qkv[:, :, i].transpose(0, 1) for i in range(3))  # [H, T, D]
        s = lw["s"]
        S = self.state[l]
        if decode:
            S = torch.exp(-s).float()[:, None, None] * S + k.transpose(1, 2) @ v
            o = q @ S
        else:
            outs = []
            for b0 in range(0, T, 256):
                qb, kb, vb = q[:, b0:b0 + 256], k[:, b0:b0 + 256], v[:, b0:b0 + 256]
                m = qb.shape[1]
                j = torch.arange(m, dtype=torch.float64)
                qd = torch.exp(-s[:, None] * (j[None] + 1)).float()[:, :, None]
                diff = j[:, None] - j[None, :]
                mask = torch.where(diff >= 0, torch.exp(-s[:, None, None] * diff.clamp(min=0)[None]),
                                   torch.zeros(1, dtype=torch.float64)).float()
                o = (qb @ S) * qd + ((qb @ kb.transpose(1, 2)) * mask) @ vb
                kd = torch.exp(-s[:, None] * (m - 1 - j[None])).float()[:, :, None]
                S = torch.exp(-s * m).float()[:, None, None] * S + (kb * kd).transpose(1, 2) @ vb
                outs.append(o)
            o = torch.cat(outs, 1)
        self.state[l] = S
        o = self.rms(o.transpose(0, 1).reshape(T, H * D), lw["norm"], 1e-6)
        o = torch.sigmoid(self.lin(xn, lw["gate"])) * o
        return self.lin(o, lw["out"])

    def softmax_attn(self, l, lw, xn):
        T, H, KV, D = xn.shape[0], self.H, self.KV, self.D
        q = self.rope(self.lin(xn, lw["q_proj"]).view(T, H, D), self.pos)
        k = self.rope(self.lin(xn, lw["k_proj"]).view(T, KV, D), self.pos)
        v = self.lin(xn, lw["v_proj"]).view(T, KV, D)
        self.kcache[l] = k if self.kcache[l] is None else torch.cat([self.kcache[l], k])
        self.vcache[l] = v if self.vcache[l] is None else torch.cat([self.vcache[l], v])
        K = self.kcache[l].repeat_interleave(H // KV, dim=1).transpose(0, 1)  # [H, P, D]
        V = self.vcache[l].repeat_interleave(H // KV, dim=1).transpose(0, 1)
        P = K.shape[1]
        sc = (q.transpose(0, 1) @ K.transpose(1, 2)) / math.sqrt(D)  # [H, T, P]
        causal = torch.arange(P)[None, :] > (self.pos + torch.arange(T))[:, None]
        sc = sc.masked_fill(causal[None], float("-inf"))
        o = torch.softmax(sc, -1) @ V  # [H, T, D]
        return self.lin(o.transpose(0, 1).reshape(T, H * D), lw["o_proj"])

    def moe(self, lw, hn):
        probs = torch.softmax(hn @ lw["router"].t(), -1)
        w, idx = torch.topk(probs, self.K, -1)
        w = w / w.sum(-1, keepdim=True)
        out = torch.zeros_like(hn)
        for e in range(self.E):
            tok, slot = (idx == e).nonzero(as_tuple=True)
            if tok.numel() == 0:
                continue
            w1, w3, w2 = lw["experts"][e]
            x = hn[tok]
            y = self.lin(torch.nn.functional.silu(self.lin(x, w1)) * self.lin(x, w3), w2)
            out.index_add_(0, tok, y * w[tok, slot][:, None])
        return out

    @torch.no_grad()
    def forward(self, ids, decode=False):
        x = self.embed[torch.tensor(ids)]
        for l, lw in enumerate(self.layers):
            xn = self.rms(x, lw["in"], self.eps)
            if self.types[l] == 0:
                a, al, be = self.lightning(l, lw, xn, decode), self.a_lin, self.b_lin
            else:
                a, al, be = self.softmax_attn(l, lw, xn), self.a_full, self.b_full
            h = al * (xn if self.postnorm else x) + be * a
            hn = self.rms(h, lw["post"], self.eps)
            x = self.a_mlp * (hn if self.postnorm else h) + self.b_mlp * self.moe(lw, hn)
        self.pos += len(ids)
        return self.rms(x, self.final_norm, self.eps) @ self.lm_head.t()

    def prefill(self, ids, chunk=512):
        outs = [self.forward(ids[i:i + chunk]) for i in range(0, len(ids), chunk)]
        return torch.cat(outs)


def prompt(n, V):
    return [(i * 7919 + 13) % V for i in range(n)]


def selfcheck():
    root = os.path.join(HERE, "..", "..", "tests", "fixtures")
    worst = 0.0
    for name in ("tiny-f32-h4-ls", "tiny-f32-h3-1layer"):
        m = Model(os.path.join(root, "models", name), weights="f32")
        with open(os.path.join(root, "golden", name, "prompt.json")) as f:
            ids = json.load(f)["ids"]
        ref = torch.from_numpy(np.load(os.path.join(root, "golden", name, "logits.npy")).astype(np.float32))
        got = m.prefill(ids[:300], chunk=128)
        m.reset()
        m.prefill(ids[:200])
        dec = torch.stack([m.forward([i], decode=True)[0] for i in ids[200:300]])
        for what, g, r in (("prefill", got, ref[:300]), ("decode", dec, ref[200:300])):
            err = float((g - r).norm() / r.norm())
            worst = max(worst, err)
            print("baseline selfcheck %s %s: rel L2 %.3e" % (name, what, err))
    return 0 if worst < 1e-4 else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model")
    ap.add_argument("--weights", choices=("bf16", "f32"), default="bf16")
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--prefill", default="512,4096")
    ap.add_argument("--decode", type=int, default=48)
    ap.add_argument("--out")
    ap.add_argument("--selfcheck", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    if a.selfcheck:
        return selfcheck()
    if not a.model:
        ap.error("--model is required")
    m = Model(a.model, a.weights)
    V = m.lm_head.shape[0]
    res = {"label": "PyTorch %s CPU, %s weights, %d threads" % (torch.__version__, a.weights, a.threads)}
    ids = prompt(64, V)
    m.prefill(ids)
    best = 1e30
    for rep in range(3):
        t0 = time.perf_counter()
        for i in range(a.decode // 3):
            m.forward([ids[i]], decode=True)
        best = min(best, (time.perf_counter() - t0) / (a.decode // 3))
    res["decode_tok_s"] = 1.0 / best
    for T in (int(x) for x in a.prefill.split(",") if x):
        m.reset()
        t0 = time.perf_counter()
        m.prefill(prompt(T, V))
        res["prefill_tok_s_%d" % T] = T / (time.perf_counter() - t0)
    print(json.dumps(res, indent=1))
    if a.out:
        with open(a.out, "w") as f:
            json.dump(res, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
