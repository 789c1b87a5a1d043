#!/usr/bin/env python3
"""Independent float64 NumPy reference of the MiniMax-M1 forward pass.

Written from shared/spec/minimax-m1.md only (not from any engine code). Everything is float64; the
lightning attention uses the direct O(T^2) definition
    o_t = sum_{p<=t} exp(-s_h (t-p)) (q_t . k_p) v_p
so it is an independent check of any blockwise or recurrent kernel.

CLI:  python3 tools/reference/minimax_ref.py --model DIR --ids 1,2,3 --out logits.npy [--routing r.json]

Dimension letters: T tokens, C hidden, H heads, KV kv-heads, D head dim, E experts, I expert hidden,
V vocab, L layers.
"""
import argparse
import json
import math
import os
import sys

import _env  # noqa: F401  (makes numpy importable)
import numpy as np

import safetensors_io

LIGHTNING_NORM_EPS = 1e-6  # a class default in the release code, NOT rms_norm_eps


# ----------------------------------------------------------------------------------------------
# config


class Config:
    """The model's hyper-parameters, normalised from any of the accepted config.json spellings."""

    def __init__(self, raw):
        self.raw = raw
        mt = raw.get("model_type", "minimax_m1")
        self.model_type = mt
        self.hidden = int(raw["hidden_size"])
        self.layers = int(raw["num_hidden_layers"])
        self.heads = int(raw["num_attention_heads"])
        self.kv_heads = int(raw.get("num_key_value_heads") or self.heads)
        hd = raw.get("head_dim")
        self.head_dim = int(hd) if hd else self.hidden // self.heads
        self.vocab = int(raw["vocab_size"])
        self.experts = int(raw["num_local_experts"])
        self.top_k = int(raw["num_experts_per_tok"])
        self.inter = int(raw["intermediate_size"])
        self.shared_inter = int(raw.get("shared_intermediate_size") or 0)
        self.eps = float(raw.get("rms_norm_eps", 1e-5))
        self.rope_theta = float(raw.get("rope_theta", 10000.0))
        self.tie = bool(raw.get("tie_word_embeddings", False))
        if mt in ("minimax_m1", "minimax_text_01"):
            self.attn_types = [int(a) for a in raw["attn_type_list"]]
            self.postnorm = bool(raw.get("postnorm", False))
            self.alpha_full = float(raw.get("layernorm_full_attention_alpha", 1.0))
            self.beta_full = float(raw.get("layernorm_full_attention_beta", 1.0))
            self.alpha_lin = float(raw.get("layernorm_linear_attention_alpha", 1.0))
            self.beta_lin = float(raw.get("layernorm_linear_attention_beta", 1.0))
            self.alpha_mlp = float(raw.get("layernorm_mlp_alpha", 1.0))
            self.beta_mlp = float(raw.get("layernorm_mlp_beta", 1.0))
        elif mt == "minimax":
            kinds = {"linear_attention": 0, "full_attention": 1}
            types = raw.get("layer_types")
            if types is None:
                self.attn_types = [int(a) for a in raw["attn_type_list"]]
            else:
                self.attn_types = [kinds[t] for t in types]
            # the `minimax` port always adds the normed input back (postnorm) unless told otherwise
            self.postnorm = bool(raw.get("postnorm", True))
            self.alpha_full = float(raw.get("full_attn_alpha_factor", 1.0))
            self.beta_full = float(raw.get("full_attn_beta_factor", 1.0))
            self.alpha_lin = float(raw.get("linear_attn_alpha_factor", 1.0))
            self.beta_lin = float(raw.get("linear_attn_beta_factor", 1.0))
            self.alpha_mlp = float(raw.get("mlp_alpha_factor", 1.0))
            self.beta_mlp = float(raw.get("mlp_beta_factor", 1.0))
        else:
            raise ValueError("unsupported model_type %r" % mt)
        if "rotary_dim" in raw and raw["rotary_dim"] is not None:
            self.rotary_dim = int(raw["rotary_dim"])
        elif raw.get("partial_rotary_factor") is not None:
            self.rotary_dim = int(self.head_dim * float(raw["partial_rotary_factor"]))
        else:
            self.rotary_dim = self.head_dim
        if len(self.attn_types) != self.layers:
            raise ValueError("%d layer types for %d layers" % (len(self.attn_types), self.layers))
        if self.heads % self.kv_heads:
            raise ValueError("heads %d not a multiple of kv heads %d" % (self.heads, self.kv_heads))
        if self.rotary_dim % 2 or self.rotary_dim > self.head_dim:
            raise ValueError("bad rotary_dim %d for head_dim %d" % (self.rotary_dim, self.head_dim))

    @staticmethod
    def load(model_dir):
        with open(os.path.join(model_dir, "config.json"), encoding="utf-8") as f:
            return Config(json.load(f))


