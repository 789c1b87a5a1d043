#!/usr/bin/env python3
"""Generate tiny random MiniMax-M1 checkpoints in the release format.

A checkpoint directory holds config.json (the release's keys, scaled down), the weights as one
model.safetensors or as shards model-0000i-of-0000N.safetensors + model.safetensors.index.json,
tokenizer.json (Hugging Face byte-level BPE, trained here on a small English text) and
tokenizer_config.json (the real chat template and special-token names).

The router (block_sparse_moe.gate.weight) is always stored F32, as in the release; every other tensor
in the chosen dtype (F32 or BF16). Everything is deterministic for a given spec (seeded NumPy PCG64).

  python3 tools/reference/make_checkpoint.py --out /tmp/m --dtype BF16 --hidden 64 --heads 4 ...
(make_fixtures.py uses make_checkpoint() directly with the fixture specs.)
"""
import argparse
import copy
import json
import os
import sys

import _env  # noqa: F401
import numpy as np

import bpe
import safetensors_io

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
RELEASE_DIR = os.path.join(os.path.dirname(REPO), "shared", "models", "minimax-m1")

NUM_MERGES = 50  # 256 bytes + 50 merges + 6 specials = 312 tokens, padded to 320

TRAINING_TEXT = """\
The library keeps every document it has read, and the reader may ask about any of them. When the
question is about the whole collection, the answer cannot come from one page: the model has to read
the summaries of all the chapters, then the summaries of the summaries, and reason over them.
It is the same with the contracts in a folder. Each contract has its parties, its dates, its terms
and its clauses about termination, payment and liability. A lawyer who reads them wants to know
which clauses differ, where they are, and what they mean for the client. The answer should cite the
page and the line, so that the reader can open the source at that spot and check it.
Long documents are not hard because they are long; they are hard because the important part is
somewhere in the middle, and the reader does not know where. A good summary keeps the facts, the
numbers and the names, and drops the rest. In 2023 there were 12 reports, 345 tables and 6789 rows.
"I'm sure it's there," she said. "We'll find it, and they'll see that you're right." Don't worry:
the model reads quickly, and it will tell you what it thinks before it answers.
"""

BYTE_TOKENS = 256


def tiny_tokenizer(num_merges=NUM_MERGES):
    """-> (vocab dict without specials, merges, special_ids dict, tokenizer size)."""
    merges = bpe.train(TRAINING_TEXT, num_merges)
    vocab = bpe.vocab_from_merges(merges)
    assert len(vocab) == BYTE_TOKENS + len(merges), "trainer produced a duplicate merge"
    base = len(vocab)
    special_ids = {t: base + i for i, t in enumerate(bpe.SPECIAL_TOKENS)}
    return vocab, merges, special_ids, base + len(special_ids)


def pad_vocab(n, multiple=64):
    return (n + multiple - 1) // multiple * multiple


def release_json(name):
    with open(os.path.join(RELEASE_DIR, name), encoding="utf-8") as f:
        return json.load(f)


