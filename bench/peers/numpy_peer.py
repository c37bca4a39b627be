"""NumPy peer: the network written the way the course teaches, vectorized forward and backward,
   Z = A_prev @ W.T + b, A = g(Z); dZ = (A - Y) / m at the output; dW = dZ.T @ A_prev; db = dZ.sum(0);
   dA_prev = dZ @ W; Adam/gd by hand. float32 throughout; BLAS threads limited with threadpoolctl."""
import numpy as np
from threadpoolctl import threadpool_limits

from common import (PARAMS_W3, PARAMS_W4, XOR_X, XOR_Y, Clock, args, best_seconds, blas_report, data, emit, gemm_gflops, glorot, one_hot)

F = np.float32


def sigmoid(z):
    return F(1) / (F(1) + np.exp(-z))


def relu(z):
    return np.maximum(z, F(0))


class Net:
    def __init__(self, sizes, hidden, output, seed=1):
        rng = np.random.default_rng(seed)
        self.W = [glorot(rng, o, i) for i, o in zip(sizes[:-1], sizes[1:])]
        self.b = [np.zeros(o, dtype=F) for o in sizes[1:]]
        self.hidden, self.output = hidden, output

    def step_grads(self, x, t):
        """Forward and backward on one batch; returns (dW, db) lists."""
        A = [x]
        Zs = []
        L = len(self.W)
        for l in range(L):
            z = A[-1] @ self.W[l].T + self.b[l]
            Zs.append(z)
            if l < L - 1:
                A.append(self.act(z))
            elif self.output == "sigmoid":
                A.append(sigmoid(z))
            else:
                e = np.exp(z - z.max(axis=1, keepdims=True))
                A.append(e / e.sum(axis=1, keepdims=True))
        m = x.shape[0]
        dz = (A[-1] - t) / F(m * (t.shape[1] if self.output == "sigmoid" else 1))
        dW, db = [None] * L, [None] * L
        for l in range(L - 1, -1, -1):
            dW[l] = dz.T @ A[l]
            db[l] = dz.sum(axis=0)
            if l > 0:
                da = dz @ self.W[l]
                dz = da * self.dact(Zs[l - 1], A[l])
        return dW, db

    def act(self, z):
        return {"sigmoid": sigmoid, "relu": relu, "tanh": np.tanh}[self.hidden](z)

    def dact(self, z, a):
        if self.hidden == "sigmoid":
            return a * (F(1) - a)
        if self.hidden == "tanh":
            return F(1) - a * a
        return (z > 0).astype(F)


def train(net, x, t, optimizer, lr, batch, epochs, seed=5):
    rng = np.random.default_rng(seed)
    params = net.W + net.b
    if optimizer == "adam":
        mom = [np.zeros_like(p) for p in params]
        vel = [np.zeros_like(p) for p in params]
        b1, b2, eps, step = F(0.9), F(0.999), F(1e-8), 0
    rows = x.shape[0]
    for _ in range(epochs):
        order = rng.permutation(rows) if batch < rows else None
        for s in range(0, rows, batch):
            if order is None:
                xb, tb = x, t
            else:
                idx = order[s:s + batch]
                xb, tb = x[idx], t[idx]
            dW, db = net.step_grads(xb, tb)
            grads = dW + db
            if optimizer == "adam":
                step += 1
                c1, c2 = 1 - 0.9 ** step, 1 - 0.999 ** step
                for p, g, m_, v_ in zip(params, grads, mom, vel):
                    m_ *= b1; m_ += (1 - b1) * g
                    v_ *= b2; v_ += (1 - b2) * g * g
                    p -= F(lr / c1) * m_ / (np.sqrt(v_) / F(np.sqrt(c2)) + eps)
            else:
                for p, g in zip(params, grads):
                    p -= F(lr) * g


def timed(sizes, hidden, output, x, t, optimizer, lr, batch, epochs, repeats):
    def run():
        net = Net(sizes, hidden, output)
        with Clock() as c:
            train(net, x, t, optimizer, lr, batch, epochs)
        return c.seconds
    return best_seconds(run, repeats)


