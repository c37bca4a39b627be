#!/usr/bin/python3
"""Writes the ONNX test fixtures of SymmetryLab's import and audit tests (README.md beside this file).

Run with Debian's python3-torch and python3-onnx, offline:
    /usr/bin/python3 tests/SymmetryLab.Tests/Interop/Fixtures/make_fixtures.py
Every file is made from fixed seeds; NAME.expected.json records the versions and the framework's own
outputs (PyTorch's forward pass; numpy's for the hand-built graph) on fixed inputs.
"""
import json, os, platform, sys

import numpy as np
import onnx
import torch
from onnx import helper, numpy_helper, TensorProto

HERE = os.path.dirname(os.path.abspath(__file__))
torch.set_num_threads(1)
VERSIONS = {"python": platform.python_version(), "torch": torch.__version__, "onnx": onnx.__version__, "numpy": np.__version__}


def save_expected(name, inputs, outputs, framework, extra=None):
    record = {"fixture": name + ".onnx", "framework": framework, "versions": VERSIONS,
              "inputs": [[float(v) for v in row] for row in inputs.reshape(len(inputs), -1)],
              "outputs": [[float(v) for v in row] for row in outputs.reshape(len(outputs), -1)]}
    if extra:
        record.update(extra)
    with open(os.path.join(HERE, name + ".expected.json"), "w") as f:
        json.dump(record, f, indent=1)
        f.write("\n")


def export(model, example, name, opset=13):
    path = os.path.join(HERE, name + ".onnx")
    torch.onnx.export(model, (example,), path, input_names=["x"], output_names=["y"],
                      dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}}, opset_version=opset)
    onnx.checker.check_model(onnx.load(path))
    return path


def torch_outputs(model, x):
    with torch.no_grad():
        return model(x).numpy()


# ---------------------------------------------------------------------------------------------
# planted: a trained tanh-relu-sigmoid classifier with units planted after training:
#   layer 1 (tanh): unit 5 a copy of unit 2 (same incoming weights and bias; outgoing left as trained),
#                   unit 6 the mirror of unit 3 (incoming weights and bias negated)
#   layer 2 (relu): unit 4 dead (bias -10, incoming weights scaled into [-1, 1]: z <= -10 + 6 < 0
#                   for any input, since tanh outputs lie in [-1, 1])
# The data (planted.csv) is what it was trained on; its mean and std are the Sub/Div at the input.

class Planted(torch.nn.Module):
    def __init__(self, mean, std):
        super().__init__()
        self.register_buffer("mean", torch.tensor(mean))
        self.register_buffer("std", torch.tensor(std))
        self.hidden1 = torch.nn.Linear(3, 6)
        self.hidden2 = torch.nn.Linear(6, 5)
        self.out = torch.nn.Linear(5, 1)

    def forward(self, x):
        x = (x - self.mean) / self.std
        x = torch.tanh(self.hidden1(x))
        x = torch.relu(self.hidden2(x))
        return torch.sigmoid(self.out(x))


def planted_data():
    rng = np.random.default_rng(14)
    x = rng.normal([10.0, -3.0, 0.5], [4.0, 2.0, 0.25], size=(300, 3)).astype(np.float32)
    z = (x[:, 0] - 10) / 4 * ((x[:, 1] + 3) / 2) - 0.5 * ((x[:, 2] - 0.5) / 0.25) ** 2 + 0.3
    y = (z > 0).astype(np.float32)
    return x, y


