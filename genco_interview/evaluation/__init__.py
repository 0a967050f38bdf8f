"""How well genco agrees with human graders, and fitting a rubric to them.

metrics.py      labeled answers, agreement figures (Spearman, Pearson, QWK, MAE), concept F1
quality.py      scoring labeled sets per question and pooled, leave-one-question-out (`genco eval`)
calibration.py  a rubric's thresholds and grade map fitted to graded answers (`genco calibrate`)
lint.py         the meaning checks of `genco rubric validate`: a rubric read by the scorer itself
findings.py     what `genco rubric validate` reports of a file, as plain data (no numpy: `--schema-only`)
"""
