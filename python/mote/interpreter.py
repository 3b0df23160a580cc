"""mote.interpreter — TensorFlow Lite's Python Interpreter API, run by Mote.

A drop-in for ``tflite_runtime.interpreter``: the same class and method names, arguments,
return shapes and errors, so that::

    from mote.interpreter import Interpreter     # instead of tflite_runtime.interpreter

runs existing scripts. The work happens in the C extension mote._mote (Mote's C API);
this module adapts arguments and shapes results. Tensor indices are subgraph 0 tensor
indices, as in TensorFlow Lite.
"""
import enum
import warnings

import numpy as np

from mote import _mote

UnsupportedError = _mote.UnsupportedError

__all__ = ["Interpreter", "InterpreterWithCustomOps", "SignatureRunner", "OpResolverType",
           "load_delegate", "Delegate", "UnsupportedError"]


class Delegate:
    """Stands where TensorFlow Lite's delegate class does. Mote has no delegates: it runs
    every operator itself, so no Delegate can be made (see load_delegate)."""

    def __init__(self, library, options=None):
        raise ValueError(f"Mote has no delegates: cannot load {library!r}")


def load_delegate(library, options=None):
    """Always raises ValueError: Mote runs every operator itself and loads no delegates.
    Scripts that fall back to the CPU on ValueError keep working."""
    del options
    raise ValueError(f"Failed to load delegate from {library}\n"
                     "Mote has no delegates: it runs every operator itself")


@enum.unique
class OpResolverType(enum.Enum):
    """Which kernels run the model. AUTO and BUILTIN: Mote's optimized kernels;
    BUILTIN_REF: its reference kernels; BUILTIN_WITHOUT_DEFAULT_DELEGATES: the same as
    BUILTIN (Mote has no default delegate)."""
    AUTO = 0
    BUILTIN = 1
    BUILTIN_REF = 2
    BUILTIN_WITHOUT_DEFAULT_DELEGATES = 3


class SignatureRunner:
    """Runs one SignatureDef of a model by its input and output names. Made by
    Interpreter.get_signature_runner(); calling it with the inputs as keyword arguments
    returns a dict from output name to a NumPy array (a copy)."""

    def __init__(self, interpreter=None, signature_key=None):
        if not interpreter:
            raise ValueError("None interpreter provided.")
        if not signature_key:
            raise ValueError("None signature_key provided.")
        signatures = interpreter._get_full_signature_list()
        if signature_key not in signatures:
            raise ValueError(f"Invalid signature_key provided: {signature_key!r} (the model has "
                             f"{', '.join(map(repr, signatures)) or 'none'}).")
        self._interpreter = interpreter
        self._impl = interpreter._interpreter
        self._signature_key = signature_key
        self._inputs = signatures[signature_key]["inputs"]
        self._outputs = signatures[signature_key]["outputs"]

    def __call__(self, **kwargs):
        if len(kwargs) != len(self._inputs):
            raise ValueError("Invalid number of inputs provided for running a SignatureDef, "
                             f"expected {len(self._inputs)} vs provided {len(kwargs)}")
        impl, key = self._impl, self._signature_key
        values = {}
        for name, value in kwargs.items():
            if name not in self._inputs:
                raise ValueError(f"Invalid Input name ({name}) for SignatureDef")
            value = value if isinstance(value, np.ndarray) else np.asarray(value)
            values[name] = value
            impl.signature_resize(key, name, value.shape)
        impl.allocate_tensors()
        for name, value in values.items():
            impl.signature_set(key, name, value)
        impl.signature_invoke(key)
        return {name: impl.signature_get(key, name) for name in self._outputs}

    def get_input_details(self):
        """{input name: details dict} (the fields of Interpreter.get_input_details())."""
        return {name: self._impl.signature_details(self._signature_key, False, name)
                for name in self._inputs}

    def get_output_details(self):
        """{output name: details dict}."""
        return {name: self._impl.signature_details(self._signature_key, True, name)
                for name in self._outputs}


