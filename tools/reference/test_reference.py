#!/usr/bin/env python3
"""Self-checks of the reference tools (no pytest needed):  python3 tools/reference/test_reference.py

- lightning attention: the spec's blockwise formula (block 256 and others) and the recurrence
  S_t = e^{-s} S_{t-1} + k_t^T v_t, o_t = q_t S_t equal the direct O(T^2) definition on random data;
- ALiBi slopes (power-of-two and fallback), layer factor (incl. L = 1);
- safetensors round trip, bf16 round-to-nearest-even, validation of bad files;
- BPE tokenizer round trips and the fixture goldens are up to date with the reference;
- the fixtures are sensitive to the known traps (a wrong implementation changes the logits a lot).
Prints 'N passed, N failed' and exits non-zero on failure.
"""
import json
import math
import os
import struct
import sys
import tempfile
import traceback

import _env  # noqa: F401
import numpy as np

import bpe
import make_checkpoint
import make_fixtures
import minimax_ref
import safetensors_io

TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


def rel_err(a, b):
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-300))


def random_qkv(rng, T, D, positive=True):
    q, k, v = (rng.standard_normal((T, D)) for _ in range(3))
    if positive:  # after silu, as in the model
        q, k, v = minimax_ref.silu(q), minimax_ref.silu(k), minimax_ref.silu(v)
    return q, k, v


@test
def lightning_blockwise_equals_direct():
    rng = np.random.default_rng(1)
    for T in (1, 7, 255, 256, 257, 600):
        for s in (0.25, 2.0 ** -8, 1e-5 * 2.0 ** -2, 0.5 * 1.00001):
            q, k, v = random_qkv(rng, T, 8)
            ref = minimax_ref.lightning_direct(q, k, v, s)
            for block in (256, 64, 100, 1):
                got, _ = minimax_ref.lightning_blockwise(q, k, v, s, block)
                e = rel_err(got, ref)
                assert e < 1e-12, "T=%d s=%g block=%d rel err %g" % (T, s, block, e)


@test
def lightning_recurrence_equals_direct():
    rng = np.random.default_rng(2)
    for T in (1, 7, 257, 600):
        for s in (0.25, 2.0 ** -8, 1e-7):
            q, k, v = random_qkv(rng, T, 16, positive=(T % 2 == 1))
            ref = minimax_ref.lightning_direct(q, k, v, s)
            got, S_rec = minimax_ref.lightning_recurrent(q, k, v, s)
            assert rel_err(got, ref) < 1e-12, (T, s, rel_err(got, ref))
            _, S_blk = minimax_ref.lightning_blockwise(q, k, v, s, 256)
            assert rel_err(S_blk, S_rec) < 1e-12, (T, s)


@test
def lightning_prefill_then_decode_equals_direct():
    """Blockwise prefill of a prefix, then the recurrence one token at a time from its state."""
    rng = np.random.default_rng(3)
    q, k, v = random_qkv(rng, 300, 8)
    s = 0.01
    ref = minimax_ref.lightning_direct(q, k, v, s)
    o1, S = minimax_ref.lightning_blockwise(q[:257], k[:257], v[:257], s, 256)
    o2, _ = minimax_ref.lightning_recurrent(q[257:], k[257:], v[257:], s, state=S)
    assert rel_err(np.concatenate([o1, o2]), ref) < 1e-12


@test
def vllm_missing_decay_is_detected():
    """The trap from the spec (inter-block q-decay 0-based) differs from the definition past block 1."""
    rng = np.random.default_rng(4)
    q, k, v = random_qkv(rng, 300, 8)
    s = 0.05
    ref = minimax_ref.lightning_direct(q, k, v, s)
    bad = vllm_like_blockwise(q, k, v, s)
    assert rel_err(bad[:256], ref[:256]) < 1e-12
    assert rel_err(bad, ref) > 1e-3


