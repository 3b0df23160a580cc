"""test_api.py — the Interpreter API's semantics, as tflite_runtime defines them: details
dicts, copies versus views, dtype and shape checks with TensorFlow Lite's messages,
resizing, signatures, constructor arguments, and misuse that must raise, never crash."""
import gc
import os

import numpy as np
import pytest

import mote
import mote.interpreter
from mote.interpreter import Interpreter, OpResolverType


@pytest.fixture
def hello(model_path):
    """hello_world_float (y = sin(x), input tensor 0 [1, 1], output tensor 9), allocated."""
    it = Interpreter(model_path=model_path("hello_world_float"))
    it.allocate_tensors()
    return it


@pytest.fixture
def add(model_path):
    """add.tflite: output (tensor 2) = input (tensor 1) * 3, shape [1, 8, 8, 3]."""
    it = Interpreter(model_path=model_path("add"))
    it.allocate_tensors()
    return it


def run_hello(it, x):
    it.set_tensor(0, np.array(x, dtype=np.float32).reshape(-1, 1))
    it.invoke()
    return it.get_tensor(9)


# ---- module layout ----

def test_names_match_tflite_runtime():
    assert mote.Interpreter is mote.interpreter.Interpreter
    for name in ("Interpreter", "InterpreterWithCustomOps", "SignatureRunner", "OpResolverType",
                 "load_delegate", "Delegate"):
        assert hasattr(mote.interpreter, name)
    assert [t.name for t in OpResolverType] == ["AUTO", "BUILTIN", "BUILTIN_REF",
                                                "BUILTIN_WITHOUT_DEFAULT_DELEGATES"]
    assert isinstance(mote.__version__, str)
    assert issubclass(mote.UnsupportedError, ValueError)
    assert issubclass(mote.UnsupportedError, RuntimeError)


# ---- details ----

def test_input_and_output_details(hello):
    (inp,) = hello.get_input_details()
    (out,) = hello.get_output_details()
    assert set(inp) == {"name", "index", "shape", "shape_signature", "dtype", "quantization",
                        "quantization_parameters", "sparsity_parameters"}
    assert inp["name"] == "serving_default_dense_input:0"
    assert inp["index"] == 0 and out["index"] == 9
    assert isinstance(inp["shape"], np.ndarray) and inp["shape"].dtype == np.int32
    assert inp["shape"].tolist() == [1, 1]
    assert inp["shape_signature"].dtype == np.int32
    assert inp["shape_signature"].tolist() == [-1, 1]
    assert inp["dtype"] is np.float32
    assert inp["quantization"] == (0.0, 0)
    q = inp["quantization_parameters"]
    assert set(q) == {"scales", "zero_points", "quantized_dimension"}
    assert q["scales"].dtype == np.float32 and q["scales"].size == 0
    assert q["zero_points"].dtype == np.int32 and q["zero_points"].size == 0
    assert q["quantized_dimension"] == 0
    assert inp["sparsity_parameters"] == {}


def test_quantized_details(model_path):
    it = Interpreter(model_path=model_path("hello_world_int8"))
    (inp,) = it.get_input_details()
    assert inp["dtype"] is np.int8
    scale, zero_point = inp["quantization"]
    assert isinstance(scale, float) and scale > 0 and isinstance(zero_point, int)
    q = inp["quantization_parameters"]
    assert q["scales"].tolist() == pytest.approx([scale])
    assert q["zero_points"].tolist() == [zero_point]


def test_per_channel_quantization_details(model_path):
    it = Interpreter(model_path=model_path("person_detect"))
    per_channel = [d for d in it.get_tensor_details()
                   if d["quantization_parameters"]["scales"].size > 1]
    assert per_channel, "person_detect has per-channel weights"
    d = per_channel[0]
    # The deprecated pair is (0.0, 0) unless there is a single scale.
    assert d["quantization"] == (0.0, 0)
    assert d["quantization_parameters"]["zero_points"].size == d["quantization_parameters"]["scales"].size


