"""The seed course's numpy training loop on MNIST, timed per epoch: the baseline of bench/train_bench.ts.

Modules in the seed's style (updateOutput / updateGradInput / accGradParameters, Sequential,
sgd_momentum) and the seed's loop: zero gradients, forward, criterion, backward, optimizer step.
Three models, as in the capstone issue:

- mlp:         Linear 784->100, ReLU, Linear 100->10, LogSoftMax
- cnn_im2col:  Conv 1->8 3x3, ReLU, MaxPool 2, Conv 8->16 3x3, ReLU, MaxPool 2, Flatten,
               Linear 784->10, LogSoftMax; Conv2d by im2col and one matmul
- cnn_loops:   the same CNN with the seed's Conv2d: scipy.signal.correlate2d loops over the
               batch and the channels (numpy-only loops when scipy is missing: see "conv_loops")

all with ClassNLLCriterion, SGD with momentum, batch 32.

Protocol: stdin holds one JSON line {"n": N, "batch": 32, "runs": [{"model": ..., "samples": S,
"epochs": E}, ...], "seed": 0, "warmup_epochs": 1} followed by N*784 float64 pixels and N uint8
digits (the train split of data/mnist.ts, so both sides see the same data). Each run trains
untimed warm-up passes, then E timed passes, over the first S samples (S < N: a timed part of an
epoch, scaled to N samples). Writes JSON to stdout: numpy's
version, BLAS details, and per run the seconds of each pass, the seconds per N-sample epoch (the
median pass, scaled), the minor page faults per training step of each pass (getrusage) and the mean
training loss. Run it single-threaded: train_bench.ts sets OPENBLAS_NUM_THREADS=1 and unsets
OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE for this process only.
"""

import json
import resource
import statistics
import sys
import time

import numpy as np

try:
    from scipy.signal import convolve2d, correlate2d

    HAVE_SCIPY = True
except ImportError:  # scipy missing: the loops fall back to numpy-only 2-D correlation
    HAVE_SCIPY = False


# ---------------------------------------------------------------- modules (the seed's API)


class Module:
    def __init__(self):
        self.output = None
        self.gradInput = None
        self.training = True

    def forward(self, input):
        return self.updateOutput(input)

    def backward(self, input, gradOutput):
        self.updateGradInput(input, gradOutput)
        self.accGradParameters(input, gradOutput)
        return self.gradInput

    def accGradParameters(self, input, gradOutput):
        pass

    def zeroGradParameters(self):
        for g in self.getGradParameters():
            g.fill(0)

    def getParameters(self):
        return []

    def getGradParameters(self):
        return []


class Sequential(Module):
    def __init__(self, *modules):
        super().__init__()
        self.modules = list(modules)

    def updateOutput(self, input):
        self.inputs = [input]
        for module in self.modules:
            self.inputs.append(module.forward(self.inputs[-1]))
        self.output = self.inputs[-1]
        return self.output

    def backward(self, input, gradOutput):
        for i in range(len(self.modules) - 1, -1, -1):
            gradOutput = self.modules[i].backward(self.inputs[i], gradOutput)
        self.gradInput = gradOutput
        return self.gradInput

    def zeroGradParameters(self):
        for module in self.modules:
            module.zeroGradParameters()

    def getParameters(self):
        return [module.getParameters() for module in self.modules]

    def getGradParameters(self):
        return [module.getGradParameters() for module in self.modules]


class Linear(Module):
    def __init__(self, n_in, n_out, rng):
        super().__init__()
        stdv = 1.0 / np.sqrt(n_in)
        self.W = rng.uniform(-stdv, stdv, size=(n_out, n_in))
        self.b = rng.uniform(-stdv, stdv, size=n_out)
        self.gradW = np.zeros_like(self.W)
        self.gradb = np.zeros_like(self.b)

    def updateOutput(self, input):
        self.output = input @ self.W.T + self.b
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput = gradOutput @ self.W
        return self.gradInput

    def accGradParameters(self, input, gradOutput):
        self.gradW += gradOutput.T @ input
        self.gradb += gradOutput.sum(axis=0)

    def getParameters(self):
        return [self.W, self.b]

    def getGradParameters(self):
        return [self.gradW, self.gradb]


class ReLU(Module):
    def updateOutput(self, input):
        self.output = np.maximum(input, 0)
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput = np.multiply(gradOutput, input > 0)
        return self.gradInput


class LogSoftMax(Module):
    def updateOutput(self, input):
        shifted = input - input.max(axis=1, keepdims=True)
        self.output = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        return self.output

    def updateGradInput(self, input, gradOutput):
        softmax = np.exp(self.output)
        self.gradInput = gradOutput - softmax * gradOutput.sum(axis=1, keepdims=True)
        return self.gradInput


class Flatten(Module):
    def updateOutput(self, input):
        self.output = input.reshape(len(input), -1)
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput = gradOutput.reshape(input.shape)
        return self.gradInput