def make_config(spec, vocab_size):
    """config.json in one of the three spellings, with the release's keys."""
    L = len(spec["attn_types"])
    a = spec["alphas"]  # (alpha_full, beta_full, alpha_lin, beta_lin, alpha_mlp, beta_mlp)
    style = spec["style"]
    common = {
        "head_dim": spec["head_dim"],
        "hidden_size": spec["hidden"],
        "intermediate_size": spec["inter"],
        "num_attention_heads": spec["heads"],
        "num_experts_per_tok": spec["top_k"],
        "num_hidden_layers": L,
        "num_key_value_heads": spec["kv_heads"],
        "num_local_experts": spec["experts"],
        "rms_norm_eps": spec["eps"],
        "rope_theta": spec["rope_theta"],
        "shared_intermediate_size": spec["shared_inter"],
        "vocab_size": vocab_size,
        "max_position_embeddings": 8192,
    }
    if style in ("minimax_m1", "minimax_text_01"):
        cfg = release_json("config.json")
        cfg.update(common)
        cfg["attn_type_list"] = list(spec["attn_types"])
        cfg["postnorm"] = spec["postnorm"]
        cfg["rotary_dim"] = spec["rotary_dim"]
        cfg["layernorm_full_attention_alpha"], cfg["layernorm_full_attention_beta"] = a[0], a[1]
        cfg["layernorm_linear_attention_alpha"], cfg["layernorm_linear_attention_beta"] = a[2], a[3]
        cfg["layernorm_mlp_alpha"], cfg["layernorm_mlp_beta"] = a[4], a[5]
        if style == "minimax_text_01":
            cfg["architectures"] = ["MiniMaxText01ForCausalLM"]
            cfg["auto_map"] = {
                "AutoConfig": "configuration_minimax_text_01.MiniMaxText01Config",
                "AutoModelForCausalLM": "modeling_minimax_text_01.MiniMaxText01ForCausalLM",
            }
            cfg["model_type"] = "minimax_text_01"
        return dict(sorted(cfg.items()))
    if style == "minimax":
        kinds = ["linear_attention", "full_attention"]
        cfg = {
            "architectures": ["MiniMaxForCausalLM"],
            "attention_dropout": 0.0,
            "block_size": 256,
            "bos_token_id": None,
            "eos_token_id": None,
            "full_attn_alpha_factor": a[0],
            "full_attn_beta_factor": a[1],
            "hidden_act": "silu",
            "initializer_range": 0.02,
            "layer_types": [kinds[t] for t in spec["attn_types"]],
            "linear_attn_alpha_factor": a[2],
            "linear_attn_beta_factor": a[3],
            "mlp_alpha_factor": a[4],
            "mlp_beta_factor": a[5],
            "model_type": "minimax",
            "output_router_logits": False,
            "partial_rotary_factor": spec["rotary_dim"] / spec["head_dim"],
            "postnorm": spec["postnorm"],
            "router_aux_loss_coef": 0.001,
            "router_jitter_noise": 0.0,
            "shared_moe_mode": "sigmoid",
            "sliding_window": None,
            "tie_word_embeddings": False,
            "torch_dtype": "bfloat16" if spec["dtype"] == "BF16" else "float32",
            "transformers_version": "4.57.1",
            "use_cache": True,
        }
        cfg.update(common)
        return dict(sorted(cfg.items()))
    raise ValueError("unknown config style %r" % style)


def make_weights(spec, vocab_size):
    """-> list of (name, float32 array, dtype) in release order (embed, layers, norm, lm_head).
    Scales keep activations O(1): linear weights ~ N(0, g^2/fan_in) with per-family gains."""
    rng = np.random.default_rng(spec["seed"])
    C, H, KV, D = spec["hidden"], spec["heads"], spec["kv_heads"], spec["head_dim"]
    E, I, SI = spec["experts"], spec["inter"], spec["shared_inter"]
    dt = spec["dtype"]

    def lin(out_dim, in_dim, gain=1.0):
        return (rng.standard_normal((out_dim, in_dim)) * (gain / np.sqrt(in_dim))).astype(np.float32)

    def norm_w(n):
        return (1.0 + 0.1 * rng.standard_normal(n)).astype(np.float32)

    tensors = [("model.embed_tokens.weight", rng.standard_normal((vocab_size, C)).astype(np.float32), dt)]
    for l, t in enumerate(spec["attn_types"]):
        p = "model.layers.%d." % l
        tensors.append((p + "input_layernorm.weight", norm_w(C), dt))
        if t == 0:
            tensors += [
                (p + "self_attn.qkv_proj.weight", lin(3 * H * D, C), dt),
                (p + "self_attn.output_gate.weight", lin(H * D, C), dt),
                (p + "self_attn.norm.weight", norm_w(H * D), dt),
                (p + "self_attn.out_proj.weight", lin(C, H * D), dt),
            ]
        else:
            tensors += [
                (p + "self_attn.q_proj.weight", lin(H * D, C, 1.5), dt),
                (p + "self_attn.k_proj.weight", lin(KV * D, C, 1.5), dt),
                (p + "self_attn.v_proj.weight", lin(KV * D, C), dt),
                (p + "self_attn.o_proj.weight", lin(C, H * D), dt),
            ]
        tensors.append((p + "post_attention_layernorm.weight", norm_w(C), dt))
        tensors.append((p + "block_sparse_moe.gate.weight", lin(E, C, 1.5), "F32"))  # F32 as released
        for e in range(E):
            q = p + "block_sparse_moe.experts.%d." % e
            tensors += [(q + "w1.weight", lin(I, C), dt), (q + "w3.weight", lin(I, C), dt),
                        (q + "w2.weight", lin(C, I), dt)]
        if SI > 0:
            tensors += [
                (p + "shared_mlp.gate_proj.weight", lin(SI, C), dt),
                (p + "shared_mlp.up_proj.weight", lin(SI, C), dt),
                (p + "shared_mlp.down_proj.weight", lin(C, SI), dt),
                (p + "coefficient.weight", lin(1, C, 2.0), dt),
            ]
    tensors.append(("model.norm.weight", norm_w(C), dt))
    tensors.append(("lm_head.weight", lin(vocab_size, C, spec.get("head_gain", 3.0)), dt))
    return tensors


