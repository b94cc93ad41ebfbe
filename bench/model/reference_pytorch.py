#!/usr/bin/env python3
"""Reference: the same Llama configs in PyTorch eager (Debian python3-torch), for side-by-side
throughput with `pipeline bench model`. Same architecture as src/Model (RMSNorm, HF rotate-half
RoPE, GQA, SwiGLU, untied head), same batch/sequence/step counts and thread count.

Debian 12 ships torch 1.13, which has no scaled_dot_product_attention: attention is the plain
softmax(QK^T/sqrt(d) + causal mask) V. Install libopenblas0-pthread for a fast BLAS.

Usage: python3 reference_pytorch.py --threads 2 [--sizes JSON] > result.json
"""
import argparse
import json
import math
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class RMSNorm(nn.Module):
    def __init__(self, d, eps=1e-5):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))
        self.eps = eps

    def forward(self, x):
        h = x.float()
        h = h * torch.rsqrt(h.pow(2).mean(-1, keepdim=True) + self.eps)
        return self.weight * h.type_as(x)


def rotate_half(x):
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat((-x2, x1), dim=-1)


class Attention(nn.Module):
    def __init__(self, d, heads, kv_heads):
        super().__init__()
        self.h, self.kv, self.hd = heads, kv_heads, d // heads
        self.q_proj = nn.Linear(d, heads * self.hd, bias=False)
        self.k_proj = nn.Linear(d, kv_heads * self.hd, bias=False)
        self.v_proj = nn.Linear(d, kv_heads * self.hd, bias=False)
        self.o_proj = nn.Linear(heads * self.hd, d, bias=False)

    def forward(self, x, cos, sin, cache=None):
        b, t, _ = x.shape
        q = self.q_proj(x).view(b, t, self.h, self.hd).transpose(1, 2)
        k = self.k_proj(x).view(b, t, self.kv, self.hd).transpose(1, 2)
        v = self.v_proj(x).view(b, t, self.kv, self.hd).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        if cache is not None:
            if cache.get("k") is not None:
                k = torch.cat([cache["k"], k], 2)
                v = torch.cat([cache["v"], v], 2)
            cache["k"], cache["v"] = k, v
        rep = self.h // self.kv
        if rep > 1:
            k = k.repeat_interleave(rep, 1)
            v = v.repeat_interleave(rep, 1)
        s = k.shape[2]
        att = (q @ k.transpose(-1, -2)) / math.sqrt(self.hd)
        if t > 1:
            mask = torch.ones(t, s, dtype=torch.bool).tril(s - t)
            att = att.masked_fill(~mask, float("-inf"))
        o = att.softmax(-1) @ v
        return self.o_proj(o.transpose(1, 2).reshape(b, t, -1))


class Layer(nn.Module):
    def __init__(self, d, inter, heads, kv):
        super().__init__()
        self.self_attn = Attention(d, heads, kv)
        self.gate_proj = nn.Linear(d, inter, bias=False)
        self.up_proj = nn.Linear(d, inter, bias=False)
        self.down_proj = nn.Linear(inter, d, bias=False)
        self.input_layernorm = RMSNorm(d)
        self.post_attention_layernorm = RMSNorm(d)

    def forward(self, x, cos, sin, cache=None):
        h = x + self.self_attn(self.input_layernorm(x), cos, sin, cache)
        n = self.post_attention_layernorm(h)
        return h + self.down_proj(F.silu(self.gate_proj(n)) * self.up_proj(n))


