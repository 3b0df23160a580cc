"""mote — run TensorFlow Lite models with Mote, through the API of tflite_runtime.

    from mote import Interpreter          # or: from mote.interpreter import Interpreter
    interpreter = Interpreter(model_path="model.tflite")
    interpreter.allocate_tensors()
    ...

See mote.interpreter for the API (it matches tflite_runtime.interpreter.Interpreter).
"""
from mote._mote import MOTE_VERSION as __version__
from mote.interpreter import (Delegate, Interpreter, InterpreterWithCustomOps, OpResolverType,
                              SignatureRunner, UnsupportedError, load_delegate)

__all__ = ["Interpreter", "InterpreterWithCustomOps", "SignatureRunner", "OpResolverType",
           "load_delegate", "Delegate", "UnsupportedError", "__version__"]
