"""The one exception type the command-line tools turn into a single error line."""


class ModelError(Exception):
    """A model cannot be imported or built: unsupported, malformed or inconsistent.

    The message is complete on its own (it names the operator, tensor or byte offset at
    fault), so the tools print it after the file name and exit with status 1.
    """