# ----------------------------------------------------------------------------------------------
# ops


def rms_norm(x, w, eps):
    """x [..., N] float64, w [N]."""
    return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps) * w


def silu(x):
    return x / (1.0 + np.exp(-x))


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def alibi_slopes(n):
    """ALiBi slopes: 2^(-8(h+1)/n) for n a power of two; otherwise slopes(P) ++ slopes(2P)[0::2][:n-P]
    with P the largest power of two <= n."""
    if n & (n - 1) == 0:
        return [2.0 ** (-8.0 * (h + 1) / n) for h in range(n)]
    p = 1 << (n.bit_length() - 1)
    return alibi_slopes(p) + alibi_slopes(2 * p)[0::2][: n - p]


def layer_factor(l, num_layers):
    """(1 - l/(L-1) + 1e-5); L = 1 makes l/(L-1) undefined: 1 + 1e-5."""
    if num_layers == 1:
        return 1.0 + 1e-5
    return 1.0 - l / (num_layers - 1) + 1e-5


def lightning_slopes(num_heads, l, num_layers):
    """s_h for every head of layer l. -> [H] float64."""
    return np.array(alibi_slopes(num_heads), dtype=np.float64) * layer_factor(l, num_layers)


def lightning_direct(q, k, v, s):
    """Direct definition. q, k, v [T, D] (one head), s scalar decay. -> o [T, D].
    o_t = sum_{p<=t} exp(-s (t-p)) (q_t . k_p) v_p"""
    t = np.arange(q.shape[0])
    dist = t[:, None] - t[None, :]  # [T, T] t - p
    decay = np.where(dist >= 0, np.exp(-s * np.maximum(dist, 0)), 0.0)
    return ((q @ k.T) * decay) @ v


def lightning_recurrent(q, k, v, s, state=None):
    """S_t = e^{-s} S_{t-1} + k_t^T v_t; o_t = q_t S_t. -> (o [T, D], final state [D, D])."""
    d = q.shape[1]
    S = np.zeros((d, v.shape[1])) if state is None else state.copy()
    out = np.zeros((q.shape[0], v.shape[1]))
    g = math.exp(-s)
    for i in range(q.shape[0]):
        S = g * S + np.outer(k[i], v[i])
        out[i] = q[i] @ S
    return out, S


def lightning_blockwise(q, k, v, s, block=256, state=None):
    """Blockwise prefill as in the spec: with j local in a block of m tokens and S the state before it,
      o_j = e^{-s(j+1)} q_j S + sum_{i<=j} e^{-s(j-i)} (q_j . k_i) v_i
      S  <- e^{-s m} S + sum_j e^{-s(m-1-j)} k_j^T v_j
    -> (o [T, D], final state [D, D])."""
    T, d = q.shape
    S = np.zeros((d, v.shape[1])) if state is None else state.copy()
    out = np.zeros((T, v.shape[1]))
    for b0 in range(0, T, block):
        qb, kb, vb = q[b0:b0 + block], k[b0:b0 + block], v[b0:b0 + block]
        m = qb.shape[0]
        j = np.arange(m)
        q_decay = np.exp(-s * (j + 1))[:, None]  # [m, 1]
        dist = j[:, None] - j[None, :]
        diag = np.where(dist >= 0, np.exp(-s * np.maximum(dist, 0)), 0.0)
        out[b0:b0 + m] = q_decay * (qb @ S) + ((qb @ kb.T) * diag) @ vb
        k_decay = np.exp(-s * (m - 1 - j))[:, None]
        S = math.exp(-s * m) * S + (kb * k_decay).T @ vb
    return out, S