def vllm_like_blockwise(q, k, v, s, block=256):
    T, d = q.shape
    S = np.zeros((d, d))
    out = np.zeros((T, d))
    for b0 in range(0, T, block):
        qb, kb, vb = q[b0:b0 + block], k[b0:b0 + block], v[b0:b0 + block]
        m = qb.shape[0]
        j = np.arange(m)
        dist = j[:, None] - j[None, :]
        diag = np.where(dist >= 0, np.exp(-s * np.maximum(dist, 0)), 0.0)
        out[b0:b0 + m] = np.exp(-s * j)[:, None] * (qb @ S) + ((qb @ kb.T) * diag) @ vb  # missing e^{-s}
        S = math.exp(-s * m) * S + (kb * np.exp(-s * (m - 1 - j))[:, None]).T @ vb
    return out


@test
def alibi_slopes():
    assert minimax_ref.alibi_slopes(4) == [2.0 ** -2, 2.0 ** -4, 2.0 ** -6, 2.0 ** -8]
    assert minimax_ref.alibi_slopes(6) == [2.0 ** -2, 2.0 ** -4, 2.0 ** -6, 2.0 ** -8, 2.0 ** -1, 2.0 ** -3]
    assert minimax_ref.alibi_slopes(3) == [2.0 ** -4, 2.0 ** -8, 2.0 ** -2]
    s64 = minimax_ref.alibi_slopes(64)
    assert abs(s64[0] - 2.0 ** -0.125) < 1e-15 and abs(s64[-1] - 2.0 ** -8) < 1e-15
    assert minimax_ref.layer_factor(0, 1) == 1.0 + 1e-5
    assert minimax_ref.layer_factor(0, 80) == 1.0 + 1e-5
    assert abs(minimax_ref.layer_factor(79, 80) - 1e-5) < 1e-18
    assert abs(minimax_ref.layer_factor(1, 3) - (0.5 + 1e-5)) < 1e-15


@test
def rope_neox_pairs():
    x = np.zeros((2, 1, 8))
    x[:, 0, 0] = 1.0  # dim 0 pairs with dim rd/2 = 2 when rd = 4
    y = minimax_ref.rope_partial(x, [0, 1], 4, 10000.0)
    assert np.allclose(y[0, 0], x[0, 0])
    assert abs(y[1, 0, 0] - math.cos(1.0)) < 1e-15 and abs(y[1, 0, 2] - math.sin(1.0)) < 1e-15
    assert np.all(y[1, 0, [1, 3, 4, 5, 6, 7]] == 0)


@test
def bf16_rounding():
    f = np.array([1.0, 1.0 + 2 ** -8, 1.0 + 3 * 2 ** -8, 1.0 + 2 ** -8 + 2 ** -20, -2.5, np.inf, -np.inf,
                  np.nan, 3.4028235e38, 1e-40], dtype=np.float32)
    bits = safetensors_io.f32_to_bf16_bits(f)
    assert bits[0] == 0x3F80
    assert bits[1] == 0x3F80  # tie -> even
    assert bits[2] == 0x3F82  # tie -> even (up)
    assert bits[3] == 0x3F81  # above the tie -> up
    assert bits[4] == 0xC020 and bits[5] == 0x7F80 and bits[6] == 0xFF80
    assert bits[7] & 0x7FC0 == 0x7FC0
    assert bits[8] == 0x7F80  # rounds up to inf
    back = safetensors_io.bf16_bits_to_f32(bits)
    assert back[4] == -2.5


@test
def safetensors_roundtrip_and_validation():
    rng = np.random.default_rng(5)
    with tempfile.TemporaryDirectory() as d:
        a = rng.standard_normal((3, 5)).astype(np.float32)
        b = rng.standard_normal(7).astype(np.float32)
        c = rng.standard_normal((2, 2)).astype(np.float32)
        p = os.path.join(d, "x.safetensors")
        safetensors_io.write_file(p, [("a", a, "F32"), ("b", b, "BF16"), ("c", c, "F16")])
        arrays, dtypes, meta = safetensors_io.read_file(p)
        assert meta == {"format": "pt"} and dtypes == {"a": "F32", "b": "BF16", "c": "F16"}
        assert np.array_equal(arrays["a"], a.astype(np.float64))
        assert np.array_equal(arrays["b"], safetensors_io.round_to_dtype(b, "BF16"))
        assert np.array_equal(arrays["c"], c.astype(np.float16).astype(np.float64))
        raw = open(p, "rb").read()
        (n,) = struct.unpack("<Q", raw[:8])
        assert n % 8 == 0
        for bad in (raw[:-1], raw + b"\0", struct.pack("<Q", len(raw)) + raw[8:]):
            with open(p, "wb") as f:
                f.write(bad)
            try:
                safetensors_io.read_file(p)
            except ValueError:
                pass
            else:
                raise AssertionError("corrupt file accepted")
        shards = [[("a", a, "F32")], [("b", b, "BF16"), ("c", c, "F32")]]
        total = safetensors_io.write_sharded(d, shards)
        os.remove(p)
        assert total == 15 * 4 + 7 * 2 + 4 * 4
        arrays, _ = safetensors_io.load_checkpoint(d)
        assert sorted(arrays) == ["a", "b", "c"]