class Llama(nn.Module):
    def __init__(self, c, max_pos=1024):
        super().__init__()
        d = c["Hidden"]
        self.embed_tokens = nn.Embedding(c["Vocab"], d)
        self.layers = nn.ModuleList(Layer(d, c["Intermediate"], c["Heads"], c["KvHeads"]) for _ in range(c["Layers"]))
        self.norm = RMSNorm(d)
        self.lm_head = nn.Linear(d, c["Vocab"], bias=False)
        hd = d // c["Heads"]
        inv = 1.0 / (10000 ** (torch.arange(0, hd, 2).float() / hd))
        freqs = torch.outer(torch.arange(max_pos).float(), inv)
        emb = torch.cat([freqs, freqs], -1)
        self.cos, self.sin = emb.cos(), emb.sin()

    def forward(self, ids, start=0, caches=None):
        t = ids.shape[1]
        cos, sin = self.cos[start:start + t][None, None], self.sin[start:start + t][None, None]
        x = self.embed_tokens(ids)
        for i, layer in enumerate(self.layers):
            x = layer(x, cos, sin, None if caches is None else caches[i])
        return self.lm_head(self.norm(x))


def train_tps(model, c, a, bf16=False):
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, betas=(0.9, 0.95), eps=1e-5, weight_decay=0.1)
    g = torch.Generator().manual_seed(0)
    data = torch.randint(0, c["Vocab"], (a.batch, a.seq + 1), generator=g)
    x, y = data[:, :-1], data[:, 1:].reshape(-1)

    def step():
        # bf16: CPU autocast (matmuls in bf16 on float32 weights), the counterpart of our ComputeDtype.
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            logits = model(x)
        loss = F.cross_entropy(logits.float().view(-1, c["Vocab"]), y)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        opt.zero_grad()

    step()
    # The median step, as the C# benchmark does.
    times = []
    for _ in range(a.steps):
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
    return a.batch * a.seq / statistics.median(times)


@torch.no_grad()
def generate_tps(model, c, a):
    model.eval()
    prompt = torch.tensor([[3 + i * 7 % (c["Vocab"] - 3) for i in range(a.prompt)]])

    def run(n):
        caches = [dict() for _ in model.layers]
        logits = model(prompt, 0, caches)
        pos = prompt.shape[1]
        for _ in range(n):
            nxt = logits[:, -1].argmax(-1, keepdim=True)
            logits = model(nxt, pos, caches)
            pos += 1

    run(8)
    # The median of three runs, as the C# benchmark does.
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        run(a.new_tokens)
        times.append(time.perf_counter() - t0)
    return a.new_tokens / sorted(times)[1]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--seq", type=int, default=256)
    p.add_argument("--steps", type=int, default=7)
    p.add_argument("--prompt", type=int, default=16)
    p.add_argument("--new-tokens", type=int, default=256)
    p.add_argument("--sizes", default=json.dumps([
        {"Name": "2M", "Hidden": 128, "Intermediate": 384, "Layers": 4, "Heads": 4, "KvHeads": 4, "Vocab": 4096},
        {"Name": "25M", "Hidden": 512, "Intermediate": 1408, "Layers": 6, "Heads": 8, "KvHeads": 8, "Vocab": 4096}]))
    p.add_argument("--no-train", action="store_true", help="generation only (training is measured in --serve rounds)")
    p.add_argument("--serve", action="store_true",
                   help="for the first size: read one JSON line per request from stdin, {\"bf16\": bool, \"steps\": N}, "
                        "and answer each with {\"train_tokens_per_second\": x}, so training rounds can alternate with the C# side")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    if a.serve:
        serve(json.loads(a.sizes)[0], a)
        return
    out = {"torch": torch.__version__, "threads": a.threads, "sizes": []}
    for c in json.loads(a.sizes):
        model = Llama(c)
        params = sum(t.numel() for t in model.parameters())
        row = {"name": c["Name"], "parameters": params, "generation_tokens_per_second": generate_tps(model, c, a)}
        if not a.no_train:
            row["train_tokens_per_second"] = train_tps(model.train(), c, a)
            row["train_bf16_tokens_per_second"] = train_tps(model, c, a, bf16=True)
        out["sizes"].append(row)
    print(json.dumps(out))


def serve(c, a):
    model = Llama(c)
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        a.steps = int(request.get("steps", a.steps))
        tps = train_tps(model.train(), c, a, bf16=bool(request.get("bf16", False)))
        print(json.dumps({"train_tokens_per_second": tps}), flush=True)


if __name__ == "__main__":
    main()