def test_tensor_details_cover_every_tensor(hello):
    details = hello.get_tensor_details()
    assert [d["index"] for d in details] == list(range(10))
    assert details[9]["name"] == "StatefulPartitionedCall:0"
    assert hello._get_tensor_details(9, 0)["name"] == "StatefulPartitionedCall:0"
    with pytest.raises(ValueError):
        hello.get_tensor_details(subgraph_index=1)
    with pytest.raises(ValueError):
        hello._get_tensor_details(10, 0)


def test_model_level_queries(model_path, hello):
    assert hello.num_subgraphs() == 1
    assert [op["op_name"] for op in hello._get_ops_details()] == ["FULLY_CONNECTED"] * 3
    assert [op["index"] for op in hello._get_ops_details()] == [0, 1, 2]
    last = hello._get_op_details(2)
    assert last["index"] == 2 and last["op_name"] == "FULLY_CONNECTED"
    assert last["outputs"].tolist() == [hello.get_output_details()[0]["index"]]
    assert len(last["inputs"]) == 3 and last["inputs"].dtype == np.int32
    first = hello._get_op_details(0)
    assert first["inputs"][0] == hello.get_input_details()[0]["index"]
    assert hello._get_op_details(1)["inputs"][0] == first["outputs"][0]  # a chain of layers
    with pytest.raises(ValueError):
        hello._get_op_details(3)
    it = Interpreter(model_path=model_path("multi_signatures"))
    assert it.num_subgraphs() == 2


# ---- values: copies and views ----

def test_set_and_get_copy(hello):
    x = np.array([[1.5]], dtype=np.float32)
    hello.set_tensor(0, x)
    x[0, 0] = 100.0  # set_tensor copied: the tensor keeps 1.5
    assert hello.get_tensor(0)[0, 0] == np.float32(1.5)
    hello.invoke()
    y = hello.get_tensor(9)
    assert y.shape == (1, 1) and y.dtype == np.float32
    assert abs(y[0, 0] - np.sin(1.5)) < 0.1
    y[0, 0] = -7.0  # get_tensor gave a copy
    assert hello.get_tensor(9)[0, 0] != -7.0


def test_same_results_as_batch_one_calls(hello):
    xs = [0.0, 0.5, 1.0, 2.0, 3.0]
    ys = [run_hello(hello, x)[0, 0] for x in xs]
    assert np.allclose(ys, np.sin(xs), atol=0.1)


def test_tensor_gives_zero_copy_views(hello):
    inp = hello.tensor(0)
    out = hello.tensor(9)
    inp()[0, 0] = 1.0  # writes the interpreter's input in place
    assert hello.get_tensor(0)[0, 0] == 1.0
    hello.invoke()
    first = out()[0, 0]
    assert abs(first - np.sin(1.0)) < 0.1
    for x in (0.5, 2.0):
        inp().fill(x)
        hello.invoke()
        assert abs(out()[0, 0] - np.sin(x)) < 0.1
    view = out()
    assert not view.flags.owndata
    assert np.shares_memory(view, out())


def test_views_block_calls_that_move_memory(hello):
    held = hello.tensor(0)()
    for call in (hello.invoke, hello.allocate_tensors, lambda: hello.resize_tensor_input(0, [2, 1])):
        with pytest.raises(RuntimeError, match="tensor()"):
            call()
    # Reading and writing through the other calls stays allowed.
    hello.set_tensor(0, np.array([[0.25]], dtype=np.float32))
    assert held[0, 0] == np.float32(0.25)
    del held
    hello.invoke()


def test_a_slice_keeps_the_view_counted(hello):
    part = hello.tensor(9)()[0]  # the slice's base is the view
    with pytest.raises(RuntimeError):
        hello.invoke()
    del part
    gc.collect()
    hello.invoke()


def test_view_outlives_the_interpreter(model_path):
    it = Interpreter(model_path=model_path("hello_world_float"))
    it.allocate_tensors()
    run_hello(it, 1.0)
    view = it.tensor(9)()
    expected = float(view[0, 0])
    del it
    gc.collect()
    # The array keeps the C interpreter (and its arena) alive.
    assert float(view[0, 0]) == expected
    view[0, 0] = 3.0
    assert view[0, 0] == 3.0