class MaxPool2d(Module):
    """Stride = kernel; the gradient goes to the first maximum of each window."""

    def __init__(self, kernel_size):
        super().__init__()
        self.k = kernel_size

    def _windows(self, input):
        n, c, h, w = input.shape
        k = self.k
        return input.reshape(n, c, h // k, k, w // k, k).transpose(0, 1, 2, 4, 3, 5).reshape(
            n, c, h // k, w // k, k * k
        )

    def updateOutput(self, input):
        windows = self._windows(input)
        self.argmax = windows.argmax(axis=-1)[..., None]
        self.output = np.take_along_axis(windows, self.argmax, axis=-1)[..., 0]
        return self.output

    def updateGradInput(self, input, gradOutput):
        n, c, h, w = input.shape
        k = self.k
        grad = np.zeros((n, c, h // k, w // k, k * k))
        np.put_along_axis(grad, self.argmax, gradOutput[..., None], axis=-1)
        self.gradInput = grad.reshape(n, c, h // k, w // k, k, k).transpose(0, 1, 2, 4, 3, 5).reshape(
            n, c, h, w
        )
        return self.gradInput


class _Conv2dBase(Module):
    """Cross-correlation, stride 1, zero padding k//2; W [out, in, k, k], b [out]."""

    def __init__(self, in_channels, out_channels, kernel_size, rng):
        super().__init__()
        stdv = 1.0 / np.sqrt(in_channels)
        self.k = kernel_size
        self.W = rng.uniform(-stdv, stdv, size=(out_channels, in_channels, kernel_size, kernel_size))
        self.b = rng.uniform(-stdv, stdv, size=out_channels)
        self.gradW = np.zeros_like(self.W)
        self.gradb = np.zeros_like(self.b)

    def _pad(self, input):
        p = self.k // 2
        return np.pad(input, ((0, 0), (0, 0), (p, p), (p, p)))

    def getParameters(self):
        return [self.W, self.b]

    def getGradParameters(self):
        return [self.gradW, self.gradb]


class Conv2dIm2col(_Conv2dBase):
    """Conv2d as one matmul over im2col columns [N*H*W, C*k*k]."""

    def updateOutput(self, input):
        n, c, h, w = input.shape
        k = self.k
        padded = self._pad(input)
        cols = np.empty((n, h, w, c, k, k))
        for i in range(k):
            for j in range(k):
                cols[:, :, :, :, i, j] = padded[:, :, i : i + h, j : j + w].transpose(0, 2, 3, 1)
        self.cols = cols.reshape(n * h * w, c * k * k)
        out = self.cols @ self.W.reshape(len(self.W), -1).T + self.b
        self.output = out.reshape(n, h, w, -1).transpose(0, 3, 1, 2)
        return self.output

    def updateGradInput(self, input, gradOutput):
        n, c, h, w = input.shape
        k = self.k
        p = k // 2
        g = gradOutput.transpose(0, 2, 3, 1).reshape(n * h * w, -1)
        dcols = (g @ self.W.reshape(len(self.W), -1)).reshape(n, h, w, c, k, k)
        dpadded = np.zeros((n, c, h + 2 * p, w + 2 * p))
        for i in range(k):
            for j in range(k):
                dpadded[:, :, i : i + h, j : j + w] += dcols[:, :, :, :, i, j].transpose(0, 3, 1, 2)
        self.gradInput = dpadded[:, :, p : p + h, p : p + w]
        return self.gradInput

    def accGradParameters(self, input, gradOutput):
        g = gradOutput.transpose(0, 2, 3, 1).reshape(-1, len(self.W))
        self.gradW += (g.T @ self.cols).reshape(self.W.shape)
        self.gradb += g.sum(axis=0)


def _correlate_valid(image, kernel):
    """numpy-only stand-in for scipy's correlate2d(image, kernel, mode='valid')."""
    kh, kw = kernel.shape
    oh, ow = image.shape[0] - kh + 1, image.shape[1] - kw + 1
    out = np.zeros((oh, ow))
    for i in range(kh):
        for j in range(kw):
            out += kernel[i, j] * image[i : i + oh, j : j + ow]
    return out


def _convolve_same(image, kernel):
    """numpy-only stand-in for scipy's convolve2d(image, kernel, mode='same'), odd kernel."""
    p = kernel.shape[0] // 2
    return _correlate_valid(np.pad(image, p), kernel[::-1, ::-1])


if HAVE_SCIPY:

    def _correlate_valid(image, kernel):  # noqa: F811 (scipy's version when present)
        return correlate2d(image, kernel, mode="valid")

    def _convolve_same(image, kernel):  # noqa: F811
        return convolve2d(image, kernel, mode="same")


class Conv2dLoops(_Conv2dBase):
    """The seed's Conv2d: 2-D correlations looped over the batch and channel pairs."""

    def updateOutput(self, input):
        n, c, h, w = input.shape
        self.padded = self._pad(input)
        self.output = np.empty((n, len(self.W), h, w))
        for s in range(n):
            for o in range(len(self.W)):
                acc = np.full((h, w), self.b[o])
                for i in range(c):
                    acc += _correlate_valid(self.padded[s, i], self.W[o, i])
                self.output[s, o] = acc
        return self.output

    def updateGradInput(self, input, gradOutput):
        n, c, h, w = input.shape
        self.gradInput = np.zeros_like(input)
        for s in range(n):
            for i in range(c):
                for o in range(len(self.W)):
                    self.gradInput[s, i] += _convolve_same(gradOutput[s, o], self.W[o, i])
        return self.gradInput

    def accGradParameters(self, input, gradOutput):
        n, c = input.shape[:2]
        for o in range(len(self.W)):
            for i in range(c):
                for s in range(n):
                    self.gradW[o, i] += _correlate_valid(self.padded[s, i], gradOutput[s, o])
        self.gradb += gradOutput.sum(axis=(0, 2, 3))


class ClassNLLCriterion:
    def forward(self, input, target):
        self.output = -np.sum(target * input) / len(input)
        return self.output

    def backward(self, input, target):
        self.gradInput = -target / len(input)
        return self.gradInput


def sgd_momentum(variables, gradients, config, state):
    state.setdefault("accumulated_grads", {})
    var_index = 0
    for current_layer_vars, current_layer_grads in zip(variables, gradients):
        for current_var, current_grad in zip(current_layer_vars, current_layer_grads):
            old_grad = state["accumulated_grads"].setdefault(var_index, np.zeros_like(current_grad))
            np.add(config["momentum"] * old_grad, config["learning_rate"] * current_grad, out=old_grad)
            current_var -= old_grad
            var_index += 1


# ---------------------------------------------------------------- the loop


def build(name, rng):
    if name == "mlp":
        return Sequential(Linear(784, 100, rng), ReLU(), Linear(100, 10, rng), LogSoftMax()), False
    conv = {"cnn_im2col": Conv2dIm2col, "cnn_loops": Conv2dLoops}[name]
    model = Sequential(
        conv(1, 8, 3, rng),
        ReLU(),
        MaxPool2d(2),
        conv(8, 16, 3, rng),
        ReLU(),
        MaxPool2d(2),
        Flatten(),
        Linear(16 * 7 * 7, 10, rng),
        LogSoftMax(),
    )
    return model, True


def train_epoch(model, criterion, x, y, batch, config, state, rng):
    order = rng.permutation(len(x))
    losses = []
    for start in range(0, len(x), batch):
        idx = order[start : start + batch]
        x_batch, y_batch = x[idx], y[idx]
        model.zeroGradParameters()
        predictions = model.forward(x_batch)
        losses.append(criterion.forward(predictions, y_batch))
        dp = criterion.backward(predictions, y_batch)
        model.backward(x_batch, dp)
        sgd_momentum(model.getParameters(), model.getGradParameters(), config, state)
    return float(np.mean(losses))


def _blas():
    info = {}
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        info = {"name": blas.get("name"), "version": blas.get("version")}
    except Exception as error:  # older numpy has no mode="dicts"
        info = {"name": f"unknown ({error})"}
    try:
        from threadpoolctl import threadpool_info

        for pool in threadpool_info():
            if pool.get("internal_api") == "openblas":
                info["corename"] = pool.get("architecture")
                info["threads"] = pool.get("num_threads")
    except ImportError:
        pass
    return info


def main():
    stream = sys.stdin.buffer
    request = json.loads(stream.readline())
    n = request["n"]
    pixels = np.frombuffer(stream.read(n * 784 * 8), dtype="<f8").reshape(n, 784)
    digits = np.frombuffer(stream.read(n), dtype=np.uint8)
    onehot = np.eye(10)[digits]
    batch = request.get("batch", 32)
    config = {"learning_rate": request.get("learning_rate", 0.01), "momentum": request.get("momentum", 0.9)}
    results = []
    for run in request["runs"]:
        rng = np.random.RandomState(request.get("seed", 0))
        model, image = build(run["model"], rng)
        samples = run.get("samples", n)
        x = pixels[:samples].reshape(samples, 1, 28, 28) if image else pixels[:samples]
        y = onehot[:samples]
        state = {}
        times, losses, faults = [], [], []
        steps = -(-samples // batch)
        # Warm up with untimed passes, as our side does: the first pass grows the heap to its
        # working set (page faults that later passes do not take) and fills the caches.
        for _ in range(request.get("warmup_epochs", 1)):
            train_epoch(model, ClassNLLCriterion(), x, y, batch, config, state, rng)
        for _ in range(run.get("epochs", 1)):
            faults_before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
            start = time.perf_counter()
            losses.append(train_epoch(model, ClassNLLCriterion(), x, y, batch, config, state, rng))
            times.append(time.perf_counter() - start)
            faults.append((resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults_before) / steps)
        middle = statistics.median(times)
        results.append(
            {
                "model": run["model"],
                "samples": samples,
                "seconds": times,
                "seconds_per_epoch": middle * n / samples,
                "faults_per_step": faults,
                "loss": losses,
            }
        )
    json.dump(
        {"numpy": np.__version__, "scipy": HAVE_SCIPY, "blas": _blas(), "n": n, "results": results},
        sys.stdout,
    )


if __name__ == "__main__":
    main()