class Interpreter:
    """Runs a TensorFlow Lite model: load, allocate_tensors(), set_tensor(), invoke(),
    get_tensor(), as with tflite_runtime.interpreter.Interpreter.

    model_path or model_content (bytes, kept referenced) names the model. num_threads
    sets the kernel threads (None: 1). experimental_delegates are accepted but ignored
    with a warning (Mote has none). experimental_op_resolver_type BUILTIN_REF selects
    Mote's reference kernels. The other experimental_* flags are accepted and change
    nothing. Raises ValueError when the model cannot be loaded, and mote.UnsupportedError
    (a ValueError) when it needs operators Mote does not implement yet.
    """

    def __init__(self, model_path=None, model_content=None, experimental_delegates=None,
                 num_threads=None, experimental_op_resolver_type=OpResolverType.AUTO,
                 experimental_preserve_all_tensors=False,
                 experimental_disable_delegate_clustering=False,
                 experimental_default_delegate_latest_features=False):
        del experimental_disable_delegate_clustering, experimental_default_delegate_latest_features
        if not isinstance(experimental_op_resolver_type, OpResolverType):
            raise ValueError("Unrecognized passed in op resolver type: "
                             f"{experimental_op_resolver_type}")
        if num_threads is not None:
            if not isinstance(num_threads, int):
                raise ValueError("type of num_threads should be int")
            if num_threads < -1:
                raise ValueError("num_threads should be >= -1")
        # -1 ("let the runtime decide") and 0 mean Mote's default, one thread.
        threads = num_threads if num_threads is not None and num_threads >= 1 else 1
        reference = experimental_op_resolver_type == OpResolverType.BUILTIN_REF
        # TFLite keeps intermediate tensors only with experimental_preserve_all_tensors;
        # Mote's planner always reuses their memory, so the flag changes nothing yet.
        self._preserve_all_tensors = bool(experimental_preserve_all_tensors)

        if model_path and not model_content:
            self._interpreter = _mote.Interpreter(model_path=model_path, num_threads=threads,
                                                  reference_kernels=reference)
        elif model_content and not model_path:
            self._model_content = model_content  # the model is read in place
            self._interpreter = _mote.Interpreter(model_content=model_content,
                                                  num_threads=threads,
                                                  reference_kernels=reference)
        elif not model_content and not model_path:
            raise ValueError("`model_path` or `model_content` must be specified.")
        else:
            raise ValueError("Can't both provide `model_path` and `model_content`")

        self._delegates = []
        if experimental_delegates:
            warnings.warn("Mote has no delegates: experimental_delegates are ignored and every "
                          "operator runs in Mote", RuntimeWarning, stacklevel=2)
            self._delegates = list(experimental_delegates)
        self._signature_defs = self.get_signature_list()

    # ---- running ----

    def allocate_tensors(self):
        """Plans and allocates tensor memory. Needed before the first invoke() and after
        resize_tensor_input(); otherwise it changes nothing."""
        return self._interpreter.allocate_tensors()

    def invoke(self):
        """Runs the model on the inputs set. Releases the GIL while it runs, so other Python
        threads (and other interpreters) keep going. Raises RuntimeError on failure, and
        while arrays from tensor() are still alive."""
        self._interpreter.invoke()

    def reset_all_variables(self):
        """Resets variable tensors (recurrent state) to their initial values."""
        return self._interpreter.reset_variables()

    # ---- tensors ----

    def get_input_details(self):
        """A list with one details dict per input: name, index, shape, shape_signature,
        dtype, quantization, quantization_parameters, sparsity_parameters."""
        impl = self._interpreter
        return [impl.details(i) for i in impl.input_indices()]

    def get_output_details(self):
        """A list with one details dict per output (the fields of get_input_details())."""
        impl = self._interpreter
        return [impl.details(i) for i in impl.output_indices()]

    def get_tensor_details(self, subgraph_index=0):
        """Details dicts of every tensor of a subgraph that NumPy can represent."""
        self._check_subgraph(subgraph_index)
        details = []
        for i in range(self._interpreter.tensor_count()):
            try:
                details.append(self._interpreter.details(i))
            except ValueError:
                pass
        return details

    def _get_tensor_details(self, tensor_index, subgraph_index):
        self._check_subgraph(subgraph_index)
        return self._interpreter.details(int(tensor_index))

    def set_tensor(self, tensor_index, value):
        """Copies value (a NumPy array of the tensor's exact dtype and shape) into a tensor.
        Raises ValueError on a mismatch, as TensorFlow Lite does."""
        self._interpreter.set_tensor(tensor_index, value)

    def get_tensor(self, tensor_index, subgraph_index=0):
        """A copy of a tensor as a NumPy array (a NumPy scalar for rank 0)."""
        if subgraph_index != 0:
            self._check_subgraph(subgraph_index)
        return self._interpreter.get_tensor(tensor_index)

    def tensor(self, tensor_index):
        """Returns a function that gives a NumPy array over the tensor's own memory, without
        copying. Hold the function, not the array: allocate_tensors(), invoke() and
        resize_tensor_input() raise RuntimeError while such an array is alive (it would
        otherwise point into memory they may move). An array keeps the interpreter's memory
        alive, so it stays valid even if the Interpreter object goes away."""
        impl = self._interpreter
        return lambda: impl.view(tensor_index)

    def resize_tensor_input(self, input_index, tensor_size, strict=False):
        """Changes the shape of an input (by tensor index); call allocate_tensors() next.
        With strict=True only dimensions that the shape signature marks -1 may change."""
        self._interpreter.resize_input(input_index, tensor_size, bool(strict))

    # ---- signatures ----

    def get_signature_list(self):
        """{signature key: {'inputs': [names], 'outputs': [names]}}."""
        return {key: {"inputs": list(sig["inputs"]), "outputs": list(sig["outputs"])}
                for key, sig in self._interpreter.signature_defs().items()}

    def _get_full_signature_list(self):
        """{signature key: {'inputs': {name: tensor index}, 'outputs': {...}}}."""
        return self._interpreter.signature_defs()

    def get_signature_runner(self, signature_key=None):
        """A SignatureRunner for one SignatureDef; signature_key may be None when the model
        has exactly one."""
        if signature_key is None:
            if len(self._signature_defs) != 1:
                raise ValueError(
                    f"SignatureDef signature_key is None and model has {len(self._signature_defs)} "
                    "Signatures. None is only allowed when the model has 1 SignatureDef")
            signature_key = next(iter(self._signature_defs))
        return SignatureRunner(interpreter=self, signature_key=signature_key)

    # ---- the model ----

    def num_subgraphs(self):
        """The number of subgraphs in the model."""
        return self._interpreter.subgraph_count()

    def _get_ops_details(self):
        """One dict per operator of subgraph 0: 'index', 'op_name', 'inputs' and 'outputs'
        (tensor indices, as TensorFlow Lite gives them)."""
        return [self._get_op_details(i) for i in range(len(self._interpreter.operator_names()))]

    def _get_op_details(self, op_index):
        """The _get_ops_details() entry of one operator."""
        names = self._interpreter.operator_names()
        index = int(op_index)
        if index < 0 or index >= len(names):
            raise ValueError("Invalid node index")
        inputs, outputs = self._interpreter.operator_tensors(index)
        return {"index": index, "op_name": names[index], "inputs": inputs, "outputs": outputs}

    def _check_subgraph(self, subgraph_index):
        count = self._interpreter.subgraph_count()
        index = int(subgraph_index)
        if index < 0 or index >= count:
            raise ValueError(f"subgraph_index is out of range: {subgraph_index} for the model, "
                             f"which has {count} subgraphs.")
        if index != 0:
            raise ValueError(f"subgraph_index {subgraph_index}: Mote gives access to subgraph 0 "
                             "tensors only; use get_signature_runner() for the others")


class InterpreterWithCustomOps(Interpreter):
    """TensorFlow Lite's Interpreter that registers custom operators through C++ registerer
    functions. Mote cannot call those: it accepts an empty list (and then is an ordinary
    Interpreter) and raises ValueError otherwise. Custom operators for Mote are registered
    in C (mote_options_add_op)."""

    def __init__(self, custom_op_registerers=None, **kwargs):
        if custom_op_registerers:
            raise ValueError("Mote cannot load TensorFlow Lite custom op registerers: "
                             f"{custom_op_registerers!r}")
        super().__init__(**kwargs)