def test_the_function_from_tensor_can_be_kept(model_path):
    it = Interpreter(model_path=model_path("hello_world_float"))
    it.allocate_tensors()
    inp, out = it.tensor(0), it.tensor(9)
    it.resize_tensor_input(0, [3, 1])
    with pytest.raises(ValueError, match="allocate_tensors"):
        inp()  # no data until allocate: an error, not stale memory
    it.allocate_tensors()
    assert inp().shape == (3, 1) and out().shape == (3, 1)
    del it
    gc.collect()
    assert out().shape == (3, 1)  # the function holds the interpreter too


def test_constant_tensors_are_read_only(hello):
    weights = hello.tensor(4)()  # sequential/dense/MatMul, a constant
    assert not weights.flags.writeable
    with pytest.raises(ValueError):
        weights[0, 0] = 1.0
    del weights
    with pytest.raises(ValueError, match="constant"):
        hello.set_tensor(4, np.zeros((16, 1), dtype=np.float32))
    assert hello.get_tensor(4).shape == (16, 1)


# ---- set_tensor checks (TensorFlow Lite's messages) ----

def test_wrong_dtype(hello):
    with pytest.raises(ValueError, match=r"Cannot set tensor: Got value of type FLOAT64 but "
                                         r"expected type FLOAT32 for input 0, name: "
                                         r"serving_default_dense_input:0"):
        hello.set_tensor(0, np.array([[1.0]]))
    with pytest.raises(ValueError, match="Got value of type INT32"):
        hello.set_tensor(0, np.array([[1]], dtype=np.int32))
    with pytest.raises(ValueError, match="Got value of type FLOAT64"):
        hello.set_tensor(0, [[1.0]])  # a list becomes float64, as in TFLite
    with pytest.raises(ValueError, match="Got value of type STRING"):
        hello.set_tensor(0, np.array([["a"]]))
    with pytest.raises(ValueError, match="Got value of type NOTYPE"):
        hello.set_tensor(0, np.array([[1 + 1j]], dtype=np.clongdouble))


def test_wrong_shape(hello):
    with pytest.raises(ValueError, match=r"Dimension mismatch. Got 1 but expected 2 for input 0\."):
        hello.set_tensor(0, np.zeros(1, dtype=np.float32))
    with pytest.raises(ValueError, match=r"Got 2 but expected 1 for dimension 0 of input 0\."):
        hello.set_tensor(0, np.zeros((2, 1), dtype=np.float32))


def test_values_are_converted_to_contiguous_native_arrays(add):
    data = np.arange(2 * 8 * 8 * 3, dtype=np.float32).reshape(2, 8, 8, 3)
    add.set_tensor(1, data[1:])  # an offset view
    add.invoke()
    assert np.array_equal(add.get_tensor(2), data[1:] * 3)
    strided = np.arange(8 * 8 * 6, dtype=np.float32).reshape(1, 8, 8, 6)[..., ::2]
    add.set_tensor(1, strided)
    add.invoke()
    assert np.array_equal(add.get_tensor(2), strided * 3)
    swapped = data[:1].astype(">f4")  # big-endian float32
    add.set_tensor(1, swapped)
    add.invoke()
    assert np.array_equal(add.get_tensor(2), data[:1] * 3)


def test_numpy_integer_indices(hello):
    hello.set_tensor(np.int64(0), np.array([[1.0]], dtype=np.float32))
    hello.invoke()
    assert hello.get_tensor(np.int32(9)).shape == (1, 1)


# ---- bad indices and None ----

