#!/usr/bin/python3
"""Makes batchscore's sample models, data and expected predictions.

Run with Debian's own python3 (python3-sklearn, python3-onnx, python3-pandas,
dataset-fashion-mnist), from the repository root:

    /usr/bin/python3 sample-data/generate.py

Everything is seeded; running it again rewrites the same files (the ONNX files are
byte-identical for the same library versions). Tests never run this script: they read
the committed outputs.

The ONNX graphs are written by the small converters below rather than skl2onnx (which
Debian does not package). They follow skl2onnx's conventions: input `float_input`,
outputs `output_label` and `output_probability`, and a ZipMap over the class
probabilities for the tree ensemble.
"""
import gzip
import os
import struct

import numpy as np
import onnx
import pandas as pd
from onnx import TensorProto, helper, numpy_helper
from sklearn.datasets import load_breast_cancer, load_wine
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

ROOT = os.path.dirname(os.path.abspath(__file__))
MODELS = os.path.join(ROOT, "models")
DATA = os.path.join(ROOT, "data")
EXPECTED = os.path.join(ROOT, "expected")
SEED = 20261125
OPSET = [helper.make_opsetid("", 13), helper.make_opsetid("ai.onnx.ml", 1)]
PRODUCER = "batchscore sample-data/generate.py"


def snake(name):
    return name.strip().lower().replace(" ", "_").replace("/", "_").replace("-", "_")


def save(model, name, doc, metadata):
    model.producer_name = PRODUCER
    model.producer_version = "1"
    model.model_version = 1
    model.doc_string = doc
    for k, v in metadata.items():
        entry = model.metadata_props.add()
        entry.key, entry.value = k, v
    onnx.checker.check_model(model)
    path = os.path.join(MODELS, name)
    onnx.save(model, path)
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


def write_csv(df, name):
    path = os.path.join(DATA, name)
    df.to_csv(path, index=False, float_format="%.9g")
    print(f"wrote {path} ({len(df)} rows)")


# --------------------------------------------------------------------------- #
# 1. Breast cancer: StandardScaler + LogisticRegression, tensor outputs.
#    Graph: Sub -> Mul -> MatMul -> Add -> Softmax, ArgMax for the label.
# --------------------------------------------------------------------------- #
def breast_cancer():
    ds = load_breast_cancer()
    names = [snake(n) for n in ds.feature_names]
    x = ds.data.astype(np.float32)
    y = ds.target
    scaler = StandardScaler().fit(x.astype(np.float64))
    lr = LogisticRegression(max_iter=5000, random_state=SEED)
    lr.fit(scaler.transform(x.astype(np.float64)), y)

    mean = scaler.mean_.astype(np.float32)
    inv_scale = (1.0 / scaler.scale_).astype(np.float32)
    # Binary LR as a 2-class softmax over [0, z]: softmax([0, z]) = [1 - s(z), s(z)].
    w = np.zeros((x.shape[1], 2), dtype=np.float32)
    w[:, 1] = lr.coef_[0]
    b = np.array([0.0, lr.intercept_[0]], dtype=np.float32)

    inp = helper.make_tensor_value_info("float_input", TensorProto.FLOAT, ["N", x.shape[1]])
    out_label = helper.make_tensor_value_info("output_label", TensorProto.INT64, ["N"])
    out_prob = helper.make_tensor_value_info("output_probability", TensorProto.FLOAT, ["N", 2])
    nodes = [
        helper.make_node("Sub", ["float_input", "mean"], ["centred"]),
        helper.make_node("Mul", ["centred", "inv_scale"], ["scaled"]),
        helper.make_node("MatMul", ["scaled", "coef"], ["mm"]),
        helper.make_node("Add", ["mm", "intercept"], ["logits"]),
        helper.make_node("Softmax", ["logits"], ["output_probability"], axis=1),
        helper.make_node("ArgMax", ["logits"], ["output_label"], axis=1, keepdims=0),
    ]
    inits = [
        numpy_helper.from_array(mean, "mean"),
        numpy_helper.from_array(inv_scale, "inv_scale"),
        numpy_helper.from_array(w, "coef"),
        numpy_helper.from_array(b, "intercept"),
    ]
    graph = helper.make_graph(nodes, "breast_cancer_logreg", [inp], [out_label, out_prob], inits)
    model = helper.make_model(graph, opset_imports=OPSET[:1])
    save(model, "breast_cancer_logreg.onnx",
         "StandardScaler + LogisticRegression on the Wisconsin breast cancer data (sklearn).",
         {"training_framework": "scikit-learn", "features": ",".join(names),
          "classes": "malignant,benign"})

    df = pd.DataFrame(x, columns=names)
    df.insert(0, "id", np.arange(len(df), dtype=np.int64))
    df["target"] = y
    write_csv(df, "breast_cancer.csv")

    proba = lr.predict_proba(scaler.transform(x.astype(np.float64)))
    exp = pd.DataFrame({"id": df["id"], "label": lr.predict(scaler.transform(x.astype(np.float64))),
                        "p0": proba[:, 0], "p1": proba[:, 1]})
    exp.to_csv(os.path.join(EXPECTED, "breast_cancer_logreg.csv"), index=False, float_format="%.12g")