def make_planted():
    x, y = planted_data()
    with open(os.path.join(HERE, "planted.csv"), "w") as f:
        f.write("x1,x2,x3,y\n")
        for row, t in zip(x, y):
            f.write(",".join(repr(float(v)) for v in row) + f",{int(t)}\n")
    torch.manual_seed(14)
    model = Planted(x.mean(axis=0), x.std(axis=0))
    xt, yt = torch.tensor(x), torch.tensor(y).unsqueeze(1)
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(300):
        opt.zero_grad()
        loss = torch.nn.functional.binary_cross_entropy(model(xt), yt)
        loss.backward()
        opt.step()
    with torch.no_grad():
        w1, b1 = model.hidden1.weight, model.hidden1.bias
        w1[4], b1[4] = w1[1].clone(), b1[1].clone()          # unit 5 := unit 2
        w1[5], b1[5] = -w1[2].clone(), -b1[2].clone()        # unit 6 := -unit 3
        w2, b2 = model.hidden2.weight, model.hidden2.bias
        w2[3] = w2[3] / w2[3].abs().max()                     # |w| <= 1
        b2[3] = -10.0                                         # unit 4 never active
        # What the audit must find, and nothing else: check the training did not plant more.
        h1 = torch.tanh(model.hidden1((xt - model.mean) / model.std))
        h2 = torch.relu(model.hidden2(h1))
        active = (h2 > 0).any(dim=0).tolist()
        assert active == [True, True, True, False, True], active
        rows = torch.cat([w1, b1.unsqueeze(1)], dim=1)
        for a in range(6):
            for b in range(a + 1, 6):
                same = bool((rows[a] == rows[b]).all())
                mirror = bool((rows[a] == -rows[b]).all())
                assert same == ((a, b) == (1, 4)) and mirror == ((a, b) == (2, 5)), (a, b)
    loss = float(torch.nn.functional.binary_cross_entropy(model(xt), yt))
    acc = float(((model(xt) > 0.5).float() == yt).float().mean())
    planted = {"planted": {"layer1": {"identical": [[2, 5]], "mirrors": [[3, 6]]}, "layer2": {"dead": [4]}},
               "training": {"data": "planted.csv", "optimizer": "Adam lr 0.01, full batch", "steps": 300,
                            "loss after planting": loss, "accuracy after planting": acc}}
    probe = torch.tensor(x[:16])
    model.eval()
    export(model, probe, "planted")
    save_expected("planted", probe.numpy(), torch_outputs(model, probe), "pytorch", planted)
    model.double()  # the same network in float64 (every float32 weight is exact in float64)
    export(model, probe.double(), "planted64")
    save_expected("planted64", probe.double().numpy(), torch_outputs(model, probe.double()), "pytorch", planted)


# ---------------------------------------------------------------------------------------------
# gemm_transb0: x @ W + b written as torch.addmm, which exports Gemm with transB 0 (W stored inputs x units);
# relu, then a softmax head over 3 classes.

class AddmmNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.w1 = torch.nn.Parameter(torch.randn(4, 7) * 0.6)
        self.b1 = torch.nn.Parameter(torch.randn(7) * 0.1)
        self.w2 = torch.nn.Parameter(torch.randn(7, 3) * 0.6)
        self.b2 = torch.nn.Parameter(torch.randn(3) * 0.1)

    def forward(self, x):
        x = torch.relu(torch.addmm(self.b1, x, self.w1))
        return torch.softmax(torch.addmm(self.b2, x, self.w2), dim=1)


# matmul_add: x.matmul(W) + b (MatMul then Add, as tf2onnx writes Dense layers), leaky relu 0.01, and a
# linear head of 2 outputs (a regression).

class MatMulNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.w1 = torch.nn.Parameter(torch.randn(5, 6) * 0.5)
        self.b1 = torch.nn.Parameter(torch.randn(6) * 0.1)
        self.w2 = torch.nn.Parameter(torch.randn(6, 2) * 0.5)
        self.b2 = torch.nn.Parameter(torch.randn(2) * 0.1)

    def forward(self, x):
        x = torch.nn.functional.leaky_relu(x.matmul(self.w1) + self.b1, 0.01)
        return x.matmul(self.w2) + self.b2


# flatten: images [batch, 1, 4, 4] normalized by one mean and std (as torchvision's Normalize for MNIST),
# then nn.Flatten (ONNX Flatten), Linear + sigmoid, Linear + sigmoid.

class FlattenNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.net = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(16, 5), torch.nn.Sigmoid(), torch.nn.Linear(5, 1), torch.nn.Sigmoid())

    def forward(self, x):
        return self.net((x - 0.1307) / 0.3081)


# reshape: samples [batch, 2, 3] reshaped to [-1, 6] (ONNX Reshape with a constant shape), tanh, softmax.

class ReshapeNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = torch.nn.Linear(6, 4)
        self.out = torch.nn.Linear(4, 3)

    def forward(self, x):
        return torch.softmax(self.out(torch.tanh(self.hidden(x.reshape(-1, 6)))), dim=1)


# view: PyTorch's common x.view(x.size(0), -1), which exports Shape, Gather, Unsqueeze, Concat and a Reshape
# whose shape is computed from the input's batch size; relu, then a sigmoid head.

class ViewNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = torch.nn.Linear(6, 4)
        self.out = torch.nn.Linear(4, 1)

    def forward(self, x):
        return torch.sigmoid(self.out(torch.relu(self.hidden(x.view(x.size(0), -1)))))


