"""genco-interview: practise the coroutine-vs-generator interview question and get a concept-level score."""

__version__ = "0.1.0"