# --------------------------------------------------------------------------- #
# 2. Wine: RandomForestClassifier -> TreeEnsembleClassifier + ZipMap.
# --------------------------------------------------------------------------- #
def float32_at_most(threshold):
    """The largest float32 <= threshold: for float32 x, x <= threshold iff x <= this value.
    Plain rounding can round up past a sample and send it down the other branch."""
    t = np.float32(threshold)
    if float(t) > threshold:
        t = np.nextafter(t, np.float32(-np.inf))
    return float(t)


def forest_to_onnx(forest, n_features, name):
    attrs = {k: [] for k in ["nodes_treeids", "nodes_nodeids", "nodes_featureids", "nodes_modes",
                             "nodes_values", "nodes_truenodeids", "nodes_falsenodeids",
                             "nodes_hitrates", "nodes_missing_value_tracks_true",
                             "class_treeids", "class_nodeids", "class_ids", "class_weights"]}
    n_trees = len(forest.estimators_)
    for t, est in enumerate(forest.estimators_):
        tree = est.tree_
        for node in range(tree.node_count):
            left, right = tree.children_left[node], tree.children_right[node]
            attrs["nodes_treeids"].append(t)
            attrs["nodes_nodeids"].append(node)
            attrs["nodes_hitrates"].append(1.0)
            attrs["nodes_missing_value_tracks_true"].append(0)
            if left == -1:
                attrs["nodes_featureids"].append(0)
                attrs["nodes_modes"].append("LEAF")
                attrs["nodes_values"].append(0.0)
                attrs["nodes_truenodeids"].append(0)
                attrs["nodes_falsenodeids"].append(0)
                dist = tree.value[node][0]
                dist = dist / dist.sum()
                for c, p in enumerate(dist):
                    attrs["class_treeids"].append(t)
                    attrs["class_nodeids"].append(node)
                    attrs["class_ids"].append(c)
                    attrs["class_weights"].append(float(p) / n_trees)
            else:
                attrs["nodes_featureids"].append(int(tree.feature[node]))
                attrs["nodes_modes"].append("BRANCH_LEQ")
                attrs["nodes_values"].append(float32_at_most(tree.threshold[node]))
                attrs["nodes_truenodeids"].append(int(left))
                attrs["nodes_falsenodeids"].append(int(right))
    classes = [int(c) for c in forest.classes_]
    inp = helper.make_tensor_value_info("float_input", TensorProto.FLOAT, ["N", n_features])
    label = helper.make_tensor_value_info("output_label", TensorProto.INT64, ["N"])
    # seq(map(int64, float)), built by hand: Debian's onnx 1.12 has no make_map_type_proto.
    prob_seq = onnx.ValueInfoProto()
    prob_seq.name = "output_probability"
    map_type = prob_seq.type.sequence_type.elem_type.map_type
    map_type.key_type = TensorProto.INT64
    map_type.value_type.tensor_type.elem_type = TensorProto.FLOAT
    nodes = [
        helper.make_node("TreeEnsembleClassifier", ["float_input"], ["output_label", "probability_tensor"],
                         domain="ai.onnx.ml", classlabels_int64s=classes, post_transform="NONE", **attrs),
        helper.make_node("ZipMap", ["probability_tensor"], ["output_probability"], domain="ai.onnx.ml",
                         classlabels_int64s=classes),
    ]
    graph = helper.make_graph(nodes, name, [inp], [label, prob_seq])
    return helper.make_model(graph, opset_imports=OPSET)


