"""PyTorch reference for `npm run bench:train`: the same GPT-2 shapes, batches and steps on the
same CPU, timed the same way, so the benchmark can print each backend's ratio to PyTorch.

    python3 bench/pytorch_reference.py '{"part":"small"}'
    python3 bench/pytorch_reference.py '{"part":"gpt2","ppoLength":221}'

A plain nn.Module GPT-2 as a researcher writes it (nanoGPT's model: pre-LN, gelu tanh,
learned positions, tied embeddings, F.scaled_dot_product_attention), torch.optim.Adam, the
default thread count. Steps mirror bench/train.ts:
  sft        one optimizer step on 8 x 128 tokens (forward, backward, clip, Adam)
  rm         2 rankings x 4 completions of 128 tokens, pairwise loss, one Adam step
  ppoUpdate  policy + critic forward/backward on 8 rollouts, clipped policy + value loss, Adam
  sampling   KV-cache decoding of 100 tokens, batch 1 and batch 8 (multinomial sampling)
  gpt2       ("part": "gpt2") one SFT step (4 x 256) and one PPO step of the 124M shape: rollout
             (32 sampled tokens for 4 prompts, scored by policy, reference, critic and reward
             model without gradients) and update, rows of "ppoLength" tokens as bench/train-gpt2.ts
Prints one JSON object as its last line. Only for the benchmark: Hone never imports Python.
"""

import json
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, c, h):
        super().__init__()
        self.h = h
        self.ln_1 = nn.LayerNorm(c, eps=1e-5)
        self.c_attn = nn.Linear(c, 3 * c)
        self.c_proj = nn.Linear(c, c)
        self.ln_2 = nn.LayerNorm(c, eps=1e-5)
        self.c_fc = nn.Linear(c, 4 * c)
        self.mlp_proj = nn.Linear(4 * c, c)

    def attn(self, x, past=None):
        b, t, c = x.shape
        q, k, v = self.c_attn(x).split(c, dim=2)
        q, k, v = (z.view(b, t, self.h, c // self.h).transpose(1, 2) for z in (q, k, v))  # [B, H, T, D]
        if past is not None:
            k = torch.cat([past[0], k], 2)
            v = torch.cat([past[1], v], 2)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=past is None or t > 1)
        return self.c_proj(y.transpose(1, 2).reshape(b, t, c)), (k, v)

    def forward(self, x, past=None):
        a, kv = self.attn(self.ln_1(x), past)
        x = x + a
        x = x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))
        return x, kv


