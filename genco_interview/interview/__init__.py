"""The interviewer's side: grading a candidate's answer with overrides beside the machine's marks.

grading.py   a candidate's scorecard: overrides, the recomputed score, follow-up questions
mock.py      a mock interview as data: plan, steps, the follow-up probe, the report
"""
