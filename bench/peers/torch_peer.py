"""PyTorch (CPU) peer: nn.Linear layers, BCEWithLogitsLoss / CrossEntropyLoss (the fused losses
SymmetryLab uses), torch.optim.SGD / Adam, float32, torch.set_num_threads(threads)."""
import numpy as np
import torch
from threadpoolctl import threadpool_limits
from torch import nn

from common import (PARAMS_W3, PARAMS_W4, XOR_X, XOR_Y, Clock, args, best_seconds, blas_report, data, emit, gemm_gflops, glorot)


def mlp(sizes, hidden):
    layers = []
    act = {"sigmoid": nn.Sigmoid, "relu": nn.ReLU, "tanh": nn.Tanh}[hidden]
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(nn.Linear(a, b))
        if i < len(sizes) - 2:
            layers.append(act())
    net = nn.Sequential(*layers)
    rng = np.random.default_rng(1)
    with torch.no_grad():
        for m in net:
            if isinstance(m, nn.Linear):
                m.weight.copy_(torch.from_numpy(glorot(rng, m.out_features, m.in_features)))
                m.bias.zero_()
    return net


def train(net, x, t, loss_fn, optimizer, lr, batch, epochs):
    opt = torch.optim.Adam(net.parameters(), lr=lr) if optimizer == "adam" else torch.optim.SGD(net.parameters(), lr=lr)
    rows = x.shape[0]
    gen = torch.Generator().manual_seed(5)
    for _ in range(epochs):
        order = torch.randperm(rows, generator=gen) if batch < rows else None
        for s in range(0, rows, batch):
            if order is None:
                xb, tb = x, t
            else:
                idx = order[s:s + batch]
                xb, tb = x[idx], t[idx]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(net(xb), tb)
            loss.backward()
            opt.step()


def timed(sizes, hidden, x, t, loss_fn, optimizer, lr, batch, epochs, repeats):
    x, t = torch.from_numpy(x), torch.from_numpy(t)

    def run():
        net = mlp(sizes, hidden)
        with Clock() as c:
            train(net, x, t, loss_fn, optimizer, lr, batch, epochs)
        return c.seconds
    return best_seconds(run, repeats)


def w5_batched(seeds, steps):
    """All seeds at once: parameters stacked as (S, out, in), batched matmul, one SGD over the sum
    of the per-seed losses (each seed's gradient stays its own)."""
    rng = np.random.default_rng(1)
    W1 = torch.tensor(np.stack([glorot(rng, 2, 2) for _ in range(seeds)]), requires_grad=True)
    W2 = torch.tensor(np.stack([glorot(rng, 1, 2) for _ in range(seeds)]), requires_grad=True)
    b1 = torch.zeros(seeds, 1, 2, requires_grad=True)
    b2 = torch.zeros(seeds, 1, 1, requires_grad=True)
    x = torch.from_numpy(XOR_X).expand(seeds, 4, 2)
    y = torch.from_numpy(XOR_Y).reshape(1, 4, 1).expand(seeds, 4, 1)
    opt = torch.optim.SGD([W1, b1, W2, b2], lr=0.5)
    loss_fn = nn.BCEWithLogitsLoss(reduction="sum")
    with Clock() as c:
        for _ in range(steps):
            opt.zero_grad(set_to_none=True)
            a1 = torch.tanh(torch.baddbmm(b1, x, W1.transpose(1, 2)))
            z2 = torch.baddbmm(b2, a1, W2.transpose(1, 2))
            (loss_fn(z2, y) / 4).backward()
            opt.step()
    return c.seconds


def w5_loop(seeds, steps):
    x, t = torch.from_numpy(XOR_X), torch.from_numpy(XOR_Y).reshape(4, 1)
    with Clock() as c:
        for s in range(seeds):
            torch.manual_seed(s + 1)
            net = mlp([2, 2, 1], "tanh")
            train(net, x, t, nn.BCEWithLogitsLoss(), "sgd", 0.5, 4, steps)
    return c.seconds


def main():
    a = args()
    # torch.set_num_threads sets ATen's threads; OpenBLAS keeps its own pool, limited here as well.
    with threadpool_limits(a.threads):
        run(a)


def run(a):
    torch.set_num_threads(a.threads)
    blas = blas_report() + f"; torch {torch.__version__}, {torch.get_num_threads()} threads"
    emit_ = lambda *r, **k: emit("pytorch", *r, blas=blas, **k)
    if "W1" in a.workloads:
        x, y = data(200, 2, 2)
        s = timed([2, 3, 1], "sigmoid", x, y.reshape(-1, 1).astype(np.float32), nn.BCEWithLogitsLoss(), "sgd", 0.1, 200, 10_000, a.repeats)
        emit_("W1", a.threads, 10_000 / s, "steps/s")
    if "W2" in a.workloads:
        x, y = data(1000, 400, 2)
        s = timed([400, 25, 15, 1], "sigmoid", x, y.reshape(-1, 1).astype(np.float32), nn.BCEWithLogitsLoss(), "adam", 0.001, 32, 20, a.repeats)
        emit_("W2", a.threads, 20_000 / s, "samples/s")
    if "W3" in a.workloads:
        rows = 6000 if a.quick else 60_000
        x, y = data(rows, 784, 10)
        s = timed([784, 256, 128, 10], "relu", x, y.astype(np.int64), nn.CrossEntropyLoss(), "adam", 0.001, 128, 1, a.repeats)
        emit_("W3", a.threads, rows / s, "samples/s", gflops=6 * PARAMS_W3 * rows / s / 1e9)
    if "W4" in a.workloads:
        rows = 2048 if a.quick else 8192
        x, y = data(rows, 1024, 10)
        s = timed([1024, 1024, 1024, 10], "relu", x, y.astype(np.int64), nn.CrossEntropyLoss(), "sgd", 0.01, 256, 1, a.repeats)
        emit_("W4", a.threads, 6 * PARAMS_W4 * rows / s / 1e9, "GFLOP/s", gflops=6 * PARAMS_W4 * rows / s / 1e9)
    if "W5" in a.workloads:
        seeds = 100 if a.quick else 1000
        s = best_seconds(lambda: w5_batched(seeds, 2000), a.repeats)
        emit_("W5", a.threads, s, "s", variant="batched over seeds")
        loop_seeds = 10 if a.quick else 20
        s = best_seconds(lambda: w5_loop(loop_seeds, 2000), 1) * seeds / loop_seeds
        emit_("W5", a.threads, s, "s", variant=f"seed by seed (extrapolated from {loop_seeds} seeds)")
    if "sgemm" in a.workloads:
        for n in (256, 512, 1024, 2048):
            A, B = torch.randn(n, n), torch.randn(n, n)
            C = torch.empty(n, n)
            emit_(f"sgemm{n}", a.threads, gemm_gflops(n, lambda: torch.mm(A, B, out=C)), "GFLOP/s")


if __name__ == "__main__":
    main()
