"""Rubrics: the YAML files interviewers read, print, write and validate.

model.py     the rubric's data classes, reading and validating its YAML (file, line, field),
             calibration files, discovery on the search path, reference-answer rubrics
skeleton.py  the commented skeleton `genco rubric new` writes

The meaning checks of `genco rubric validate` need the scorer, which reads rubrics, so they live
above it, in evaluation/lint.py.
"""