@test
def bpe_roundtrip_and_specials():
    vocab, merges, special_ids, _ = make_checkpoint.tiny_tokenizer()
    tok = bpe.Tokenizer(vocab, merges, special_ids)
    for t in make_fixtures.TOKENIZER_TEXTS:
        assert tok.decode(tok.encode(t)) == t
    ids = tok.encode("hi<end_of_sentence>there")
    assert special_ids["<end_of_sentence>"] in ids
    assert bpe.pretokenize("a   b\n\n  c") == ["a", "  ", " b", "\n\n", " ", " c"]
    assert bpe.pretokenize("don't I'LL") == ["don", "'t", " I", "'LL"]
    assert bpe.pretokenize("12345") == ["123", "45"]
    assert list(bpe.BYTE_TO_UNICODE.values())[0] == "!" and bpe.byte_vocab()["Ġ"] == 220


def fixture_dirs():
    root = make_fixtures.FIXTURES
    for name in make_fixtures.SPECS:
        yield name, os.path.join(root, "models", name), os.path.join(root, "golden", name)


@test
def golden_fixtures_match_reference_and_lightning_forms():
    for name, mdir, gdir in fixture_dirs():
        ids = json.load(open(os.path.join(gdir, "prompt.json")))["ids"]
        golden = np.load(os.path.join(gdir, "logits.npy"))
        assert golden.dtype == np.float32 and golden.shape == (len(ids), minimax_ref.Config.load(mdir).vocab)
        model = minimax_ref.Model(mdir)
        direct = model.forward(ids)
        assert np.array_equal(direct["logits"].astype(np.float32), golden), name
        for impl in ("blockwise", "recurrent"):
            other = model.forward(ids, lightning_impl=impl)["logits"]
            assert rel_err(other, direct["logits"]) < 1e-10, (name, impl)
        # causality: a prefix gives the same rows
        for n in (1, 255, 256, 257):
            pre = model.forward(ids[:n])["logits"]
            assert rel_err(pre, direct["logits"][:n]) < 1e-10, (name, n)
        routing = json.load(open(os.path.join(gdir, "routing.json")))
        for l, r in enumerate(routing["layers"]):
            assert r["experts"] == direct["routing"][l]["experts"].tolist()