@pytest.mark.parametrize("index", [10, -1, 2**40, -2**70])
def test_bad_index(hello, index):
    with pytest.raises(ValueError, match="Invalid tensor index"):
        hello.set_tensor(index, np.zeros((1, 1), dtype=np.float32))
    with pytest.raises(ValueError, match="Invalid tensor index"):
        hello.get_tensor(index)
    with pytest.raises(ValueError, match="Invalid tensor index"):
        hello.tensor(index)()
    with pytest.raises(ValueError):
        hello.resize_tensor_input(index, [1, 1])


@pytest.mark.parametrize("index", [None, "0", 1.0, object()])
def test_index_of_the_wrong_type(hello, index):
    with pytest.raises(TypeError):
        hello.set_tensor(index, np.zeros((1, 1), dtype=np.float32))
    with pytest.raises(TypeError):
        hello.get_tensor(index)
    with pytest.raises(TypeError):
        hello.tensor(index)()


def test_none_everywhere(model_path, hello):
    with pytest.raises(ValueError):
        Interpreter()
    with pytest.raises(ValueError):
        Interpreter(model_path=None, model_content=None)
    with pytest.raises(ValueError):
        hello.set_tensor(0, None)
    with pytest.raises(ValueError):
        hello.resize_tensor_input(0, None)
    with pytest.raises(ValueError):
        hello.resize_tensor_input(0, [None, 1])
    with pytest.raises(TypeError):
        hello.get_tensor_details(subgraph_index=None)
    runner = hello.get_signature_runner()
    with pytest.raises(ValueError):
        runner(dense_input=None)  # an object array: not float32
    with pytest.raises(ValueError):
        hello.get_signature_runner("no such signature")
    # Still usable after all of that.
    hello.resize_tensor_input(0, [1, 1])
    hello.allocate_tensors()
    assert abs(run_hello(hello, 1.0)[0, 0] - np.sin(1.0)) < 0.1


# ---- order of calls ----

def test_before_allocate(model_path):
    it = Interpreter(model_path=model_path("hello_world_float"))
    with pytest.raises(ValueError, match="allocate_tensors"):
        it.set_tensor(0, np.zeros((1, 1), dtype=np.float32))
    with pytest.raises(ValueError, match="allocate_tensors"):
        it.get_tensor(9)
    with pytest.raises(ValueError, match="allocate_tensors"):
        it.tensor(0)()
    with pytest.raises(RuntimeError, match="allocate"):
        it.invoke()
    it.allocate_tensors()
    it.allocate_tensors()  # a second call changes nothing
    assert abs(run_hello(it, 1.0)[0, 0] - np.sin(1.0)) < 0.1


def test_inputs_survive_invoke(hello):
    x = np.array([[0.5]], dtype=np.float32)
    hello.set_tensor(0, x)
    hello.invoke()
    first = hello.get_tensor(9)
    assert hello.get_tensor(0)[0, 0] == x[0, 0]
    hello.invoke()  # again, without setting the input: the same result in TFLite
    assert np.array_equal(hello.get_tensor(9), first)


def test_allocate_again_keeps_values(hello):
    hello.set_tensor(0, np.array([[0.75]], dtype=np.float32))
    hello.allocate_tensors()
    assert hello.get_tensor(0)[0, 0] == np.float32(0.75)


# ---- resizing ----

def test_resize_to_batch_4_then_allocate(hello):
    xs = np.array([[0.0], [0.5], [1.0], [3.0]], dtype=np.float32)
    singles = [run_hello(hello, x)[0, 0] for x in xs[:, 0]]
    hello.resize_tensor_input(0, [4, 1])
    with pytest.raises(ValueError, match="allocate_tensors"):
        hello.set_tensor(0, xs)  # the old memory is gone until allocate
    with pytest.raises(RuntimeError):
        hello.invoke()
    hello.allocate_tensors()
    assert hello.get_input_details()[0]["shape"].tolist() == [4, 1]
    assert hello.get_input_details()[0]["shape_signature"].tolist() == [-1, 1]
    hello.set_tensor(0, xs)
    hello.invoke()
    ys = hello.get_tensor(9)
    assert ys.shape == (4, 1)
    assert hello.get_output_details()[0]["shape"].tolist() == [4, 1]
    assert np.allclose(ys[:, 0], singles, rtol=0, atol=1e-6)