def wine():
    ds = load_wine()
    names = [snake(n) for n in ds.feature_names]
    x = ds.data.astype(np.float32)
    y = ds.target
    forest = RandomForestClassifier(n_estimators=40, max_depth=6, random_state=SEED)
    forest.fit(x, y)
    model = forest_to_onnx(forest, x.shape[1], "wine_forest")
    save(model, "wine_forest.onnx",
         "RandomForestClassifier (40 trees, depth 6) on the UCI wine data (sklearn), ZipMap output.",
         {"training_framework": "scikit-learn", "features": ",".join(names),
          "classes": "class_0,class_1,class_2"})

    df = pd.DataFrame(x, columns=names)
    df.insert(0, "id", np.arange(len(df), dtype=np.int64))
    df["target"] = y
    write_csv(df, "wine.csv")
    proba = forest.predict_proba(x)
    exp = pd.DataFrame({"id": df["id"], "label": forest.predict(x)})
    for c in range(proba.shape[1]):
        exp[f"p{c}"] = proba[:, c]
    exp.to_csv(os.path.join(EXPECTED, "wine_forest.csv"), index=False, float_format="%.12g")


# --------------------------------------------------------------------------- #
# 3. Fashion-MNIST: MLPClassifier 784-256-128-10, input [N,1,28,28] raw pixels.
#    About 235k multiply-adds per row: the compute-bound sample.
# --------------------------------------------------------------------------- #
FASHION_DIR = "/usr/share/datasets/fashion-mnist"
FASHION_LABELS = ["t_shirt_top", "trouser", "pullover", "dress", "coat",
                  "sandal", "shirt", "sneaker", "bag", "ankle_boot"]


def read_idx(name):
    with gzip.open(os.path.join(FASHION_DIR, name), "rb") as f:
        magic, n = struct.unpack(">II", f.read(8))
        if magic == 2051:
            rows, cols = struct.unpack(">II", f.read(8))
            return np.frombuffer(f.read(), dtype=np.uint8).reshape(n, rows * cols)
        return np.frombuffer(f.read(), dtype=np.uint8)


def fashion():
    x_train = read_idx("train-images-idx3-ubyte.gz")
    y_train = read_idx("train-labels-idx1-ubyte.gz")
    x_test = read_idx("t10k-images-idx3-ubyte.gz")
    y_test = read_idx("t10k-labels-idx1-ubyte.gz")
    rng = np.random.default_rng(SEED)
    idx = rng.choice(len(x_train), 12000, replace=False)
    scale = np.float32(1.0 / 255.0)
    xt = x_train[idx].astype(np.float32) * scale
    mlp = MLPClassifier(hidden_layer_sizes=(256, 128), max_iter=25, random_state=SEED,
                        early_stopping=False)
    mlp.fit(xt, y_train[idx])

    inp = helper.make_tensor_value_info("image", TensorProto.FLOAT, ["N", 1, 28, 28])
    out = helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 10])
    nodes = [helper.make_node("Flatten", ["image"], ["flat"], axis=1),
             helper.make_node("Mul", ["flat", "pixel_scale"], ["h0"])]
    inits = [numpy_helper.from_array(np.array([scale], dtype=np.float32), "pixel_scale")]
    prev = "h0"
    for i, (w, b) in enumerate(zip(mlp.coefs_, mlp.intercepts_)):
        inits += [numpy_helper.from_array(w.astype(np.float32), f"w{i}"),
                  numpy_helper.from_array(b.astype(np.float32), f"b{i}")]
        last = i == len(mlp.coefs_) - 1
        gemm_out = "logits" if last else f"z{i}"
        nodes.append(helper.make_node("Gemm", [prev, f"w{i}", f"b{i}"], [gemm_out]))
        if not last:
            nodes.append(helper.make_node("Relu", [gemm_out], [f"h{i + 1}"]))
            prev = f"h{i + 1}"
    graph = helper.make_graph(nodes, "fashion_mlp", [inp], [out], inits)
    model = helper.make_model(graph, opset_imports=OPSET[:1])
    save(model, "fashion_mlp.onnx",
         "MLPClassifier 784-256-128-10 (ReLU) on Fashion-MNIST; input raw pixels 0..255, output logits.",
         {"training_framework": "scikit-learn", "classes": ",".join(FASHION_LABELS)})

    n = 1000
    px = x_test[:n]
    df = pd.DataFrame(px.astype(np.int64), columns=[f"px{i}" for i in range(784)])
    df.insert(0, "id", np.arange(n, dtype=np.int64))
    df["target"] = y_test[:n]
    write_csv(df, "fashion_mnist_1k.csv")
    proba = mlp.predict_proba(px.astype(np.float32) * scale)
    exp = pd.DataFrame({"id": df["id"], "label": mlp.predict(px.astype(np.float32) * scale)})
    for c in range(10):
        exp[f"p{c}"] = proba[:, c]
    exp.to_csv(os.path.join(EXPECTED, "fashion_mlp.csv"), index=False, float_format="%.12g")
    print(f"fashion_mlp test accuracy on {n}: {(exp['label'].values == y_test[:n]).mean():.3f}")


