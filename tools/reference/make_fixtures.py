#!/usr/bin/env python3
"""Regenerate every fixture under tests/fixtures/ (deterministic: the same bytes on every run).

  python3 tools/reference/make_fixtures.py            # all: models, goldens, tokenizer, chat
  python3 tools/reference/make_fixtures.py --only tiny-f32-h4-ls   # one model + its golden

Writes
  tests/fixtures/models/<name>/     config.json, weights, tokenizer.json, tokenizer_config.json
  tests/fixtures/golden/<name>/     prompt.json, logits.npy, routing.json
  tests/fixtures/tokenizer/         cases.json, real_merges_cases.json
  tests/fixtures/chat/              cases.json
"""
import argparse
import json
import os
import sys

import _env  # noqa: F401
import numpy as np

import bpe
import make_checkpoint
import minimax_ref

FIXTURES = os.path.join(make_checkpoint.REPO, "tests", "fixtures")
PROMPT_LEN = 640

# name -> spec (keys as make_checkpoint.DEFAULT_SPEC). Alphas are (full α, full β, linear α, linear β,
# mlp α, mlp β); None means the release rule (2L)^(1/4) for the α's and 1 for the β's.
SPECS = {
    # lightning first, then softmax; MHA (GQA ratio 1); rotary 8 of 16; F32; release spelling
    "tiny-f32-h4-ls": dict(seed=101, style="minimax_m1", dtype="F32", hidden=64, heads=4, kv_heads=4,
                           head_dim=16, rotary_dim=8, attn_types=[0, 1], experts=8, top_k=2, inter=32,
                           rope_theta=10000000.0, merges_as_pairs=True, specials_in_vocab=False),
    # softmax first; 6 heads (ALiBi fallback), GQA 3; H*D != C; BF16; 3 shards + index; "a b" merges
    "tiny-bf16-h6-gqa3-sll-sharded": dict(seed=202, style="minimax_m1", dtype="BF16", hidden=48, heads=6,
                                          kv_heads=2, head_dim=16, rotary_dim=8, attn_types=[1, 0, 0],
                                          experts=4, top_k=2, inter=32, rope_theta=10000.0, shards=3,
                                          merges_as_pairs=False, specials_in_vocab=True),
    # later `minimax` spelling (layer_types, *_factor, partial_rotary_factor); two softmax layers; GQA 2;
    # distinct α/β per sublayer kind; BF16
    "tiny-bf16-h4-gqa2-lsls-hfcfg": dict(seed=303, style="minimax", dtype="BF16", hidden=64, heads=4,
                                         kv_heads=2, head_dim=8, rotary_dim=4, attn_types=[0, 1, 0, 1],
                                         experts=8, top_k=2, inter=32, rope_theta=1000000.0,
                                         alphas=(1.25, 0.9, 1.5, 1.1, 1.75, 0.8)),
    # a single lightning layer (L = 1: layer factor 1 + 1e-5); 3 heads (ALiBi fallback); top-1 routing
    "tiny-f32-h3-1layer": dict(seed=404, style="minimax_m1", dtype="F32", hidden=48, heads=3, kv_heads=3,
                               head_dim=16, rotary_dim=16, attn_types=[0], experts=4, top_k=1, inter=32),
    # head dim 64, the smallest the GPU's tensor-core attention kernels take (softmax prefill, lightning
    # prefill); GQA 2 (one KV head); BF16
    "tiny-bf16-d64-ls": dict(seed=606, style="minimax_m1", dtype="BF16", hidden=64, heads=2, kv_heads=1,
                             head_dim=64, rotary_dim=32, attn_types=[0, 1], experts=4, top_k=2, inter=32,
                             rope_theta=10000000.0),
    # shared expert (shared_intermediate_size > 0, sigmoid coefficient mix); MiniMax-Text-01 spelling;
    # GQA 4 (one KV head); full-head rotary (rotary_dim == head_dim)
    "tiny-f32-h4-shared-text01": dict(seed=505, style="minimax_text_01", dtype="F32", hidden=32, heads=4,
                                      kv_heads=1, head_dim=8, rotary_dim=8, attn_types=[0, 1], experts=4,
                                      top_k=2, inter=32, shared_inter=48, rope_theta=10000.0),
}

TOKENIZER_FIXTURE = "tiny-f32-h4-ls"

TOKENIZER_TEXTS = [
    "Hello world",
    "The model reads the whole library, and then it answers.",
    "don't",
    "I'LL see you're right; we've done it, she'd say. It's THE END'S",
    "12345",
    "pi is 3.14159 and 1,000,000 is a million; 2023-12-31",
    "a   b\n\n  c",
    "  leading spaces\tand\ttabs \r\n windows lines\n",
    "trailing space ",
    "emoji: 🎉🙂 👍🏽 done",
    "CJK: 日本語のテキスト 中文 한국어",
    "accents: café naïve façade Ærø Ångström",
    "hi<end_of_sentence>there",
    "<beginning_of_sentence>user name=user\nhello<end_of_sentence>\n<think>x</think>",
    "<end_of_document><begin_of_document>",
    "",
    " ",
    "\n",
    "symbols: @#$%^&*()_+-=[]{}|;':\",./<>?`~",
    "x<think",
]