def make_torch_shapes():
    for name, seed, model, shape in (("gemm_transb0", 1, AddmmNet, (4,)), ("matmul_add", 2, MatMulNet, (5,)),
                                     ("flatten", 3, FlattenNet, (1, 4, 4)), ("reshape", 4, ReshapeNet, (2, 3)),
                                     ("view", 5, ViewNet, (2, 3))):
        torch.manual_seed(seed)
        m = model().eval()
        x = torch.rand((12,) + shape) if name == "flatten" else torch.randn((12,) + shape) * 2
        export(m, x, name)
        save_expected(name, x.numpy(), torch_outputs(m, x), "pytorch")


# ---------------------------------------------------------------------------------------------
# tf2onnx_shaped: Keras and tf2onnx cannot be installed on this machine (no PyPI), so this graph is built
# by hand with onnx.helper in the shape tf2onnx writes for keras.Sequential([Dense(8, relu), Dense(1, sigmoid)]):
# input 'dense_input' with a symbolic batch 'unk__6', MatMul + Add per Dense layer named after the Keras
# layers, weights as '.../ReadVariableOp:0' initializers stored inputs x units, a final Identity to the
# output named after the last layer. Its producer says what made it (not tf2onnx). Outputs from numpy.

def make_tf2onnx_shaped():
    rng = np.random.default_rng(6)
    limit1, limit2 = np.sqrt(6 / (4 + 8)), np.sqrt(6 / (8 + 1))     # Keras' glorot_uniform
    w1 = rng.uniform(-limit1, limit1, (4, 8)).astype(np.float32)
    b1 = (rng.normal(0, 0.1, 8)).astype(np.float32)
    w2 = rng.uniform(-limit2, limit2, (8, 1)).astype(np.float32)
    b2 = np.array([0.05], dtype=np.float32)
    p1, p2 = "sequential/dense", "sequential/dense_1"
    inits = [numpy_helper.from_array(w1, p1 + "/MatMul/ReadVariableOp:0"), numpy_helper.from_array(b1, p1 + "/BiasAdd/ReadVariableOp:0"),
             numpy_helper.from_array(w2, p2 + "/MatMul/ReadVariableOp:0"), numpy_helper.from_array(b2, p2 + "/BiasAdd/ReadVariableOp:0")]
    nodes = [helper.make_node("MatMul", ["dense_input", p1 + "/MatMul/ReadVariableOp:0"], [p1 + "/MatMul:0"], name=p1 + "/MatMul"),
             helper.make_node("Add", [p1 + "/MatMul:0", p1 + "/BiasAdd/ReadVariableOp:0"], [p1 + "/BiasAdd:0"], name=p1 + "/BiasAdd"),
             helper.make_node("Relu", [p1 + "/BiasAdd:0"], [p1 + "/Relu:0"], name=p1 + "/Relu"),
             helper.make_node("MatMul", [p1 + "/Relu:0", p2 + "/MatMul/ReadVariableOp:0"], [p2 + "/MatMul:0"], name=p2 + "/MatMul"),
             helper.make_node("Add", [p2 + "/MatMul:0", p2 + "/BiasAdd/ReadVariableOp:0"], [p2 + "/BiasAdd:0"], name=p2 + "/BiasAdd"),
             helper.make_node("Sigmoid", [p2 + "/BiasAdd:0"], [p2 + "/Sigmoid:0"], name=p2 + "/Sigmoid"),
             helper.make_node("Identity", [p2 + "/Sigmoid:0"], ["dense_1"], name="Identity")]
    graph = helper.make_graph(nodes, "tf2onnx", [helper.make_tensor_value_info("dense_input", TensorProto.FLOAT, ["unk__6", 4])],
                              [helper.make_tensor_value_info("dense_1", TensorProto.FLOAT, ["unk__6", 1])], inits)
    model = helper.make_model(graph, producer_name="symlab-fixtures (onnx.helper, tf2onnx-shaped)", producer_version=onnx.__version__,
                              opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 7
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(HERE, "tf2onnx_shaped.onnx"))
    x = (rng.normal(0, 1.5, (12, 4))).astype(np.float32)
    h = np.maximum(x @ w1 + b1, np.float32(0))
    y = (np.float32(1) / (np.float32(1) + np.exp(-(h @ w2 + b2)))).astype(np.float32)
    save_expected("tf2onnx_shaped", x, y, "numpy (float32)")


if __name__ == "__main__":
    make_planted()
    make_torch_shapes()
    make_tf2onnx_shaped()
    print("fixtures written to", HERE, VERSIONS)