@test
def fixtures_detect_traps():
    """Each trap changes the golden logits of at least one fixture by > 5% of the logit range."""
    traps = {}

    def measure(trap, patch, names=None):
        worst = 0.0
        for name, mdir, gdir in fixture_dirs():
            if names and name not in names:
                continue
            ids = json.load(open(os.path.join(gdir, "prompt.json")))["ids"]
            golden = np.load(os.path.join(gdir, "logits.npy")).astype(np.float64)
            model = minimax_ref.Model(mdir)
            undo = patch(model)
            try:
                got = model.forward(ids)["logits"]
            finally:
                if undo:
                    undo()
            worst = max(worst, rel_err(got, golden))
        traps[trap] = worst

    def swap(obj, attr, value):
        old = getattr(obj, attr)
        setattr(obj, attr, value)
        return lambda: setattr(obj, attr, old)

    measure("vllm inter-block decay off by e^-s",
            lambda m: swap(minimax_ref, "lightning_direct", lambda q, k, v, s: vllm_like_blockwise(q, k, v, s)))
    measure("RoPE on the full head", lambda m: swap(m.cfg, "rotary_dim", m.cfg.head_dim))
    measure("power-of-two slope formula for any H",
            lambda m: swap(minimax_ref, "alibi_slopes", lambda n: [2.0 ** (-8.0 * (h + 1) / n) for h in range(n)]),
            names=["tiny-bf16-h6-gqa3-sll-sharded", "tiny-f32-h3-1layer"])
    measure("no layer factor", lambda m: swap(minimax_ref, "layer_factor", lambda l, n: 1.0))
    measure("per-head lightning norm", lambda m: swap(m, "lightning_attention",
                                                      per_head_norm_lightning(m)))
    measure("top-k weights not renormalised", lambda m: swap(m, "moe", unnormalised_moe(m)),
            names=["tiny-f32-h4-ls", "tiny-bf16-h4-gqa2-lsls-hfcfg"])
    measure("residual = x (prenorm)", lambda m: swap(m.cfg, "postnorm", False))
    measure("shared expert ignored", lambda m: swap(m.cfg, "shared_inter", 0),
            names=["tiny-f32-h4-shared-text01"])
    measure("GQA kv head = h % KV", lambda m: swap(m, "softmax_attention", modulo_gqa(m)),
            names=["tiny-bf16-h6-gqa3-sll-sharded", "tiny-bf16-h4-gqa2-lsls-hfcfg"])
    for trap, e in traps.items():
        print("    trap %-40s max |dlogit| / max |logit| = %.3g" % (trap, e))
    for trap, e in traps.items():
        assert e > 0.05, "fixtures barely detect: %s (%.3g)" % (trap, e)


def per_head_norm_lightning(m):
    orig_norm = minimax_ref.rms_norm

    def f(l, xn, impl="direct", block=256):
        H, D = m.cfg.heads, m.cfg.head_dim

        def headwise(x, w, eps):
            if x.shape[-1] == H * D and eps == minimax_ref.LIGHTNING_NORM_EPS:
                xs = x.reshape(x.shape[0], H, D)
                xs = xs / np.sqrt(np.mean(xs * xs, axis=-1, keepdims=True) + eps)
                return xs.reshape(x.shape) * w
            return orig_norm(x, w, eps)

        minimax_ref.rms_norm = headwise
        try:
            return minimax_ref.Model.lightning_attention(m, l, xn, impl, block)
        finally:
            minimax_ref.rms_norm = orig_norm
    return f


def unnormalised_moe(m):
    def f(l, hn):
        out, order, w, probs = minimax_ref.Model.moe(m, l, hn)
        raw = np.take_along_axis(probs, order, axis=-1)
        # recompute with raw probabilities: scale each expert's contribution by raw / renormalised
        scale = raw.sum(axis=-1, keepdims=True)
        return out * scale, order, raw, probs
    return f


def modulo_gqa(m):
    def f(l, xn, positions):
        c = m.cfg
        H, KV = c.heads, c.kv_heads
        p = "model.layers.%d.self_attn." % l
        wq = m.w[p + "q_proj.weight"]
        D = c.head_dim
        # permute query heads so that head h reads kv head h % KV instead of h // (H / KV)
        perm = [h2 for kv in range(KV) for h2 in range(H) if h2 % KV == kv]
        m.w[p + "q_proj.weight"] = wq.reshape(H, D, -1)[perm].reshape(H * D, -1)
        wo = m.w[p + "o_proj.weight"]
        m.w[p + "o_proj.weight"] = wo.reshape(wo.shape[0], H, D)[:, perm].reshape(wo.shape[0], H * D)
        try:
            return minimax_ref.Model.softmax_attention(m, l, xn, positions)
        finally:
            m.w[p + "q_proj.weight"], m.w[p + "o_proj.weight"] = wq, wo
    return f


def main():
    passed = failed = 0
    for fn in TESTS:
        try:
            fn()
            print("PASS", fn.__name__)
            passed += 1
        except Exception:
            print("FAIL", fn.__name__)
            traceback.print_exc()
            failed += 1
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