REAL_MERGES_TEXTS = [
    "Hello world",
    "The library keeps every document it has read, and the reader may ask about any of them. When the "
    "question is about the whole collection, the answer cannot come from one page: the model has to read "
    "the summaries of all the chapters, then reason over them.",
    "def forward(self, x):\n    return self.out_proj(torch.sigmoid(g) * x)  # 4 spaces\n",
    "for (int i = 0; i < n; ++i) { sum += a[i] * b[i]; }",
    "Emoji: 🎉🙂👍🏽 and ❤️",
    "日本語のテキストと中文",
    "naïve café — “quotes” and ‘single’",
    "don't I'LL we've 12345 678",
    "a   b\n\n  c\t\td",
    "https://example.com/path?query=1&x=2",
]


def chat_cases():
    def text(t):
        return [{"type": "text", "text": t}]

    weather_tool = {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "Current weather for a city",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}},
                           "required": ["city"]},
        },
    }
    return [
        dict(name="system_user_gen", add_generation_prompt=True,
             messages=[{"role": "system", "content": text("You are a careful analyst.")},
                       {"role": "user", "content": text("Summarize the contract.")}]),
        dict(name="system_user_nogen", add_generation_prompt=False,
             messages=[{"role": "system", "content": text("You are a careful analyst.")},
                       {"role": "user", "content": text("Summarize the contract.")}]),
        dict(name="user_only_gen", add_generation_prompt=True,
             messages=[{"role": "user", "content": text("What is 2+2?")}]),
        dict(name="user_only_nogen", add_generation_prompt=False,
             messages=[{"role": "user", "content": text("What is 2+2?")}]),
        dict(name="multi_turn_gen", add_generation_prompt=True,
             messages=[{"role": "system", "content": text("Be brief.")},
                       {"role": "user", "content": text("Hi!")},
                       {"role": "assistant", "content": text("Hello. How can I help?")},
                       {"role": "user", "content": text("List three clauses.\nUse bullets.")}]),
        dict(name="multi_turn_nogen_unicode", add_generation_prompt=False,
             messages=[{"role": "user", "content": text("Qu'est-ce que c'est ? 日本語 🎉")},
                       {"role": "assistant", "content": text("<think>\nshort\n</think>\nC'est un test.")}]),
        dict(name="tool_result_gen", add_generation_prompt=True,
             messages=[{"role": "user", "content": text("Weather in Paris?")},
                       {"role": "assistant",
                        "content": text('<tool_calls>\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n'
                                        '</tool_calls>')},
                       {"role": "tool", "content": [{"type": "text", "name": "get_weather",
                                                     "text": '{"temp_c": 18, "sky": "clear"}'}]}]),
        dict(name="tools_declared_gen", add_generation_prompt=True, tools=[weather_tool],
             messages=[{"role": "system", "content": text("You can call tools.")},
                       {"role": "user", "content": text("Weather in Paris?")}]),
        dict(name="two_systems_concatenated", add_generation_prompt=True,
             messages=[{"role": "system", "content": text("First. ")},
                       {"role": "system", "content": text("Second.")},
                       {"role": "user", "content": text("Go.")}]),
    ]


def render_chat(template, case):
    """Render like transformers' apply_chat_template: sandboxed jinja2, trim_blocks + lstrip_blocks,
    tojson = json.dumps(ensure_ascii=False) with the default separators."""
    import jinja2
    import jinja2.sandbox

    env = jinja2.sandbox.ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True,
                                                       extensions=["jinja2.ext.loopcontrols"])
    env.filters["tojson"] = lambda x, ensure_ascii=False, indent=None, separators=None, sort_keys=False: \
        json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)
    tcfg = make_checkpoint.release_json("tokenizer_config.json")
    return env.from_string(template).render(
        messages=case["messages"], tools=case.get("tools"), add_generation_prompt=case["add_generation_prompt"],
        bos_token=tcfg["bos_token"], eos_token=tcfg["eos_token"], unk_token=tcfg["unk_token"])


def write_json(path, obj, indent=1):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    make_checkpoint.write_json(path, obj, indent)


