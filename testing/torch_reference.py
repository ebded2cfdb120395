"""Reference outputs and gradients from PyTorch (float64) for the solution tests.

Run with Debian's python3 and python3-torch:

    /usr/bin/python3 testing/torch_reference.py

It writes testing/torch_reference.json next to this file (formatted by `deno fmt`). Every case stores its
inputs too, so the TypeScript tests never need to reproduce this RNG. Where the
kit's SPEC.md departs from PyTorch, the case says how (see "note" fields); the
tests read the JSON and rescale or compare against the stated equivalent.
"""

import json
import math
import pathlib
import shutil
import subprocess

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
torch.manual_seed(0)
rng = np.random.default_rng(20251128)


def arr(x):
    """A nested list of floats from a tensor or array."""
    if isinstance(x, torch.Tensor):
        x = x.detach().numpy()
    return np.asarray(x, dtype=np.float64).tolist()


def leaf(a):
    return torch.tensor(a, dtype=torch.float64, requires_grad=True)


def normal(*shape, scale=1.0):
    return rng.normal(size=shape) * scale


def module_case(fn, x, g=None, **extra):
    """Runs fn on x, back-propagates g (random normal by default); returns a dict."""
    xt = leaf(x)
    y = fn(xt)
    if g is None:
        g = normal(*y.shape)
    y.backward(torch.tensor(g))
    case = {"input": arr(x), "output": arr(y), "gradOutput": arr(g), "gradInput": arr(xt.grad)}
    case.update(extra)
    return case


ref = {"torch": torch.__version__}

# ---------------------------------------------------------------- Linear
cases = []
for n, n_in, n_out in [(4, 5, 3), (1, 3, 2), (7, 2, 6)]:
    layer = torch.nn.Linear(n_in, n_out)
    W, b = normal(n_out, n_in), normal(n_out)
    with torch.no_grad():
        layer.weight.copy_(torch.tensor(W))
        layer.bias.copy_(torch.tensor(b))
    case = module_case(layer, normal(n, n_in), W=arr(W), b=arr(b))
    case.update(gradW=arr(layer.weight.grad), gradb=arr(layer.bias.grad))
    cases.append(case)
ref["linear"] = cases

# ---------------------------------------------------------------- Sequential: Linear, ReLU, Linear
l1, l2 = torch.nn.Linear(4, 5), torch.nn.Linear(5, 3)
weights = {"W1": normal(5, 4), "b1": normal(5), "W2": normal(3, 5), "b2": normal(3)}
with torch.no_grad():
    l1.weight.copy_(torch.tensor(weights["W1"]))
    l1.bias.copy_(torch.tensor(weights["b1"]))
    l2.weight.copy_(torch.tensor(weights["W2"]))
    l2.bias.copy_(torch.tensor(weights["b2"]))
case = module_case(torch.nn.Sequential(l1, torch.nn.ReLU(), l2), normal(6, 4), **{k: arr(v) for k, v in weights.items()})
case.update(gradW1=arr(l1.weight.grad), gradb1=arr(l1.bias.grad), gradW2=arr(l2.weight.grad), gradb2=arr(l2.bias.grad))
ref["sequential"] = case

# ---------------------------------------------------------------- SoftMax / LogSoftMax
# Row 0-2 ordinary, then rows of magnitude 1e3 and 1e4 (stability).
x = np.concatenate([normal(3, 5, scale=2.0), normal(1, 5, scale=1e3), 1e4 + normal(1, 5, scale=3.0), normal(1, 5, scale=1e4)])
ref["softmax"] = module_case(lambda t: torch.softmax(t, dim=1), x)
ref["log_softmax"] = module_case(lambda t: torch.log_softmax(t, dim=1), x)

# ---------------------------------------------------------------- BatchNormalization
# SPEC: moving = alpha*moving + (1-alpha)*batch, i.e. torch momentum = 1 - alpha.
# Torch's running_var is UNBIASED; the kit's moving variance is BIASED, computed here explicitly.
alpha = 0.9
bn = torch.nn.BatchNorm1d(4, eps=1e-3, momentum=1 - alpha, affine=False)
batches, moving_var = [], np.ones(4)
for n in (6, 5):
    xb = normal(n, 4, scale=2.0) + np.array([1.0, -3.0, 0.5, 10.0])
    case = module_case(bn, xb)
    moving_var = alpha * moving_var + (1 - alpha) * xb.var(axis=0)  # biased (ddof=0)
    case.update(movingMean=arr(bn.running_mean), movingVarianceBiased=arr(moving_var),
                torchRunningVarUnbiased=arr(bn.running_var))
    batches.append(case)
