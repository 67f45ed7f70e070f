"""Exit codes and the exception types that carry them.

The command line turns a FormreaderError into one line on stderr and its
exit code; no traceback reaches a user for a failure we know about.
"""

from enum import IntEnum


class ExitCode(IntEnum):
    ok = 0
    bad_args = 2  # click's own code for usage errors
    input_file = 3  # some input files could not be read; the rest were
    data = 4  # the MNIST data set is missing or damaged
    model = 5  # the model file is missing or damaged
    cluster = 6  # the Dask scheduler cannot be reached
    ctrl_c = 130


class FormreaderError(Exception):
    exit_code = ExitCode.bad_args


class DataError(FormreaderError):
    exit_code = ExitCode.data


class ModelError(FormreaderError):
    exit_code = ExitCode.model


class InputFileError(FormreaderError):
    """One input file cannot be read; the message names the file."""

    exit_code = ExitCode.input_file


class ClusterError(FormreaderError):
    exit_code = ExitCode.cluster