def logits_stats(logits):
    z = logits - logits.max(axis=-1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(axis=-1, keepdims=True)
    pmax = p.max(axis=-1)
    ent = -(p * np.log(np.maximum(p, 1e-300))).sum(axis=-1)
    return {"mean_max_prob": float(pmax.mean()), "frac_rows_max_prob_over_0.99": float((pmax > 0.99).mean()),
            "mean_entropy": float(ent.mean()), "uniform_entropy": float(np.log(logits.shape[1])),
            "logit_std": float(logits.std())}


def make_model_fixture(name, spec):
    mdir = os.path.join(FIXTURES, "models", name)
    gdir = os.path.join(FIXTURES, "golden", name)
    info = make_checkpoint.make_checkpoint(mdir, spec)
    rng = np.random.default_rng(spec["seed"] + 7)
    specials = set(info["special_ids"].values())
    allowed = np.array([i for i in range(info["tokenizer_size"]) if i not in specials])
    ids = [int(i) for i in rng.choice(allowed, size=PROMPT_LEN, replace=True)]
    model = minimax_ref.Model(mdir)
    res = model.forward(ids)
    logits = res["logits"]
    stats = logits_stats(logits)
    if not (0.05 < stats["mean_max_prob"] < 0.9 and stats["frac_rows_max_prob_over_0.99"] < 0.2
            and stats["mean_entropy"] < 0.97 * stats["uniform_entropy"]):
        raise SystemExit("%s: degenerate logits %s" % (name, stats))
    os.makedirs(gdir, exist_ok=True)
    write_json(os.path.join(gdir, "prompt.json"), {"ids": ids}, indent=None)
    np.save(os.path.join(gdir, "logits.npy"), logits.astype("<f4"))
    routing = minimax_ref.routing_json(res["routing"], model.cfg)
    with open(os.path.join(gdir, "routing.json"), "w", encoding="utf-8", newline="\n") as f:
        # one line per layer keeps it compact and diffable
        f.write('{"num_experts":%d,"top_k":%d,"layers":[\n' % (routing["num_experts"], routing["top_k"]))
        f.write(",\n".join(json.dumps(l, separators=(",", ":")) for l in routing["layers"]))
        f.write("\n]}\n")
    margins = np.concatenate([minimax_ref.routing_margin(r["probs"], model.cfg.top_k) for r in res["routing"]])
    print("%-32s V=%d  mean max p %.3f  entropy %.2f/%.2f  logit std %.2f  min routing margin %.2e"
          % (name, info["vocab_size"], stats["mean_max_prob"], stats["mean_entropy"], stats["uniform_entropy"],
             stats["logit_std"], margins.min()))


def make_tokenizer_cases():
    mdir = os.path.join(FIXTURES, "models", TOKENIZER_FIXTURE)
    tok = bpe.Tokenizer.from_tokenizer_json(os.path.join(mdir, "tokenizer.json"))
    cases = []
    for t in TOKENIZER_TEXTS:
        ids = tok.encode(t)
        assert tok.decode(ids) == t, t
        cases.append({"text": t, "ids": ids})
    write_json(os.path.join(FIXTURES, "tokenizer", "cases.json"),
               {"tokenizer": "tests/fixtures/models/%s/tokenizer.json" % TOKENIZER_FIXTURE, "cases": cases})

    merges = bpe.read_merges_txt(os.path.join(make_checkpoint.RELEASE_DIR, "merges.txt"))
    real = bpe.Tokenizer(bpe.vocab_from_merges(merges), merges, {})
    cases = []
    for t in REAL_MERGES_TEXTS:
        ids = real.encode(t)
        assert real.decode(ids) == t, t
        cases.append({"text": t, "ids": ids})
    write_json(os.path.join(FIXTURES, "tokenizer", "real_merges_cases.json"), {
        "merges": "shared/models/minimax-m1/merges.txt",
        "vocab": "ids 0..255: the 256 byte tokens in GPT-2 bytes_to_unicode order (id 0 = '!' 0x21, "
                 "id 188 = 'Ā' 0x00, id 220 = 'Ġ' 0x20); id 256+r: the concatenation of merge rank r "
                 "(the '#version' line is not a merge); no added tokens",
        "num_merges": len(merges),
        "cases": cases})


def make_chat_cases():
    template = make_checkpoint.release_json("tokenizer_config.json")["chat_template"]
    out = []
    for case in chat_cases():
        c = dict(case)
        c["expected"] = render_chat(template, case)
        out.append(c)
    write_json(os.path.join(FIXTURES, "chat", "cases.json"), {
        "template": "shared/models/minimax-m1/tokenizer_config.json chat_template",
        "render": "jinja2 sandbox, trim_blocks and lstrip_blocks on, tojson = json.dumps(ensure_ascii=False)",
        "cases": out})


def main(argv=None):
    ap = argparse.ArgumentParser(description="Regenerate tests/fixtures (deterministic).")
    ap.add_argument("--only", help="regenerate only this model fixture")
    args = ap.parse_args(argv)
    for name, spec in SPECS.items():
        if args.only and name != args.only:
            continue
        make_model_fixture(name, spec)
    if not args.only:
        make_tokenizer_cases()
        make_chat_cases()
    return 0


if __name__ == "__main__":
    sys.exit(main())