# Eval mode with the kit's (biased) moving variance put in torch's buffer.
with torch.no_grad():
    bn.running_var.copy_(torch.tensor(moving_var))
bn.eval()
ref["batch_normalization"] = {"alpha": alpha, "eps": 1e-3, "train": batches,
                              "eval": module_case(bn, normal(3, 4, scale=2.0))}

# ---------------------------------------------------------------- elementwise activations
def away_from_zero(*shape, scale=2.0):
    x = normal(*shape, scale=scale)
    return np.where(np.abs(x) < 0.05, np.sign(x) * 0.05 + x, x)


x = away_from_zero(4, 6)
ref["relu"] = module_case(torch.relu, x)
ref["leaky_relu"] = [
    {"slope": s, **module_case(lambda t, s=s: F.leaky_relu(t, s), x)} for s in (0.03, 0.2)
]
ref["elu"] = [{"alpha": a, **module_case(lambda t, a=a: F.elu(t, a), x)} for a in (1.0, 0.5)]
# Torch's Softplus linearises above `threshold` (default 20); with a huge threshold it is the
# exact log(1 + e^x) and its gradient the sigmoid, as SPEC asks. Moderate inputs only here:
# magnitudes 1e3-1e4 are checked by hand in the test (torch's exact branch overflows there).
ref["softplus"] = module_case(lambda t: F.softplus(t, beta=1, threshold=1e9),
                              np.concatenate([normal(3, 5, scale=3.0), normal(1, 5, scale=15.0)]))

# ---------------------------------------------------------------- criterions
# MSE: torch's "mean" divides by N*D, SPEC by N only; the test multiplies by D.
inp, tgt = normal(5, 3), normal(5, 3)
it = leaf(inp)
loss = F.mse_loss(it, torch.tensor(tgt), reduction="mean")
loss.backward()
ref["mse"] = {"input": arr(inp), "target": arr(tgt), "torchMeanLoss": loss.item(), "torchMeanGrad": arr(it.grad),
              "note": "torch divides by N*D"}

# NLL on log-probabilities, one-hot targets; torch's mean over the batch matches SPEC's /N.
logp = torch.log_softmax(torch.tensor(normal(6, 4)), dim=1).numpy()
labels = rng.integers(0, 4, size=6)
it = leaf(logp)
loss = F.nll_loss(it, torch.tensor(labels), reduction="mean")
loss.backward()
ref["class_nll"] = {"input": arr(logp), "target": arr(np.eye(4)[labels]), "loss": loss.item(), "gradInput": arr(it.grad)}

# ---------------------------------------------------------------- optimizers on a quadratic
# f(x) = 0.5 x^T A x + c^T x per variable; gradient A x + c. Two "modules", three variables.
def quad_problem():
    shapes = [[(3,), (2, 2)], [(4,)]]
    problem = []
    for group in shapes:
        g = []
        for shape in group:
            n = int(np.prod(shape))
            q = normal(n, n)
            g.append({"shape": list(shape), "x0": arr(normal(*shape)), "A": arr(q @ q.T / n + np.eye(n)),
                      "c": arr(normal(n))})
        problem.append(g)
    return problem


def quad_grad(p, x):
    return (torch.tensor(p["A"]) @ x.reshape(-1) + torch.tensor(p["c"])).reshape(x.shape)


def run_torch(problem, make_opt, steps):
    xs = [[torch.tensor(p["x0"], requires_grad=True) for p in group] for group in problem]
    opt = make_opt([x for group in xs for x in group])
    traj = []
    for _ in range(steps):
        for group, pgroup in zip(xs, problem):
            for x, p in zip(group, pgroup):
                x.grad = quad_grad(p, x.detach())
        opt.step()
        traj.append([[arr(x) for x in group] for group in xs])
    return traj


steps = 6
# SGD: torch keeps lr OUTSIDE the velocity (v = mu v + g; x -= lr v); SPEC inside (v = mu v + lr g;
# x -= v). With a constant lr the velocities differ by the factor lr and the trajectories are equal.
problem = quad_problem()
lr, mu = 0.1, 0.9
ref["sgd_momentum"] = {"problem": problem, "learningRate": lr, "momentum": mu,
                       "trajectory": run_torch(problem, lambda ps: torch.optim.SGD(ps, lr=lr, momentum=mu), steps)}

