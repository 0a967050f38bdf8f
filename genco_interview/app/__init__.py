"""The application layer: what a person asks genco to do, for any front end.

A command (and a web page) parses its input, calls one use case here, and renders what comes
back; none of them chooses a question, loads the model, scores, grades or stores by itself.
Failures are GencoError subclasses with one-line messages (errors.py); nothing here prints.

questions.py    which question and depth a command means
workbench.py    the model and scorers kept once loaded; scoring, grading, keeping answers
history.py      progress reports, candidates side by side, what to practise next, one attempt
interviews.py   mock interviews: planned, run, kept, read back
rubrics.py      rubrics drafted, written, read and validated
calibration.py  a rubric's thresholds fitted on labeled answers and written beside it
evaluation.py   agreement with human graders on labeled files (`genco eval`)
model.py        the ONNX export of the model and stale exports
"""
