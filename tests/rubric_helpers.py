"""A small hand-written rubric for tests of pure logic (grading, labels, reports, follow-ups), so
that they check the logic, not the shipped rubrics' wording, which authors are free to change.
Tests that measure scoring quality keep the real rubrics."""

from __future__ import annotations

from genco_interview.rubric import Rubric, parse_rubric

TINY_ID = "tea-vs-coffee"
TINY_CONCEPTS = ["shared_mechanism", "driver", "one_vs_many"]
TINY_RUBRIC = """
schema_version: 1
id: tea-vs-coffee
title: Tea and coffee
tags: [testing]
depths:
  quick:
    question: How do tea and coffee differ?
    time_budget_minutes: 2
    concepts: {shared_mechanism: 2, driver: 2, one_vs_many: 2}
    model_answer: >-
      Both are brewed by steeping in hot water. Coffee is pushed through by a machine, tea is
      left to steep by you. A pot of tea gives many cups, an espresso shot gives one.
    follow_ups:
      - ask: Who decides when the brewing stops?
        concepts: [driver]
        good_answer: The machine stops coffee; with tea you take the leaves out yourself.
      - ask: How many cups does one brew give?
        concepts: [one_vs_many]
        good_answer: A pot of tea gives many cups, a shot of espresso one.
  detailed:
    question: Explain in detail how tea and coffee are brewed.
    time_budget_minutes: 5
    concepts: {shared_mechanism: 1, driver: 1, one_vs_many: 1}
    model_answer: >-
      Both are brewed by steeping in hot water. Coffee is pushed through by a machine, tea is
      left to steep by you. A pot of tea gives many cups, an espresso shot gives one.
    follow_ups:
      - ask: What does the machine do that you do by hand with tea?
        concepts: [driver, shared_mechanism]
        good_answer: It forces the water through and stops on its own.
concepts:
  - id: shared_mechanism
    name: Both are steeped
    description: Both are brewed by steeping in hot water.
    exemplars: [both are steeped in hot water, hot water extracts both, each is brewed in hot water]
  - id: driver
    name: Who drives the brew
    description: A machine pushes coffee through while tea is steeped by hand.
    exemplars: [a machine brews coffee, you steep tea by hand, coffee is pushed through by a machine]
  - id: one_vs_many
    name: One cup or many
    description: A pot of tea gives many cups while an espresso shot gives one.
    exemplars: [a pot gives many cups, a shot gives one cup, one brew of tea serves many]
misconceptions:
  - id: same_drink
    description: Thinks tea and coffee are the same drink.
    correction: They come from different plants.
    penalty: 12
    exemplars: [tea and coffee are the same, coffee is a kind of tea, they are one drink]
score_bands:
  - from: 0
    label: weak
    meaning: Cannot say how the two differ.
  - from: 40
    label: partial
    meaning: Knows one difference.
  - from: 70
    label: strong
    meaning: Explains how both are brewed and what each gives.
"""


def tiny_rubric() -> Rubric:
    """The rubric above, parsed: depths quick and detailed, three concepts of equal weight at each,
    the misconception `same_drink` (penalty 12), bands from 0, 40 and 70."""
    return parse_rubric(TINY_RUBRIC, f"{TINY_ID}.yaml")