def split_shards(tensors, n):
    """Shard 0: the embedding; the layers spread over shards 1..n-1; norm and lm_head in the last."""
    if n == 1:
        return [tensors]
    layer_of = {}
    for name, _, _ in tensors:
        if name.startswith("model.layers."):
            layer_of[name] = int(name.split(".")[2])
    num_layers = max(layer_of.values()) + 1
    shards = [[] for _ in range(n)]
    for t in tensors:
        name = t[0]
        if name == "model.embed_tokens.weight":
            shards[0].append(t)
        elif name in layer_of:
            shards[1 + layer_of[name] * (n - 1) // num_layers].append(t)
        else:
            shards[-1].append(t)
    return shards


def make_tokenizer_config():
    real = release_json("tokenizer_config.json")
    return dict(real)


def make_checkpoint(out_dir, spec):
    """Write a tiny checkpoint for `spec` (see DEFAULT_SPEC for the keys) into out_dir.
    -> dict with vocab_size, tokenizer size and special ids."""
    spec = dict(DEFAULT_SPEC, **spec)
    if spec["alphas"] is None:
        spec["alphas"] = default_alphas(len(spec["attn_types"]))
    os.makedirs(out_dir, exist_ok=True)
    for old in os.listdir(out_dir):
        if old.endswith(".safetensors") or old == "model.safetensors.index.json":
            os.remove(os.path.join(out_dir, old))
    vocab, merges, special_ids, tok_size = tiny_tokenizer()
    vocab_size = pad_vocab(tok_size)
    cfg = make_config(spec, vocab_size)
    write_json(os.path.join(out_dir, "config.json"), cfg)
    tensors = make_weights(spec, vocab_size)
    if spec["shards"] == 1:
        safetensors_io.write_file(os.path.join(out_dir, "model.safetensors"), tensors)
    else:
        safetensors_io.write_sharded(out_dir, split_shards(tensors, spec["shards"]))
    tj = bpe.tokenizer_json(vocab, merges, special_ids, merges_as_pairs=spec["merges_as_pairs"],
                            specials_in_vocab=spec["specials_in_vocab"])
    write_json(os.path.join(out_dir, "tokenizer.json"), tj, indent=None)
    write_json(os.path.join(out_dir, "tokenizer_config.json"), make_tokenizer_config())
    return {"vocab_size": vocab_size, "tokenizer_size": tok_size, "special_ids": special_ids}


def write_json(path, obj, indent=2):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        if indent is None:
            json.dump(obj, f, ensure_ascii=False, separators=(",", ":"))
        else:
            json.dump(obj, f, ensure_ascii=False, indent=indent)
        f.write("\n")
    os.replace(tmp, path)


def default_alphas(num_layers):
    a = (2.0 * num_layers) ** 0.25  # the release uses (2 * 80)^(1/4) for all six alphas, betas 1
    return (a, 1.0, a, 1.0, a, 1.0)


DEFAULT_SPEC = {
    "seed": 0,
    "style": "minimax_m1",  # minimax_m1 | minimax_text_01 | minimax
    "dtype": "F32",  # F32 | BF16 (router always F32)
    "hidden": 64,
    "heads": 4,
    "kv_heads": 4,
    "head_dim": 16,
    "rotary_dim": 8,
    "attn_types": [0, 1],
    "experts": 8,
    "top_k": 2,
    "inter": 32,
    "shared_inter": 0,
    "eps": 1e-5,
    "rope_theta": 10000000.0,
    "postnorm": True,
    "alphas": None,
    "shards": 1,
    "merges_as_pairs": True,
    "specials_in_vocab": False,
    "head_gain": 3.0,
}


def main(argv=None):
    ap = argparse.ArgumentParser(description="Generate a tiny random MiniMax-M1 checkpoint.")
    ap.add_argument("--out", required=True)
    ap.add_argument("--spec", help="JSON object overriding DEFAULT_SPEC keys")
    args = ap.parse_args(argv)
    spec = copy.deepcopy(DEFAULT_SPEC)
    if args.spec:
        spec.update(json.loads(args.spec))
    if spec["alphas"] is None:
        spec["alphas"] = default_alphas(len(spec["attn_types"]))
    info = make_checkpoint(args.out, spec)
    print("wrote %s: vocab_size %d (tokenizer %d)" % (args.out, info["vocab_size"], info["tokenizer_size"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