def w5_batched(seeds, steps):
    """All seeds at once: weights stacked as (S, out, in), products as batched matmul."""
    rng = np.random.default_rng(1)
    W1 = np.stack([glorot(rng, 2, 2) for _ in range(seeds)])
    W2 = np.stack([glorot(rng, 1, 2) for _ in range(seeds)])
    b1 = np.zeros((seeds, 1, 2), F)
    b2 = np.zeros((seeds, 1, 1), F)
    x = np.broadcast_to(XOR_X, (seeds, 4, 2))
    y = XOR_Y.reshape(1, 4, 1)
    lr = F(0.5)
    with Clock() as c:
        for _ in range(steps):
            z1 = x @ W1.transpose(0, 2, 1) + b1
            a1 = np.tanh(z1)
            a2 = sigmoid(a1 @ W2.transpose(0, 2, 1) + b2)
            dz2 = (a2 - y) / F(4)
            dW2 = dz2.transpose(0, 2, 1) @ a1
            db2 = dz2.sum(axis=1, keepdims=True)
            dz1 = (dz2 @ W2) * (F(1) - a1 * a1)
            dW1 = dz1.transpose(0, 2, 1) @ x
            db1 = dz1.sum(axis=1, keepdims=True)
            W1 -= lr * dW1; b1 -= lr * db1; W2 -= lr * dW2; b2 -= lr * db2
    return c.seconds


def w5_loop(seeds, steps):
    t = XOR_Y.reshape(4, 1)
    with Clock() as c:
        for s in range(seeds):
            net = Net([2, 2, 1], "tanh", "sigmoid", seed=s + 1)
            train(net, XOR_X, t, "gd", 0.5, 4, steps)
    return c.seconds


def main():
    a = args()
    with threadpool_limits(a.threads):
        blas = blas_report()
        emit_ = lambda *r, **k: emit("numpy", *r, blas=blas, **k)
        if "W1" in a.workloads:
            x, y = data(200, 2, 2)
            s = timed([2, 3, 1], "sigmoid", "sigmoid", x, y.reshape(-1, 1).astype(F), "gd", 0.1, 200, 10_000, a.repeats)
            emit_("W1", a.threads, 10_000 / s, "steps/s")
        if "W2" in a.workloads:
            x, y = data(1000, 400, 2)
            s = timed([400, 25, 15, 1], "sigmoid", "sigmoid", x, y.reshape(-1, 1).astype(F), "adam", 0.001, 32, 20, a.repeats)
            emit_("W2", a.threads, 20_000 / s, "samples/s")
        if "W3" in a.workloads:
            rows = 6000 if a.quick else 60_000
            x, y = data(rows, 784, 10)
            s = timed([784, 256, 128, 10], "relu", "softmax", x, one_hot(y, 10), "adam", 0.001, 128, 1, a.repeats)
            emit_("W3", a.threads, rows / s, "samples/s", gflops=6 * PARAMS_W3 * rows / s / 1e9)
        if "W4" in a.workloads:
            rows = 2048 if a.quick else 8192
            x, y = data(rows, 1024, 10)
            s = timed([1024, 1024, 1024, 10], "relu", "softmax", x, one_hot(y, 10), "sgd", 0.01, 256, 1, a.repeats)
            emit_("W4", a.threads, 6 * PARAMS_W4 * rows / s / 1e9, "GFLOP/s", gflops=6 * PARAMS_W4 * rows / s / 1e9)
        if "W5" in a.workloads:
            seeds = 100 if a.quick else 1000
            s = best_seconds(lambda: w5_batched(seeds, 2000), a.repeats)
            emit_("W5", a.threads, s, "s", variant="batched over seeds")
            loop_seeds = 20 if a.quick else 50
            s = best_seconds(lambda: w5_loop(loop_seeds, 2000), 1) * seeds / loop_seeds
            emit_("W5", a.threads, s, "s", variant=f"seed by seed (extrapolated from {loop_seeds} seeds)")
        if "sgemm" in a.workloads:
            rng = np.random.default_rng(1)
            for n in (256, 512, 1024, 2048):
                A = rng.standard_normal((n, n), dtype=F)
                B = rng.standard_normal((n, n), dtype=F)
                C = np.empty((n, n), F)
                emit_(f"sgemm{n}", a.threads, gemm_gflops(n, lambda: np.matmul(A, B, out=C)), "GFLOP/s")


if __name__ == "__main__":
    main()