def rope_partial(x, positions, rotary_dim, theta):
    """NeoX RoPE on the first rotary_dim dims of each head. x [T, N, D], positions [T]."""
    if rotary_dim == 0:
        return x
    half = rotary_dim // 2
    inv_freq = theta ** (-np.arange(half, dtype=np.float64) * 2.0 / rotary_dim)  # [rd/2]
    ang = np.asarray(positions, dtype=np.float64)[:, None] * inv_freq[None, :]  # [T, rd/2]
    cos = np.concatenate([np.cos(ang), np.cos(ang)], axis=-1)[:, None, :]  # [T, 1, rd]
    sin = np.concatenate([np.sin(ang), np.sin(ang)], axis=-1)[:, None, :]
    xr = x[..., :rotary_dim]
    rot_half = np.concatenate([-xr[..., half:], xr[..., :half]], axis=-1)
    return np.concatenate([xr * cos + rot_half * sin, x[..., rotary_dim:]], axis=-1)


# ----------------------------------------------------------------------------------------------
# model


class Model:
    def __init__(self, model_dir):
        self.cfg = Config.load(model_dir)
        self.w, self.dtypes = safetensors_io.load_checkpoint(model_dir, as_float64=True)
        self._check_shapes()

    def _get(self, name):
        if name not in self.w:
            raise KeyError("missing tensor %s" % name)
        return self.w[name]

    def _check_shapes(self):
        c = self.cfg
        C, H, KV, D, E, I, V = c.hidden, c.heads, c.kv_heads, c.head_dim, c.experts, c.inter, c.vocab
        want = {"model.embed_tokens.weight": (V, C), "model.norm.weight": (C,)}
        if not c.tie:
            want["lm_head.weight"] = (V, C)
        for l in range(c.layers):
            p = "model.layers.%d." % l
            want[p + "input_layernorm.weight"] = (C,)
            want[p + "post_attention_layernorm.weight"] = (C,)
            want[p + "block_sparse_moe.gate.weight"] = (E, C)
            for e in range(E):
                q = p + "block_sparse_moe.experts.%d." % e
                want[q + "w1.weight"] = (I, C)
                want[q + "w3.weight"] = (I, C)
                want[q + "w2.weight"] = (C, I)
            if c.attn_types[l] == 0:
                want[p + "self_attn.qkv_proj.weight"] = (3 * H * D, C)
                want[p + "self_attn.output_gate.weight"] = (H * D, C)
                want[p + "self_attn.norm.weight"] = (H * D,)
                want[p + "self_attn.out_proj.weight"] = (C, H * D)
            else:
                want[p + "self_attn.q_proj.weight"] = (H * D, C)
                want[p + "self_attn.k_proj.weight"] = (KV * D, C)
                want[p + "self_attn.v_proj.weight"] = (KV * D, C)
                want[p + "self_attn.o_proj.weight"] = (C, H * D)
            if c.shared_inter > 0:
                want[p + "shared_mlp.gate_proj.weight"] = (c.shared_inter, C)
                want[p + "shared_mlp.up_proj.weight"] = (c.shared_inter, C)
                want[p + "shared_mlp.down_proj.weight"] = (C, c.shared_inter)
                want[p + "coefficient.weight"] = (1, C)
        for name, shape in want.items():
            got = self._get(name).shape
            if tuple(got) != tuple(shape):
                raise ValueError("%s: shape %s, expected %s" % (name, got, shape))
        extra = sorted(set(self.w) - set(want))
        if extra:
            raise ValueError("unexpected tensors: %s" % extra[:5])

    # -- sublayers ------------------------------------------------------------------------------

    def lightning_attention(self, l, xn, impl="direct", block=256):
        """xn [T, C] -> [T, C]."""
        c = self.cfg
        H, D = c.heads, c.head_dim
        T = xn.shape[0]
        p = "model.layers.%d.self_attn." % l
        qkv = silu(xn @ self._get(p + "qkv_proj.weight").T).reshape(T, H, 3, D)  # [T, H, 3, D]
        slopes = lightning_slopes(H, l, c.layers)  # [H]
        o = np.zeros((T, H, D))
        for h in range(H):
            q, k, v = qkv[:, h, 0], qkv[:, h, 1], qkv[:, h, 2]
            if impl == "direct":
                o[:, h] = lightning_direct(q, k, v, slopes[h])
            elif impl == "blockwise":
                o[:, h] = lightning_blockwise(q, k, v, slopes[h], block)[0]
            elif impl == "recurrent":
                o[:, h] = lightning_recurrent(q, k, v, slopes[h])[0]
            else:
                raise ValueError(impl)
        o = rms_norm(o.reshape(T, H * D), self._get(p + "norm.weight"), LIGHTNING_NORM_EPS)
        gate = sigmoid(xn @ self._get(p + "output_gate.weight").T)  # [T, H*D]
        return (gate * o) @ self._get(p + "out_proj.weight").T

    def softmax_attention(self, l, xn, positions):
        """xn [T, C] -> [T, C]; causal GQA with partial NeoX RoPE."""
        c = self.cfg
        H, KV, D = c.heads, c.kv_heads, c.head_dim
        T = xn.shape[0]
        p = "model.layers.%d.self_attn." % l
        q = (xn @ self._get(p + "q_proj.weight").T).reshape(T, H, D)
        k = (xn @ self._get(p + "k_proj.weight").T).reshape(T, KV, D)
        v = (xn @ self._get(p + "v_proj.weight").T).reshape(T, KV, D)
        q = rope_partial(q, positions, c.rotary_dim, c.rope_theta)
        k = rope_partial(k, positions, c.rotary_dim, c.rope_theta)
        group = H // KV
        causal = np.tril(np.ones((T, T), dtype=bool))
        o = np.zeros((T, H, D))
        for h in range(H):
            kvh = h // group
            sc = (q[:, h] @ k[:, kvh].T) / math.sqrt(D)
            sc = np.where(causal, sc, -np.inf)
            sc = np.exp(sc - sc.max(axis=-1, keepdims=True))
            sc /= sc.sum(axis=-1, keepdims=True)
            o[:, h] = sc @ v[:, kvh]
        return o.reshape(T, H * D) @ self._get(p + "o_proj.weight").T

    def moe(self, l, hn):
        """hn [T, C] -> (out [T, C], experts [T, k] int, weights [T, k], probs [T, E])."""
        c = self.cfg
        p = "model.layers.%d." % l
        logits = hn @ self._get(p + "block_sparse_moe.gate.weight").T  # [T, E]
        probs = np.exp(logits - logits.max(axis=-1, keepdims=True))
        probs /= probs.sum(axis=-1, keepdims=True)
        # descending probability, ties to the lower expert index
        order = np.argsort(-probs, axis=-1, kind="stable")[:, : c.top_k]  # [T, k]
        w = np.take_along_axis(probs, order, axis=-1)
        w = w / w.sum(axis=-1, keepdims=True)
        out = np.zeros_like(hn)
        for e in range(c.experts):
            rows, slot = np.nonzero(order == e)
            if rows.size == 0:
                continue
            q = p + "block_sparse_moe.experts.%d." % e
            x = hn[rows]
            y = (silu(x @ self._get(q + "w1.weight").T) * (x @ self._get(q + "w3.weight").T)) \
                @ self._get(q + "w2.weight").T
            out[rows] += w[rows, slot][:, None] * y
        if c.shared_inter > 0:
            s = p + "shared_mlp."
            shared = (silu(hn @ self._get(s + "gate_proj.weight").T) * (hn @ self._get(s + "up_proj.weight").T)) \
                @ self._get(s + "down_proj.weight").T
            coef = sigmoid(hn @ self._get(p + "coefficient.weight").T)  # [T, 1]
            out = out * (1.0 - coef) + shared * coef
        return out, order, w, probs

    # -- whole model ----------------------------------------------------------------------------

    def forward(self, ids, lightning_impl="direct", block=256, return_hidden=False):
        """ids: list of token ids. -> dict with 'logits' [T, V] float64 and 'routing': list over
        layers of {'experts' [T, k], 'weights' [T, k], 'probs' [T, E]}."""
        c = self.cfg
        ids = np.asarray(ids, dtype=np.int64)
        if ids.ndim != 1 or ids.size == 0:
            raise ValueError("ids must be a non-empty 1-D list")
        if ids.min() < 0 or ids.max() >= c.vocab:
            raise ValueError("token id out of range [0, %d)" % c.vocab)
        T = ids.size
        positions = np.arange(T)
        x = self._get("model.embed_tokens.weight")[ids]  # [T, C]
        routing = []
        hidden = []
        for l in range(c.layers):
            p = "model.layers.%d." % l
            xn = rms_norm(x, self._get(p + "input_layernorm.weight"), c.eps)
            if c.attn_types[l] == 0:
                a = self.lightning_attention(l, xn, lightning_impl, block)
                alpha, beta = c.alpha_lin, c.beta_lin
            else:
                a = self.softmax_attention(l, xn, positions)
                alpha, beta = c.alpha_full, c.beta_full
            h = alpha * (xn if c.postnorm else x) + beta * a
            hn = rms_norm(h, self._get(p + "post_attention_layernorm.weight"), c.eps)
            m, experts, weights, probs = self.moe(l, hn)
            x = c.alpha_mlp * (hn if c.postnorm else h) + c.beta_mlp * m
            routing.append({"experts": experts, "weights": weights, "probs": probs})
            if return_hidden:
                hidden.append(x.copy())
        y = rms_norm(x, self._get("model.norm.weight"), c.eps)
        head = self._get("model.embed_tokens.weight") if c.tie else self._get("lm_head.weight")
        out = {"logits": y @ head.T, "routing": routing}
        if return_hidden:
            out["hidden"] = hidden
        return out