# --------------------------------------------------------------------------- #
# 4. Breast cancer MLP: StandardScaler + MLPClassifier 30-512-512-1, tensor outputs.
#    About 280k multiply-adds per row on 30 features: the compute-bound tabular
#    sample (the benchmarks' MLP: heavy on compute, light on I/O).
# --------------------------------------------------------------------------- #
def breast_cancer_mlp():
    ds = load_breast_cancer()
    names = [snake(n) for n in ds.feature_names]
    x = ds.data.astype(np.float32)
    y = ds.target
    scaler = StandardScaler().fit(x.astype(np.float64))
    xs = scaler.transform(x.astype(np.float64))
    mlp = MLPClassifier(hidden_layer_sizes=(512, 512), max_iter=300, random_state=SEED)
    mlp.fit(xs, y)

    inp = helper.make_tensor_value_info("float_input", TensorProto.FLOAT, ["N", x.shape[1]])
    out_label = helper.make_tensor_value_info("output_label", TensorProto.INT64, ["N"])
    out_prob = helper.make_tensor_value_info("output_probability", TensorProto.FLOAT, ["N", 2])
    nodes = [helper.make_node("Sub", ["float_input", "mean"], ["centred"]),
             helper.make_node("Mul", ["centred", "inv_scale"], ["h0"])]
    inits = [numpy_helper.from_array(scaler.mean_.astype(np.float32), "mean"),
             numpy_helper.from_array((1.0 / scaler.scale_).astype(np.float32), "inv_scale")]
    prev = "h0"
    layers = list(zip(mlp.coefs_, mlp.intercepts_))
    for i, (w, b) in enumerate(layers):
        last = i == len(layers) - 1
        if last:
            # One logistic unit as a 2-class softmax over [0, z]: softmax([0, z]) = [1 - s(z), s(z)].
            w = np.concatenate([np.zeros_like(w), w], axis=1)
            b = np.concatenate([np.zeros_like(b), b])
        inits += [numpy_helper.from_array(w.astype(np.float32), f"w{i}"),
                  numpy_helper.from_array(b.astype(np.float32), f"b{i}")]
        gemm_out = "logits" if last else f"z{i}"
        nodes.append(helper.make_node("Gemm", [prev, f"w{i}", f"b{i}"], [gemm_out]))
        if not last:
            nodes.append(helper.make_node("Relu", [gemm_out], [f"h{i + 1}"]))
            prev = f"h{i + 1}"
    nodes += [helper.make_node("Softmax", ["logits"], ["output_probability"], axis=1),
              helper.make_node("ArgMax", ["logits"], ["output_label"], axis=1, keepdims=0)]
    graph = helper.make_graph(nodes, "breast_cancer_mlp", [inp], [out_label, out_prob], inits)
    model = helper.make_model(graph, opset_imports=OPSET[:1])
    save(model, "breast_cancer_mlp.onnx",
         "StandardScaler + MLPClassifier 30-512-512-1 (ReLU) on the Wisconsin breast cancer data (sklearn).",
         {"training_framework": "scikit-learn", "features": ",".join(names),
          "classes": "malignant,benign"})

    proba = mlp.predict_proba(xs)
    exp = pd.DataFrame({"id": np.arange(len(x), dtype=np.int64), "label": mlp.predict(xs),
                        "p0": proba[:, 0], "p1": proba[:, 1]})
    exp.to_csv(os.path.join(EXPECTED, "breast_cancer_mlp.csv"), index=False, float_format="%.12g")
    print(f"breast_cancer_mlp training accuracy: {(exp['label'].values == y).mean():.3f}")


if __name__ == "__main__":
    for d in (MODELS, DATA, EXPECTED):
        os.makedirs(d, exist_ok=True)
    breast_cancer()
    wine()
    fashion()
    breast_cancer_mlp()