def test_resize_accepts_tuples_and_arrays(hello):
    hello.resize_tensor_input(0, (2, 1))
    hello.resize_tensor_input(0, np.array([3, 1], dtype=np.int64))
    hello.allocate_tensors()
    assert hello.get_tensor(0).shape == (3, 1)


def test_strict_resize(hello):
    hello.resize_tensor_input(0, [5, 1], strict=True)  # -1 in the shape signature
    with pytest.raises(ValueError, match="shape signature"):
        hello.resize_tensor_input(0, [5, 2], strict=True)
    with pytest.raises(ValueError, match="rank"):
        hello.resize_tensor_input(0, [5], strict=True)
    hello.allocate_tensors()
    assert hello.get_tensor(0).shape == (5, 1)


def test_resize_errors(hello):
    with pytest.raises(ValueError, match="not an input"):
        hello.resize_tensor_input(9, [2, 1])
    with pytest.raises(ValueError):
        hello.resize_tensor_input(0, [-3, 1])
    with pytest.raises(ValueError):
        hello.resize_tensor_input(0, [1] * 9)
    with pytest.raises(ValueError):
        hello.resize_tensor_input(0, [2**31, 1])
    with pytest.raises(ValueError):
        hello.resize_tensor_input(0, [1.5, 1])


# ---- signatures ----

def test_signature_list(model_path):
    it = Interpreter(model_path=model_path("multi_signatures"))
    assert it.get_signature_list() == {"add": {"inputs": ["x"], "outputs": ["output_0"]},
                                       "sub": {"inputs": ["x"], "outputs": ["output_0"]}}
    full = it._get_full_signature_list()
    assert full["add"] == {"inputs": {"x": 0}, "outputs": {"output_0": 2}}


def test_signature_runner(model_path):
    it = Interpreter(model_path=model_path("multi_signatures"))
    add = it.get_signature_runner("add")
    sub = it.get_signature_runner("sub")
    out = add(x=np.array([1.0], dtype=np.float32))
    assert list(out) == ["output_0"]
    assert out["output_0"].tolist() == [3.0]
    assert sub(x=np.array([1.0, 5.0], dtype=np.float32))["output_0"].tolist() == [-2.0, 2.0]
    # Each call resizes the inputs to the values given.
    assert add(x=np.array([1.0, 2.0, 3.0], dtype=np.float32))["output_0"].tolist() == [3.0, 4.0, 5.0]
    assert add(x=np.array([10.0], dtype=np.float32))["output_0"].tolist() == [12.0]
    details = add.get_input_details()
    assert list(details) == ["x"] and details["x"]["dtype"] is np.float32
    assert details["x"]["shape_signature"].tolist() == [-1]
    assert list(sub.get_output_details()) == ["output_0"]


def test_signature_runner_errors(model_path):
    it = Interpreter(model_path=model_path("multi_signatures"))
    with pytest.raises(ValueError, match="has 2 Signatures"):
        it.get_signature_runner()
    with pytest.raises(ValueError):
        it.get_signature_runner("mul")
    add = it.get_signature_runner("add")
    with pytest.raises(ValueError, match="expected 1 vs provided 0"):
        add()
    with pytest.raises(ValueError, match=r"Invalid Input name \(y\)"):
        add(y=np.array([1.0], dtype=np.float32))
    with pytest.raises(ValueError, match="Got value of type FLOAT64"):
        add(x=np.array([1.0]))
    assert add(x=np.array([1.0], dtype=np.float32))["output_0"].tolist() == [3.0]


def test_single_signature_runner(hello):
    runner = hello.get_signature_runner()  # the model's only signature
    out = runner(dense_input=np.array([[1.0], [2.0]], dtype=np.float32))
    assert list(out) == ["dense_2"]
    assert np.allclose(out["dense_2"][:, 0], np.sin([1.0, 2.0]), atol=0.1)


# ---- constructor ----