def routing_margin(probs, k):
    """Gap between the k-th and (k+1)-th largest router probability per token ([T]); 1.0 if k == E."""
    s = -np.sort(-probs, axis=-1)
    if s.shape[-1] <= k:
        return np.ones(s.shape[0])
    return s[:, k - 1] - s[:, k]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", required=True, help="directory with config.json and *.safetensors")
    ap.add_argument("--ids", required=True, help="comma-separated token ids, or @file.json with {\"ids\": [...]}")
    ap.add_argument("--out", required=True, help="output .npy (float32 [T, V] unless --f64)")
    ap.add_argument("--f64", action="store_true", help="write float64 logits")
    ap.add_argument("--routing", help="also write the routing (top-k experts and weights) as JSON")
    ap.add_argument("--lightning", default="direct", choices=["direct", "blockwise", "recurrent"])
    args = ap.parse_args(argv)
    if args.ids.startswith("@"):
        with open(args.ids[1:], encoding="utf-8") as f:
            ids = json.load(f)["ids"]
    else:
        ids = [int(t) for t in args.ids.split(",") if t.strip()]
    model = Model(args.model)
    res = model.forward(ids, lightning_impl=args.lightning)
    logits = res["logits"] if args.f64 else res["logits"].astype(np.float32)
    np.save(args.out, logits)
    if args.routing:
        with open(args.routing, "w", encoding="utf-8") as f:
            json.dump(routing_json(res["routing"], model.cfg), f, separators=(",", ":"))
    print("logits %s -> %s; argmax of last row %d" % (logits.shape, args.out, int(np.argmax(logits[-1]))))
    return 0


def routing_json(routing, cfg):
    """Compact JSON-able routing: per layer, per token the chosen experts (descending probability),
    their renormalised weights (rounded to 7 decimals) and the top-k margin."""
    layers = []
    for l, r in enumerate(routing):
        layers.append({
            "layer": l,
            "experts": r["experts"].tolist(),
            "weights": [[round(float(w), 7) for w in row] for row in r["weights"]],
            "margin": [round(float(m), 7) for m in routing_margin(r["probs"], cfg.top_k)],
        })
    return {"num_experts": cfg.experts, "top_k": cfg.top_k, "layers": layers}


if __name__ == "__main__":
    sys.exit(main())