# Adam: SPEC puts epsilon outside the bias correction (x -= lr_t m / (sqrt(v) + eps)), torch inside
# (x -= lr/(1-b1^t) m / (sqrt(v)/sqrt(1-b2^t) + eps)). Reference = SPEC formula in numpy with eps=1e-8;
# cross-check = torch with a tiny eps, where both formulas agree.
problem = quad_problem()
cfg = {"learningRate": 0.05, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}


def run_spec_adam(problem, c, steps):
    xs = [[np.array(p["x0"], dtype=np.float64) for p in group] for group in problem]
    m = [[np.zeros_like(x) for x in group] for group in xs]
    v = [[np.zeros_like(x) for x in group] for group in xs]
    traj = []
    for t in range(1, steps + 1):
        lr_t = c["learningRate"] * math.sqrt(1 - c["beta2"] ** t) / (1 - c["beta1"] ** t)
        for i, (group, pgroup) in enumerate(zip(xs, problem)):
            for j, (x, p) in enumerate(zip(group, pgroup)):
                g = (np.array(p["A"]) @ x.reshape(-1) + np.array(p["c"])).reshape(x.shape)
                m[i][j] = c["beta1"] * m[i][j] + (1 - c["beta1"]) * g
                v[i][j] = c["beta2"] * v[i][j] + (1 - c["beta2"]) * g * g
                x -= lr_t * m[i][j] / (np.sqrt(v[i][j]) + c["epsilon"])
        traj.append([[arr(x) for x in group] for group in xs])
    return traj


tiny = dict(cfg, epsilon=1e-300)
torch_traj = run_torch(problem, lambda ps: torch.optim.Adam(ps, lr=cfg["learningRate"], betas=(cfg["beta1"], cfg["beta2"]),
                                                              eps=tiny["epsilon"]), steps)
spec_tiny = run_spec_adam(problem, tiny, steps)
for a, b in zip(np.concatenate([np.ravel(x) for s in torch_traj for g in s for x in g]),
                np.concatenate([np.ravel(x) for s in spec_tiny for g in s for x in g])):
    assert abs(a - b) <= 1e-12 * max(1.0, abs(a)), (a, b)
ref["adam"] = {"problem": problem, "config": cfg, "trajectory": run_spec_adam(problem, cfg, steps),
               "torchTinyEpsilon": tiny["epsilon"], "torchTrajectory": torch_traj}

# ---------------------------------------------------------------- Conv2d ("same" padding k//2)
cases = []
for n, c_in, c_out, k, h, w in [(2, 1, 2, 3, 5, 5), (2, 3, 4, 5, 6, 7), (3, 2, 3, 1, 4, 3), (1, 2, 2, 3, 3, 4)]:
    conv = torch.nn.Conv2d(c_in, c_out, k, padding=k // 2)
    W, b = normal(c_out, c_in, k, k), normal(c_out)
    with torch.no_grad():
        conv.weight.copy_(torch.tensor(W))
        conv.bias.copy_(torch.tensor(b))
    case = module_case(conv, normal(n, c_in, h, w), W=arr(W), b=arr(b), kernelSize=k)
    case.update(gradW=arr(conv.weight.grad), gradb=arr(conv.bias.grad))
    cases.append(case)
ref["conv2d"] = cases

# ---------------------------------------------------------------- MaxPool2d (stride = kernel)
# Torch's CPU kernel routes the gradient to the first maximum of each window in row-major
# order (strict '>' while scanning), as SPEC asks; the last case has many ties.
cases = []
for k, x in [(2, normal(2, 3, 4, 6)), (3, normal(1, 2, 6, 9)), (2, rng.integers(0, 3, size=(2, 2, 4, 4)).astype(np.float64))]:
    case = module_case(torch.nn.MaxPool2d(k), x, kernelSize=k)
    cases.append(case)
ref["max_pool2d"] = cases

# ---------------------------------------------------------------- Flatten
ref["flatten"] = module_case(lambda t: torch.flatten(t, 1), normal(2, 3, 4, 5))

out = pathlib.Path(__file__).with_name("torch_reference.json")
out.write_text(json.dumps(ref, separators=(",", ":")) + "\n")
# The repo's `deno fmt --check` covers JSON files: format it the way deno does.
if shutil.which("deno"):
    subprocess.run(["deno", "fmt", "--quiet", str(out)], check=True)
else:
    print("deno not found: run `deno fmt testing/torch_reference.json` before committing")
print(f"wrote {out} ({out.stat().st_size} bytes), torch {torch.__version__}")