def test_model_content(model_path):
    with open(model_path("hello_world_float"), "rb") as f:
        content = f.read()
    it = Interpreter(model_content=content)
    del content
    gc.collect()  # the interpreter keeps its own reference
    it.allocate_tensors()
    assert abs(run_hello(it, 1.0)[0, 0] - np.sin(1.0)) < 0.1
    with open(model_path("hello_world_float"), "rb") as f:
        mutable = bytearray(f.read())
    it2 = Interpreter(model_content=mutable)
    mutable[:] = b"\0" * len(mutable)  # the interpreter read a copy
    it2.allocate_tensors()
    assert abs(run_hello(it2, 1.0)[0, 0] - np.sin(1.0)) < 0.1


def test_bad_models(model_path, tmp_path):
    with pytest.raises(ValueError):
        Interpreter(model_path=str(tmp_path / "missing.tflite"))
    with pytest.raises(ValueError):
        Interpreter(model_content=b"not a model at all, but long enough to be read" * 4)
    truncated = tmp_path / "truncated.tflite"
    with open(model_path("add"), "rb") as f:
        truncated.write_bytes(f.read()[:300])
    with pytest.raises(ValueError):
        Interpreter(model_path=str(truncated))
    with pytest.raises(ValueError, match="Can't both"):
        Interpreter(model_path=model_path("add"), model_content=b"x")
    with pytest.raises(TypeError):
        Interpreter(model_content="a str is not bytes")


def test_path_like_model_path(model_path):
    import pathlib
    it = Interpreter(model_path=pathlib.Path(model_path("add")))
    it.allocate_tensors()


def test_threads_and_resolvers(model_path):
    path = model_path("hello_world_float")
    for threads in (None, -1, 0, 1, 2):
        it = Interpreter(model_path=path, num_threads=threads)
        it.allocate_tensors()
        assert abs(run_hello(it, 1.0)[0, 0] - np.sin(1.0)) < 0.1
    with pytest.raises(ValueError, match="type of num_threads"):
        Interpreter(model_path=path, num_threads="2")
    with pytest.raises(ValueError, match=">= -1"):
        Interpreter(model_path=path, num_threads=-2)
    for resolver in OpResolverType:
        it = Interpreter(model_path=path, experimental_op_resolver_type=resolver,
                         experimental_preserve_all_tensors=True)
        it.allocate_tensors()
        assert abs(run_hello(it, 1.0)[0, 0] - np.sin(1.0)) < 0.1
    with pytest.raises(ValueError, match="op resolver"):
        Interpreter(model_path=path, experimental_op_resolver_type=2)


def test_interpreter_with_custom_ops(model_path):
    path = model_path("hello_world_float")
    it = mote.interpreter.InterpreterWithCustomOps(custom_op_registerers=[], model_path=path)
    it.allocate_tensors()
    assert abs(run_hello(it, 1.0)[0, 0] - np.sin(1.0)) < 0.1
    with pytest.raises(ValueError, match="registerers"):
        mote.interpreter.InterpreterWithCustomOps(custom_op_registerers=["Register_X"],
                                                  model_path=path)


def test_delegates(model_path):
    with pytest.raises(ValueError, match="Failed to load delegate from libedgetpu.so.1"):
        mote.load_delegate("libedgetpu.so.1")
    with pytest.warns(RuntimeWarning, match="delegates"):
        it = Interpreter(model_path=model_path("hello_world_float"),
                         experimental_delegates=[object()])
    it.allocate_tensors()
    assert abs(run_hello(it, 1.0)[0, 0] - np.sin(1.0)) < 0.1


def test_reset_all_variables(hello, model_path):
    assert hello.reset_all_variables() is None
    try:
        it = Interpreter(model_path=model_path("call_once_mul"))
        it.allocate_tensors()
    except mote.UnsupportedError as e:
        pytest.skip(f"call_once_mul: {e}")
    x = np.array(2.0, dtype=np.float32)
    index_in = it.get_input_details()[0]["index"]
    index_out = it.get_output_details()[0]["index"]
    it.set_tensor(index_in, x)
    it.invoke()
    first = it.get_tensor(index_out)
    assert isinstance(first, np.float32)  # rank 0 comes back as a NumPy scalar, as in TFLite
    it.reset_all_variables()
    it.set_tensor(index_in, x)
    it.invoke()
    assert it.get_tensor(index_out) == first


