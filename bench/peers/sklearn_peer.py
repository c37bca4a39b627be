"""scikit-learn peer: MLPClassifier where it fits (it has no sigmoid-output/softmax choice of its
own: binary targets get a logistic output with log-loss = bce, ten classes a softmax with
cross-entropy, which is our arithmetic). alpha=0 (no L2), no early stopping, float32 inputs
(scikit-learn >= 1.1 keeps float32). Iteration = epoch; the convergence check is disabled so every
epoch runs. W5 is run seed by seed on a sample of seeds and extrapolated (it has no batched form)."""
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier
from threadpoolctl import threadpool_limits

from common import PARAMS_W3, PARAMS_W4, XOR_X, XOR_Y, Clock, args, best_seconds, blas_report, data, emit

warnings.filterwarnings("ignore", category=ConvergenceWarning)


def timed(x, y, hidden, activation, solver, lr, batch, epochs, repeats):
    def run():
        clf = MLPClassifier(hidden_layer_sizes=hidden, activation=activation, solver=solver, alpha=0.0,
                            batch_size=batch, learning_rate_init=lr, max_iter=epochs, shuffle=True,
                            momentum=0.0, nesterovs_momentum=False, tol=0.0, n_iter_no_change=10 ** 9,
                            random_state=1)
        with Clock() as c:
            clf.fit(x, y)
        return c.seconds
    return best_seconds(run, repeats)


def main():
    a = args()
    with threadpool_limits(a.threads):
        blas = blas_report()
        emit_ = lambda *r, **k: emit("sklearn", *r, blas=blas, **k)
        if "W1" in a.workloads:
            x, y = data(200, 2, 2)
            steps = 1000 if a.quick else 2000
            s = timed(x, y, (3,), "logistic", "sgd", 0.1, 200, steps, a.repeats)
            emit_("W1", a.threads, steps / s, "steps/s", note=f"{steps} steps")
        if "W2" in a.workloads:
            x, y = data(1000, 400, 2)
            s = timed(x, y, (25, 15), "logistic", "adam", 0.001, 32, 20, a.repeats)
            emit_("W2", a.threads, 20_000 / s, "samples/s")
        if "W3" in a.workloads:
            rows = 6000 if a.quick else 60_000
            x, y = data(rows, 784, 10)
            s = timed(x, y, (256, 128), "relu", "adam", 0.001, 128, 1, a.repeats)
            emit_("W3", a.threads, rows / s, "samples/s", gflops=6 * PARAMS_W3 * rows / s / 1e9)
        if "W4" in a.workloads:
            rows = 2048 if a.quick else 8192
            x, y = data(rows, 1024, 10)
            s = timed(x, y, (1024, 1024), "relu", "sgd", 0.01, 256, 1, a.repeats)
            emit_("W4", a.threads, 6 * PARAMS_W4 * rows / s / 1e9, "GFLOP/s", gflops=6 * PARAMS_W4 * rows / s / 1e9)
        if "W5" in a.workloads:
            seeds, sample = (100, 5) if a.quick else (1000, 10)
            y = XOR_Y.astype(int)

            def loop():
                with Clock() as c:
                    for s in range(sample):
                        MLPClassifier(hidden_layer_sizes=(2,), activation="tanh", solver="sgd", alpha=0.0, batch_size=4,
                                      learning_rate_init=0.5, max_iter=2000, momentum=0.0, nesterovs_momentum=False,
                                      tol=0.0, n_iter_no_change=10 ** 9, random_state=s + 1).fit(XOR_X, y)
                return c.seconds
            emit_("W5", a.threads, best_seconds(loop, 1) * seeds / sample, "s", variant=f"seed by seed (extrapolated from {sample} seeds)")


if __name__ == "__main__":
    main()