class GPT(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        c = cfg["nEmbd"]
        self.wte = nn.Embedding(cfg["vocabSize"], c)
        self.wpe = nn.Embedding(cfg["nPositions"], c)
        self.h = nn.ModuleList(Block(c, cfg["nHead"]) for _ in range(cfg["nLayer"]))
        self.ln_f = nn.LayerNorm(c, eps=1e-5)
        for p in self.parameters():
            if p.dim() >= 2:
                nn.init.normal_(p, 0.0, 0.02)

    def hidden(self, ids, past=None, offset=0):
        pos = torch.arange(offset, offset + ids.shape[1])
        x = self.wte(ids) + self.wpe(pos)
        cache = []
        for i, block in enumerate(self.h):
            x, kv = block(x, None if past is None else past[i])
            cache.append(kv)
        return self.ln_f(x), cache

    def forward(self, ids, past=None, offset=0):
        h, cache = self.hidden(ids, past, offset)
        return h @ self.wte.weight.T, cache


class ScalarHead(nn.Module):
    """Backbone + a [1, C] head: the reward model (last token) and the critic (every token)."""

    def __init__(self, cfg):
        super().__init__()
        self.backbone = GPT(cfg)
        self.score = nn.Linear(cfg["nEmbd"], 1)

    def forward(self, ids):
        return self.score(self.backbone.hidden(ids)[0]).squeeze(-1)  # [B, T]


def timed(fn, runs, warmup=1):
    for _ in range(warmup):
        fn()
    ts = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return sorted(ts)[len(ts) // 2]


def flops_per_token(cfg, length):
    c, n_layer = cfg["nEmbd"], cfg["nLayer"]
    matmul_params = cfg["vocabSize"] * c + n_layer * (12 * c * c + 13 * c) + 2 * c
    return 6 * matmul_params + 12 * n_layer * c * length


def sft_step(model, opt, ids):
    logits, _ = model(ids[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), ids[:, 1:].reshape(-1))
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    return loss.item()


def rm_step(rm, opt, ids, rankings, k):
    r = rm(ids)[:, -1].view(rankings, k)  # [rankings, K] rewards at the last token
    # tiers [[0], [1, 2], [3]]: pairs (0,1) (0,2) (0,3) (1,3) (2,3)
    pairs = [(0, 1), (0, 2), (0, 3), (1, 3), (2, 3)]
    loss = -torch.stack([F.logsigmoid(r[:, w] - r[:, l]) for w, l in pairs], 1).mean()
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(rm.parameters(), 1.0)
    opt.step()
    return loss.item()


def ppo_update(policy, critic, opt, ids, query, temperature=1.0):
    b, length = ids.shape
    resp = ids[:, query:]
    with torch.no_grad():
        old = torch.randn(b, length - query) * 0.1 - 3
        old_v = torch.randn(b, length - query) * 0.1
        adv = torch.randn(b, length - query)
        ret = old_v + adv
    logits, _ = policy(ids)
    logits = logits[:, query - 1 : -1] / temperature
    logp = torch.gather(F.log_softmax(logits, -1), 2, resp.unsqueeze(-1)).squeeze(-1)
    ratio = torch.exp(logp - old)
    pg = torch.max(-adv * ratio, -adv * ratio.clamp(0.8, 1.2)).mean()
    v = critic(ids)[:, query - 1 : -1]
    v_clipped = old_v + (v - old_v).clamp(-0.2, 0.2)
    vf = 0.5 * torch.max((v - ret) ** 2, (v_clipped - ret) ** 2).mean()
    loss = pg + 0.1 * vf
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(list(policy.parameters()) + list(critic.parameters()), 1.0)
    opt.step()
    return loss.item()


@torch.no_grad()
def sample(model, prompts, new_tokens):
    logits, cache = model(prompts)
    offset = prompts.shape[1]
    for _ in range(new_tokens):
        probs = F.softmax(logits[:, -1], -1)
        nxt = torch.multinomial(probs, 1)
        logits, cache = model(nxt, cache, offset)
        offset += 1


def measure_small(cfg):
    torch.manual_seed(0)
    t = cfg["nPositions"]
    v = cfg["vocabSize"]
    out = {}

    policy = GPT(cfg)
    opt = torch.optim.Adam(policy.parameters(), lr=1e-4, eps=1e-8)
    ids = torch.randint(0, v, (8, t + 1))
    s = timed(lambda: sft_step(policy, opt, ids), 3)
    out["sft"] = {"tokensPerSec": round(8 * t / s), "gflops": round(8 * t * flops_per_token(cfg, t) / s / 1e9, 1), "batch": [8, t]}

    rm = ScalarHead(cfg)
    rm_opt = torch.optim.Adam(rm.parameters(), lr=1e-5, eps=1e-8)
    rm_ids = torch.randint(0, v, (8, t))
    s = timed(lambda: rm_step(rm, rm_opt, rm_ids, 2, 4), 3)
    out["rm"] = {"tokensPerSec": round(8 * t / s), "gflops": round(8 * t * flops_per_token(cfg, t) / s / 1e9, 1), "batch": [8, t]}

    critic = ScalarHead(cfg)
    ppo_opt = torch.optim.Adam(list(policy.parameters()) + list(critic.parameters()), lr=1e-5, eps=1e-5)
    length = min(t, 116)  # bench/train-backend.ts's rollouts: 84-token queries + 32 reply tokens
    ppo_ids = torch.randint(0, v, (8, length))
    s = timed(lambda: ppo_update(policy, critic, ppo_opt, ppo_ids, length - 32), 3)
    out["ppoUpdate"] = {"tokensPerSec": round(8 * length / s), "gflops": round(2 * 8 * length * flops_per_token(cfg, length) / s / 1e9, 1), "batch": [8, length]}

    policy.eval()
    sampling = {}
    for b in (1, 8):
        prompts = torch.randint(0, v, (b, 8))
        s = timed(lambda: sample(policy, prompts, 100), 3)
        sampling[f"batch{b}"] = round(b * 100 / s)
    out["samplingTokensPerSec"] = sampling
    a = torch.randn(1024, 1024)
    out["matmulGflops"] = round(2 * 1024**3 / timed(lambda: a @ a, 5) / 1e9, 1)
    return out


@torch.no_grad()
def ppo_rollout(policy, reference, critic, rm, prompts, new_tokens):
    sample(policy, prompts, new_tokens)
    ids = torch.randint(0, policy.wte.weight.shape[0], (prompts.shape[0], prompts.shape[1] + new_tokens))
    for model in (policy, reference):
        model(ids)
    critic(ids)
    rm(ids)


def measure_gpt2(ppo_length):
    torch.manual_seed(0)
    g = {"vocabSize": 50264, "nPositions": 1024, "nEmbd": 768, "nLayer": 12, "nHead": 12}
    out = {}
    policy = GPT(g)
    opt = torch.optim.Adam(policy.parameters(), lr=1e-5)
    ids = torch.randint(0, g["vocabSize"], (4, 257))
    sft_step(policy, opt, ids)  # the first step allocates; the second counts, as bench/train-gpt2.ts
    t0 = time.perf_counter()
    sft_step(policy, opt, ids)
    out["sft"] = {"stepSeconds": round(time.perf_counter() - t0, 2), "batch": [4, 256]}
    del opt
    reference = GPT(g)
    rm = ScalarHead(g)
    critic = ScalarHead(g)
    ppo_opt = torch.optim.Adam(list(policy.parameters()) + list(critic.parameters()), lr=1e-5, eps=1e-5)
    prompts = torch.randint(0, g["vocabSize"], (4, ppo_length - 32))
    ppo_ids = torch.randint(0, g["vocabSize"], (4, ppo_length))
    runs = []
    for _ in range(2):
        t0 = time.perf_counter()
        ppo_rollout(policy, reference, critic, rm, prompts, 32)
        t1 = time.perf_counter()
        ppo_update(policy, critic, ppo_opt, ppo_ids, ppo_length - 32)
        runs.append((t1 - t0, time.perf_counter() - t1))
    rollout, update = runs[1]
    out["ppo"] = {"stepSeconds": round(rollout + update, 2), "rolloutSeconds": round(rollout, 2), "updateSeconds": round(update, 2), "batch": [4, ppo_length]}
    return out


if __name__ == "__main__":
    args = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
    if args.get("part") == "gpt2":
        out = measure_gpt2(int(args.get("ppoLength", 221)))
    else:
        cfg = {"vocabSize": 264, "nPositions": 128, "nEmbd": 256, "nLayer": 4, "nHead": 8}
        cfg.update({k: args[k] for k in cfg if k in args})
        out = measure_small(cfg)
    out["threads"] = torch.get_num_threads()
    out["torch"] = torch.__version__
    out["peakRssMiB"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(out))