def test_argument_conversions_that_call_back_into_the_interpreter(hello):
    class ResizesOnConversion:
        def __array__(self, dtype=None):
            hello.resize_tensor_input(0, [3, 1])
            hello.allocate_tensors()
            return np.zeros((1, 1), dtype=np.float32)

    with pytest.raises(ValueError, match="Dimension mismatch"):
        hello.set_tensor(0, ResizesOnConversion())  # checked against the new shape
    assert hello.get_tensor(0).shape == (3, 1)

    class IndexThatResizes:
        def __index__(self):
            hello.resize_tensor_input(0, [2, 1])
            hello.allocate_tensors()
            return 0

    view = hello.tensor(IndexThatResizes())()
    assert view.shape == (2, 1)
    held = []

    class ShapeThatTakesAView:
        def __iter__(self):
            held.append(hello.tensor(0)())
            return iter([4, 1])

    with pytest.raises(RuntimeError, match="tensor()"):
        hello.resize_tensor_input(0, ShapeThatTakesAView())
    del view, held[:]
    hello.resize_tensor_input(0, [1, 1])
    hello.allocate_tensors()
    assert abs(run_hello(hello, 1.0)[0, 0] - np.sin(1.0)) < 0.1


# ---- string tensors ----

@pytest.fixture
def strings_model(model_path):
    """while_op_with_forwarding_input: input 1 is a string tensor of shape [1]."""
    try:
        it = Interpreter(model_path=model_path("while_op_with_forwarding_input"))
        it.allocate_tensors()
    except mote.UnsupportedError as e:
        pytest.skip(f"while_op_with_forwarding_input: {e}")
    return it


def test_string_details(strings_model):
    detail = strings_model.get_input_details()[1]
    assert detail["dtype"] is np.bytes_
    assert detail["shape"].tolist() == [1]


def test_set_and_get_strings(strings_model):
    it = strings_model
    index = it.get_input_details()[1]["index"]
    with pytest.raises(ValueError, match="no strings yet"):
        it.get_tensor(index)
    for value in (np.array([b"hello"], dtype=object), np.array([b"hello"]),
                  np.array(["hello"]), ["hello"]):
        it.set_tensor(index, value)
        got = it.get_tensor(index)
        assert got.dtype == object and got.shape == (1,) and got[0] == b"hello"
    it.set_tensor(index, np.array(["h\u00e9llo \u2603"]))  # str goes in as UTF-8
    assert it.get_tensor(index)[0] == "h\u00e9llo \u2603".encode()
    it.set_tensor(index, np.array([b""], dtype=object))
    assert it.get_tensor(index)[0] == b""
    with pytest.raises(ValueError, match="Dimension mismatch"):
        it.set_tensor(index, np.array([b"a", b"b"], dtype=object))
    with pytest.raises(ValueError, match="not bytes or str"):
        it.set_tensor(index, np.array([3], dtype=object))
    with pytest.raises(ValueError, match="Got value of type FLOAT32"):
        it.set_tensor(index, np.zeros(1, dtype=np.float32))
    with pytest.raises(ValueError, match="no NumPy view"):
        it.tensor(index)()


def test_string_model_runs(strings_model):
    it = strings_model
    ins = it.get_input_details()
    it.set_tensor(ins[0]["index"], np.array([3], dtype=np.int32))
    it.set_tensor(ins[1]["index"], np.array([b"abc"], dtype=object))
    it.invoke()
    outs = [it.get_tensor(d["index"]) for d in it.get_output_details()]
    assert isinstance(outs[0], np.int32) and isinstance(outs[1], np.int32)
    assert outs[2].dtype == object and outs[2].shape == (1,)
