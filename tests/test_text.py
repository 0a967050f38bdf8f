"""How an answer's text is read before scoring: transcripts, invisible characters, shorthand, language."""

from __future__ import annotations

import pytest

from genco_interview.text.lexicon import invisible_characters
from genco_interview.text.reading import (
    admits_not_knowing,
    candidate_lines,
    expand_abbreviations,
    implied_candidate,
    is_blank,
    looks_english,
    normalise_answer,
    strip_invisible,
    unlabelled_candidate,
    unnamed_speakers,
    unscored_lines,
    without_decoration,
)


@pytest.mark.parametrize(("transcript", "kept"), [
    ("Interviewer: What is a generator?\nCandidate: It yields values.", "It yields values."),
    ("Q: What is a generator?\nA: It yields values.\nLazily.\nQ: And?\nA: Done.", "It yields values.\nLazily.\n\nDone."),
    ("**Interviewer**: Go on.\n**Candidate**: Frames are kept.", "Frames are kept."),
    ("[00:01] Interviewer (Sam): Why?\n[00:04] Candidate (Kim): Because.", "Because."),
    ("Me: Both share the frame machinery, right?\nCandidate: Yes.", "Yes."),
    ("Bob (interviewer): Same machinery underneath?\nAda: Yes, frames.", "Ada: Yes, frames."),
    ("[00:01] Bob: Same machinery, right?\n[00:03] Candidate: Yes.\n[00:05] Bob: Thanks.", "Yes."),
    ("Bob: Same machinery?\nCandidate: Yes, frames.\nBob: Thanks.\nAnything else?\nCandidate: No.", "Yes, frames.\n\nNo."),
    ("Candidate: Frames.\nCoroutines: driven by the loop.\nCandidate: And generators by iteration.",
     "Frames.\nCoroutines: driven by the loop.\nAnd generators by iteration."),  # a line of notes, handing over once
    ("Candidate: Two kinds.\nGenerators: lazy, pulled.\nOutput (3.11): 1 2 3", "Two kinds.\nGenerators: lazy, pulled.\n"
     "Output (3.11): 1 2 3"),
    ("[Interviewer] Both share the frame machinery, right?\n[Candidate] I don't know.", "I don't know."),
    ("Interviewer - Both share the frame machinery, right?\nCandidate \u2013 I don't know.", "I don't know."),
    ("Q. What is a generator?\nA. It yields values.\nQ. And?\nA. Done.", "It yields values.\n\nDone."),
    ("Interviewer> Both share the frame machinery, right?\nCandidate >> I don't know.", "I don't know."),  # a chat's prompt
    ("Interviewer>Both share the frames?\nCandidate\u2014 I don't know.", "I don't know."),
    ("Interviewer 10:01: Both share the frames?\nCandidate 10:02: I don't know.", "I don't know."),  # a time after
    ("Lead interviewer: Both share the frames?\nCandidate: I don't know.", "I don't know."),  # a role qualified
    ("Int: Both share the frames?\nCand: I don't know.", "I don't know."),  # notes' short forms
    ("Interviewer => Both share the frames?\nCandidate -> I don't know.", "I don't know."),  # arrows
    ("Candidate: Two cases.\nPlan A: generators.", "Two cases.\nPlan A: generators."),  # a letter is no role
    ("Candidate: Parts.\nThe question: who drives it?\nThe loop.", "Parts.\nThe question: who drives it?\nThe loop."),
    ("*Interviewer*: Both share the frames?\n*Candidate*: I don't know.", "I don't know."),  # italic
    ("Interviewer #1: Both share the frames?\nCandidate: I don't know.", "I don't know."),
    ("Candidate: Frames.\nPanelist: Would you agree both share the frames?\nCandidate: Yes.", "Frames.\n\nYes."),
    ("Bob [Interviewer]: Both share the frames?\nAda [Candidate]: I don't know.", "I don't know."),
    ("1. Interviewer: Both share the frames?\n2. Candidate: I don't know.", "I don't know."),  # a numbered list
    ("2024-05-01 10:01 Interviewer: Both share the frames?\n2024-05-01 10:02 Candidate: I don't know.", "I don't know."),
    ("### Interviewer\nBoth share the frames?\n### Candidate\nI don't know.", "\nI don't know."),  # Markdown headings
    ("Interviewer\nBoth share the frames?\n\nCandidate\nI don't know.", "\n\nI don't know."),  # a role alone on its line
    ("Candidate: Two parts.\nGenerators\nLazy.", "Two parts.\nGenerators\nLazy."),  # a word of notes alone: no role
    ("interviewer\nBoth share the frames?\ncandidate\nI don't know.", "\nI don't know."),  # lower case too
    ("Candidate: Two parts.\n### Generators\nLazy.", "Two parts.\n### Generators\nLazy."),  # a heading of notes
    ("Candidate: Two parts.\n```python\n# answer\nx = 1\n```", "Two parts.\n```python\n# answer\nx = 1\n```"),  # a comment
    ("Candidate: Two parts.\n1. Generators: lazy.", "Two parts.\n1. Generators: lazy."),  # a numbered note
    ("Q: Both?\nA: Two parts.\n[1] Generators: lazy.\n[2] Coroutines: awaited.",
     "Two parts.\n[1] Generators: lazy.\n[2] Coroutines: awaited."),  # a bracket without a time is no time stamp
    ("Q: Both?\nA: Two parts.\n- [x] Generators: lazy.", "Two parts.\n- [x] Generators: lazy."),  # a task list
    ("Q: Both?\nA: In order.\n00:00 loop: starts task one.\nDone.", "In order.\n00:00 loop: starts task one.\nDone."),
    ("Q: Both?\nA: Two parts.\nFollow-up (my interviewer pushed on this): lazy.",
     "Two parts.\nFollow-up (my interviewer pushed on this): lazy."),  # a remark in brackets, no role
    ("[10:32 AM] Priya Raman\nBoth share the frames?\n[10:33 AM] Candidate\nI don't know.", "\nI don't know."),
    ("Answer (the interviewer's question): both suspend.", "both suspend."),  # the role by name, not in brackets
    ("Q: Both?\nA: Two parts.\nGenerators (for me): lazy.", "Two parts.\nGenerators (for me): lazy."),
    ("Q: Both?\nA: Two parts.\nint: immutable.\nObserver: notifies.", "Two parts.\nint: immutable.\nObserver: notifies."),
    ("**Interviewer:** Both share the frames?\n**Candidate:** I don't know.", "I don't know."),  # the colon bold too
    ("Q1. Both share the frames?\nA1. I don't know.", "I don't know."),
    ("00:00:01.500 Interviewer: Both share the frames?\n00:00:04.250 Candidate: I don't know.", "I don't know."),
    ("Speaker 1  0:03\nBoth share the frames?\nCandidate  0:15\nI don't know.", "\nI don't know."),  # Otter
    ("[00:00:04] Priya Raman (Interviewer)\nBoth share the frames?\n[00:00:15] Candidate\nI don't know.",
     "\nI don't know."),  # Teams: a role in brackets on the name's own line
    ("Hiring Manager: Both share the frames.\nCandidate: I don't know.", "I don't know."),  # before the first turn
    ("Interviewer A: Both share the frames?\nCandidate B: I don't know.", "I don't know."),  # which of several
    ("Q1: Both share the frames?\nA1: I don't know.", "I don't know."),
    ("Interviewer (reading the model answer): Both share frames.\nCandidate: I don't know.", "I don't know."),
    ("[Interviewer 10:01] Both share the frames?\n[Candidate 10:02] I don't know.", "I don't know."),
    ("Candidate: Two cases.\nanswer > 0 means it yielded.", "Two cases.\nanswer > 0 means it yielded."),  # a comparison
    ("[00:01] Interviewer - Both share the frames?\n[00:05] Candidate - I don't know.", "I don't know."),
    ("q) Both share the frames?\na) I don't know.", "I don't know."),
    ("(00:01) Interviewer \u2014 Both share the frames?\n(00:05) Candidate \u2014 I don't know.", "I don't know."),
    ("Interviewer  10:32 AM\nBoth share the frame machinery, right?\nCandidate  10:33 AM\nI don't know.",
     "\nI don't know."),  # a chat export: the label and its time on a line of their own
])
def test_a_transcript_keeps_only_the_candidates_lines(transcript: str, kept: str) -> None:
    assert candidate_lines(transcript) == kept


@pytest.mark.parametrize(("captions", "kept"), [
    ("WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\n<v Priya Raman>Both share the frames?</v>\n\n2\n"
     "00:00:05.000 --> 00:00:09.000\n<v Candidate>I don't know.</v>", "I don't know."),  # Teams
    ("WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\nInterviewer: Both share the frames?\n\n2\n"
     "00:00:45.000 --> 00:00:58.000\nCandidate: A generator yields many values.", "A generator yields many values."),
    ("1\n00:00:01,000 --> 00:00:04,000\nInterviewer: Both share the frames?\n\n2\n00:00:05,000 --> 00:00:09,000\n"
     "Candidate: I don't know.", "I don't know."),  # SubRip
    ("Step 1\nA generator yields values.", "Step 1\nA generator yields values."),  # no timing line: no caption file
    ("WEBVTT\n\nNOTE recorded by Zoom\n\na1b2c3d4-0001/12-0\n00:00:01.000 --> 00:00:04.000\n<v Interviewer>Both?</v>\n\n"
     "a1b2c3d4-0002/12-0\n00:00:05.000 --> 00:00:09.000\n<v Candidate>I don't know.</v>", "I don't know."),  # Teams ids
    ("```\nWEBVTT\n00:00:01.000 --> 00:00:02.000\n```\nA generator yields values.",
     "```\nWEBVTT\n00:00:01.000 --> 00:00:02.000\n```\nA generator yields values."),  # in a code fence: code
])
def test_a_caption_file_is_read_as_the_lines_people_said(captions: str, kept: str) -> None:
    """A cue's timing line was a sentence of the answer ("00:00:45.000 --> 00:00:58.000 A generator yields
    many values" named a misconception the sentence alone does not), and a voice tag hid whose line it was."""
    from genco_interview.text.reading import normalise_answer

    assert normalise_answer(captions, transcript=True).strip() == kept


def test_two_speakers_of_a_caption_file_are_noted_when_no_candidate_is_named() -> None:
    """A Teams file with one question and one answer scored the interviewer's words with nothing on the
    card: two plain names must take turns twice to be speakers, but a cue's time makes its label one."""
    captions = ("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Priya Raman>How is a coroutine different?</v>\n\n"
                "00:00:05.000 --> 00:00:09.000\n<v Ada Lovelace>A coroutine is awaited.</v>")
    assert unnamed_speakers(captions) is not None and "Priya Raman:" in unnamed_speakers(captions)


@pytest.mark.parametrize(("transcript", "candidate", "kept"), [
    ("Interviewer: Generators iterate, coroutines await. Agreed?\nBob: Yes, exactly.", None, "Bob: Yes, exactly."),
    ("Interviewer: Generators iterate, coroutines await. Agreed?\nBob: Yes, exactly.", "Bob", "Yes, exactly."),
    ("Interviewer: Same frames?\nAda: Yes.\nInterviewer: And?\nAda: Frames.", "Ada Lovelace", "Yes.\n\nFrames."),
    ("Interviewer: Same frames?\nCandidate: Yes.", "Kim", "Yes."),
    ("Interviewer: Same frames?\nAda: Yes.\nInterviewer: And?\nAda: Frames.", "Grace", "Yes.\n\nFrames."),  # the one
    ("Interviewer: Same frames?\nAda: Yes.\nInterviewer: And?\nAda: Frames.", None, "Yes.\n\nFrames."),  # answering
    ("Interviewer: Same frames?\nGenerators: lazy.\nCoroutines: awaited.", "Grace",
     "Generators: lazy.\nCoroutines: awaited."),  # notes, handed over to once
    ("Interviewer: Generators iterate, coroutines await. Agreed?\nYes, exactly.", None, "Yes, exactly."),
    ("Interviewer: Same frames?\n\u00c9lodie: Yes.", "\u00c9lodie", "Yes."),
    ("Interviewer  00:01\nSame frames?\n\nAda Lovelace  00:05\nYes.", "Ada", "\nYes."),  # a meeting transcript's
    ("Interviewer  00:01\nSame frames?\nAda  00:05\nYes.\nInterviewer  00:09\nAnd?\nAda  00:12\nFrames.", "Ada",
     "\nYes.\n\nFrames."),  # headers: each name and time on a line of its own
    ("Interviewer (00:01)\nSame frames?\nAda (00:05)\nYes.", "Ada", "\nYes."),
    ("[00:01] Interviewer\nSame frames?\n[00:05] Ada\nYes.", "Ada", "\nYes."),
    ("Interviewer: Same frames?\nAda de Lovelace: Yes.", "Ada de Lovelace", "Yes."),
    ("Interviewer: Same frames?\nJuan de la Cruz: Yes.\nInterviewer: And?\nJuan de la Cruz: Frames.", "Cruz",
     "Yes.\n\nFrames."),  # particles in a row
    ("Interviewer: Same frames?\nDr. Ada Lovelace: Yes.", "Ada Lovelace", "Yes."),  # a title is no first name
    ("Interviewer: Same frames?\nAda Lovelace: Yes.", "Dr Lovelace", "Yes."),
    ("Mr. Lovelace: Same frames?\nMrs. Lovelace: Yes.\nMr. Lovelace: And?\nMrs. Lovelace: Frames.", "Mrs. Lovelace",
     "Yes.\n\nFrames."),  # two titles, two people
    ("Dr. Ada Smith (interviewer): Same frames?\nAda Lovelace: Yes.", "Ada", "Yes."),  # the asking Ada is not her
    ("Interviewer 1: Same frames?\nCandidate: Yes.", None, "Yes."),
    ("00:01:02 Interviewer: Same frames?\n00:01:30 Ada: Yes.", None, "Yes."),  # a time stamp makes a speaker
    ("> Interviewer: Same frames?\n> Ada: Yes.", None, "> Ada: Yes."),
    ("Interviewer\uff1a Same frames?\nAda\uff1a Yes.", None, "Ada\uff1a Yes."),
    ("Bob: Generators iterate, coroutines await.\nAda: Yes, exactly.", "Ada", "Yes, exactly."),
    ("Interviewer: Same frames?\nA. Lovelace: Yes.\nInterviewer: And?\nLovelace: Frames.", "A. Lovelace",
     "Yes.\n\nFrames."),  # the candidate's surname alone labels their lines too
    ("Interviewer: Same frames?\nA. Lovelace: Yes.\nInterviewer: And?\nA. Lovelace: Frames.", "Lovelace",
     "Yes.\n\nFrames."),  # and a surname given alone is known under its initials
    ("Interviewer: Same frames?\nAda B. Lovelace: Yes.", "Ada Lovelace", "Yes."),
    ("Interviewer: Same frames?\nAda Lovelace: Yes.", "A. Lovelace", "Yes."),  # a shorter name than the label's
    ("Interviewer: Same frames?\nAda Lovelace: Yes.", "Lovelace", "Yes."),
    ("Interviewer: Same frames?\nAda Lovelace: Yes.", "Ada", "Yes."),
    ("Interviewer: Same frames?\nAda  Lovelace: Yes.\nInterviewer: And?\nAda  Lovelace: Frames.", "Ada Lovelace",
     "Yes.\n\nFrames."),  # two spaces typed between the name's words
    ("Interviewer: Same frames?\nAda\u00a0Lovelace: Yes.\nInterviewer: And?\nAda\tLovelace: Frames.", "Ada Lovelace",
     "Yes.\n\nFrames."),  # a no-break space (a pasted document's) or a tab
    ("Speaker 1 (Interviewer): Same frames?\nSpeaker 2 (Ada): Yes.\nSpeaker 1 (Interviewer): And?\nSpeaker 2 (Ada): "
     "Frames.", "Ada Lovelace", "Yes.\n\nFrames."),  # the candidate named in a label's brackets
    ("Bob: Same frames?\nJohn (Ada): Yes.\nBob: And?\nJohn (Ada): Frames.", "Ada", "Yes.\n\nFrames."),
    ("Alex Smith: Same frames?\nAlex Jones: Yes.\nAlex Smith: And?\nAlex Jones: Frames.", "Alex Jones",
     "Yes.\n\nFrames."),  # two people a first name fits: the one named in full
    ("Alex Smith: Same frames?\nAlex: Yes.\nAlex Smith: And?\nAlex: Frames.", "Alex", "Yes.\n\nFrames."),
    ("Interviewer: Same frames?\nMe: Yes.", "Me", "Yes."),  # a name given wins over the label read as the interviewer's
    ("Q: Same frames?\nInterviewer: Yes.", "Interviewer", "Yes."),
    ("Speaker 1: Same frames?\nSpeaker 2: Yes.\nSpeaker 1: And?\nSpeaker 2: Frames.", "Speaker 2",
     "Yes.\n\nFrames."),  # a number is no initial
    ("Interviewer: Same frames?\nZo\u00eb \u00c5ngstr\u00f6m: Yes.", "Zoe\u0308 A\u030angstro\u0308m", "Yes."),
    ("Bob: Same frames?\n\u0410\u043b\u0435\u043a\u0441\u0435\u0439: Yes.\nBob: And?\n"
     "\u0410\u043b\u0435\u043a\u0441\u0435\u0439: Frames.", "\u0410\u043b\u0435\u043a\u0441\u0435\u0439",
     "Yes.\n\nFrames."),  # read with the transcript's look-alike letters, as the transcript is
    ("Priya: Both share the frames?\nBob: And the loop?\nAda: I don't know.", "Ada", "I don't know."),  # a panel
    ("Interviewer: Why?\nCandidate: The loop drives it.\nHiring Manager: Some say they use threads. Right?\n"
     "Candidate: One thread.", None, "The loop drives it.\n\nOne thread."),  # joins later: asks, hands over once
    ("Interviewer: Why?\nCandidate: The loop drives it.\nTom: Some say they use threads. Right?\nCandidate: One "
     "thread.", None, "The loop drives it.\n\nOne thread."),
    ("Interviewer: Why?\nCandidate 1: The loop drives it.\nCandidate 2: They run on threads.\nCandidate 1: One "
     "thread.", "Candidate 1", "The loop drives it.\n\nOne thread."),  # numbered candidates, one named
    ("Interviewer: Why?\nCandidate: The loop drives it.\nSam: Sorry I'm late. I heard threads. Walk me through it.\n"
     "Candidate: One thread.", None, "The loop drives it.\n\nOne thread."),  # hands the floor over without a "?"
    ("Interviewer: Why?\nAlice (candidate): The loop drives it.\nBob (candidate): Threads.\nInterviewer: And?\n"
     "Alice (candidate): One thread.", "Alice", "The loop drives it.\n\nOne thread."),  # another candidate by role
    ("Interviewer: Why?\nAda: Two.\nGenerators: pulled.\nCoroutines: driven.\nInterviewer: And?\nAda: Both.\n"
     "Generators: suspend.\nCoroutines: too.", "Ada", "Two.\nGenerators: pulled.\nCoroutines: driven.\n\nBoth.\n"
     "Generators: suspend.\nCoroutines: too."),  # her headings in two answers: hers, though a "Bob:" would be too
    ("Interviewer: Why?\nAda: Two.\nStep 1: pulled.\nAda: Both.", "Ada", "Two.\nStep 1: pulled.\nBoth."),
    ("Interviewer: Why?\nCandidate: Sure. Question: do you mean async def? I'll assume so.\nThe loop drives it.", None,
     "Sure. Question: do you mean async def? I'll assume so.\nThe loop drives it."),  # a question of theirs
    ("Interviewer: Why?\nCandidate: With a queue:\n    q: asyncio.Queue = asyncio.Queue()\nThe loop drives it.", None,
     "With a queue:\n    q: asyncio.Queue = asyncio.Queue()\nThe loop drives it."),  # unfenced code, not "Q:"
    ("Interviewer: Why?\nAda: Two.\nCoroutines: driven. Please continue.\nAda: Both.", "Ada",
     "Two.\nCoroutines: driven. Please continue.\nBoth."),  # a heading of hers never hands over
    ("Interviewer: Why?\nAda: Frames.\nSummary: the loop drives it.\nInterviewer: And?\nAda: Two.\nSummary: one "
     "result.", "Ada", "Frames.\nSummary: the loop drives it.\n\nTwo.\nSummary: one result."),  # her own headings
    ("Interviewer: Why?\nAda: Frames.\nExample: a for loop.\nInterviewer: And?\nAda: Two.\nExample: await.", "Ada",
     "Frames.\nExample: a for loop.\n\nTwo.\nExample: await."),
    ("Interviewer: Why?\nCandidate: Frames. I would describe it as a pipeline.\nCandidate: The loop.", None,
     "Frames. I would describe it as a pipeline.\nThe loop."),
    ("Candidate profile: senior, said threads.\nInterviewer: Why?\nCandidate: The loop drives it.", None,
     "The loop drives it."),  # above every label: the transcript's heading
    ("Interviewer: Why?\nCandidate: Frames.\n(Interviewer: noting they may mean threads.)\nCandidate: The loop.",
     None, "Frames.\n\nThe loop."),  # an aside in brackets
    ("__Interviewer__: Why?\n_Candidate:_ The loop drives it.", None, "The loop drives it."),  # italic with "_"
])
def test_a_transcript_pasted_to_grade_drops_the_plain_interviewers_lines(transcript: str, candidate: str | None,
                                                                          kept: str) -> None:
    """A transcript given to grade is one: "Interviewer:" is a speaker even when the candidate's label
    is a name, and the name the interviewer gave labels the candidate's lines."""
    assert candidate_lines(transcript, candidate, transcript=True) == kept


@pytest.mark.parametrize(("transcript", "candidate", "kept"), [
    ("Interviewer: Why?\nCandidate: The loop drives it.\nVerdict: Weak. Thinks coroutines are threads.", None,
     "The loop drives it."),  # a verdict after the last turn, once read as the candidate's (red flag and all)
    ("Dana: Why?\nPriya: The loop drives it.\nFeedback: thinks coroutines are threads.\nsecond line of it", "Priya",
     "The loop drives it."),  # a note runs to the next label or blank line
    ("Interviewer notes: strong.\n\nInterviewer: Why?\nCandidate: The loop drives it.", None, "The loop drives it."),
    ("Interviewer: Why?\nCandidate: The loop drives it.\nHiring decision: no hire", None, "The loop drives it."),
    ("Interviewer: Why?\nCandidate: The loop drives it.\nAssessment:\nStrong.\n\nWeak on coroutines.\n\nConcerns: "
     "thinks coroutines are threads\nRating: 3/5", None, "The loop drives it."),  # after a turn: to the next speaker
    ("Interviewer: Why?\nCandidate: The loop drives it.\nVerdict: weak.\nInterviewer: And?\nCandidate: One thread.",
     None, "The loop drives it.\n\nOne thread."),
    ("Verdict: weak.\n\nThe loop drives it.", None, "The loop drives it."),  # before any turn: to a blank line
    ("Interviewer: Why?\nCandidate: The loop drives it.\nFeedback (for the candidate): coroutines are threads", None,
     "The loop drives it."),  # the note's label outweighs the words in its brackets
    ("Interviewer: Why?\nCandidate: Two differences.\nEvaluation: a generator is evaluated lazily.", None,
     "Two differences.\nEvaluation: a generator is evaluated lazily."),  # a candidate's own heading
    ("Interviewer: Why?\nCandidate: The loop drives it.\nSummary: coroutines are awaited.", None,
     "The loop drives it.\nSummary: coroutines are awaited."),  # a candidate heads their own lines so
    ("Interviewer: Why?\nThe loop drives it.\nVerdict: weak.", None, "The loop drives it."),  # no candidate label
    ("The loop drives it.\nVerdict: weak.", None, "The loop drives it."),  # the reply alone, then the note
])
def test_an_interviewers_own_notes_in_a_transcript_are_not_the_candidates(transcript: str, candidate: str | None,
                                                                          kept: str) -> None:
    from genco_interview.text.reading import normalise_answer

    assert normalise_answer(transcript, candidate, transcript=True) == kept


@pytest.mark.parametrize(("transcript", "said"), [
    ("Interviewer: Why?\nCandidate: The loop.\nSummary: weak.\nRecommendation: no hire.", ["Summary", "Recommendation"]),
    ("Interviewer: Why?\nCandidate: The loop.\nSummary: weak.\nInterviewer: And?\nCandidate: One.", []),  # not the last
    ("Interviewer: Why?\nCandidate: The loop.\nVerdict: weak.\nSummary: no hire.", []),  # inside a note: not scored
    ("Interviewer: Why?\nCandidate: The loop.\nExample: a for loop.", []),  # a heading only a candidate writes
    ("Summary: the loop drives it.", []),  # no turns at all
])
def test_a_heading_either_may_write_below_the_last_turn_is_said(transcript: str, said: list[str]) -> None:
    """An interviewer's "Summary: Did not say a coroutine resolves to one result" below the candidate's last turn
    was credited to the candidate with no word on the card."""
    from genco_interview.text.reading import headings_after_the_last_turn

    assert headings_after_the_last_turn(transcript) == said


@pytest.mark.parametrize(("transcript", "said"), [
    ("Candidate: Not sure, something async.\nDana: Actually, a generator is pulled by a for loop.", ["Dana"]),
    ("Interviewer: Why?\nCandidate: The loop.\nBob Smith: No, the caller drives it.", ["Bob Smith"]),
    ("Interviewer: Why?\nCandidate: The loop.\nGenerators: pulled by for loops.", []),  # a heading of theirs
    ("Interviewer: Why?\nCandidate: The loop.\nSummary: weak.", []),  # said as a heading either may write
    ("Interviewer: Why?\nCandidate: The loop.\nInterviewer: No, the caller drives it.", []),  # a speaker's turn
    ("Interviewer: How do they differ?\nPriya: A generator yields.\nBob: The loop drives it.", []),  # no label known
])
def test_a_plain_name_below_the_last_turn_is_said(transcript: str, said: list[str]) -> None:
    """An interviewer's correction under "Dana:" after the candidate's only turn was scored as the candidate's (2.8
    to 56.6), with no word on the card."""
    from genco_interview.text.reading import names_after_the_last_turn

    assert names_after_the_last_turn(transcript) == said


@pytest.mark.parametrize("label", ["[Verdict]", "Verdict -", "## Verdict\n", "Final verdict:", "Interviewer's verdict:",
                                   "Interviewer\u2019s notes:", "Interviewer comment:", "Red flags:", "[Interviewer note]",
                                   "Interviewer notes -", "## Interviewer notes\n", "My notes:", "Red flag:",
                                   "Private note:", "Note to self:", "Hiring committee notes:", "_Verdict:_",
                                   "__Feedback__:"])
def test_every_form_of_an_interviewers_note_label_sets_the_note_apart(label: str) -> None:
    from genco_interview.text.reading import normalise_answer

    transcript = f"Interviewer: Why?\nCandidate: The loop drives it.\n{label} coroutines are threads"
    assert normalise_answer(transcript, None, transcript=True) == "The loop drives it."


@pytest.mark.parametrize(("transcript", "candidate", "said"), [
    ("Interviewer: Why?\nCandidate: Frames.\nSam: I heard threads. Walk me through it.\nCandidate: One thread.", None,
     "the lines labelled Sam: were read as another speaker's and not scored"),
    ("Candidate profile: senior.\nInterviewer: Why?\nCandidate: Frames.", None,
     "the lines above the first speaker's label were read as the transcript's heading and not scored"),
    ("Interviewer: Why?\nAda: Frames.\nExample: a loop.\nInterviewer: And?\nAda: Two.\nExample: await.", "Ada", None),
    ("Interviewer: Why?\nCandidate: Frames.", None, None),
])
def test_lines_read_as_another_speakers_are_said(transcript: str, candidate: str | None, said: str | None) -> None:
    """A candidate's own "Key point:" read as someone else's would vanish from the score without a word."""
    from genco_interview.text.reading import speakers_set_apart

    assert speakers_set_apart(transcript, candidate) == said


@pytest.mark.parametrize(("turn", "hands"), [("I heard threads. Walk me through it.", True),
                                             ("It does. Last one: describe what each produces.", True),
                                             ("Is that right?", True), ("I would describe it as a pipeline.", False),
                                             ("Let me explain.", False), ("Generators are lazy.", False)])
def test_a_turn_hands_the_floor_over_by_a_question_or_a_request(turn: str, hands: bool) -> None:
    from genco_interview.text.reading import hands_over

    assert hands_over(turn) is hands


def test_an_interviewers_note_labels_are_said_and_a_learners_own_verdict_stays_theirs() -> None:
    """Only a transcript pasted to grade has an interviewer's notes: a learner's "Verdict:" line is their answer."""
    from genco_interview.text.reading import graders_notes

    transcript = "Interviewer: Why?\nCandidate: Yes.\nVerdict: weak\nFeedback: ok\nverdict: no hire"
    assert graders_notes(transcript) == ["Verdict", "Feedback", "verdict"]
    assert graders_notes("Interviewer: Why?\nCandidate: Yes.\nSummary: the loop.") == []
    assert candidate_lines("The loop drives it.\nVerdict: both suspend.") == "The loop drives it.\nVerdict: both suspend."


def test_a_transcripts_label_with_a_title_names_the_candidate_given_without_one():
    """`--candidate Jones` for "Mrs. Jones:" lines was kept as the Mr. Jones graded before."""
    from genco_interview.text.reading import labelled_in_full

    transcript = "Interviewer: Why?\nMrs. Jones: Generators yield values.\nInterviewer: And?\nMrs. Jones: Loops."
    assert labelled_in_full(transcript, "Jones") == "Mrs. Jones"
    assert labelled_in_full(transcript, "Mrs. Jones") is None


def test_a_name_that_fits_two_speakers_labels_neither_and_the_card_says_so() -> None:
    """"--candidate Alex" for "Alex Smith:" asking and "Alex Jones:" answering scored the questions too,
    and said nothing: the card now says no label names the candidate."""
    transcript = "Alex Smith: Same frames?\nAlex Jones: Yes.\nAlex Smith: And?\nAlex Jones: Frames."
    assert candidate_lines(transcript, "Alex", transcript=True) != "Yes.\nFrames."
    assert unlabelled_candidate(transcript, "Alex") == ("no line is labelled with the candidate's name (Alex); the lines "
                                                        "under Alex Smith:, Alex Jones: were scored as theirs")


@pytest.mark.parametrize(("candidate", "said"), [
    ("Grace Hopper", "no line is labelled with the candidate's name (Grace Hopper); the lines under Ada: were "
                     "scored as theirs"),
    ("Ada Lovelace", None),  # a label names the candidate
    ("Konstantinopoulou-Papadimitriou Alexandra", "no line is labelled with the candidate's name (Konstantinopoulou-"
                                                  "Papadimitriou Alexand…); the lines under Ada: were scored as theirs"),
    (None, None),
    ("   ", None),
])
def test_a_candidate_named_by_no_label_is_said_on_the_card(candidate: str | None, said: str | None) -> None:
    """A mistyped --candidate scored another speaker's labelled lines as the candidate's, without a word."""
    assert unlabelled_candidate("Interviewer: Same frames?\nAda: Yes.\nInterviewer: And?\nAda: Frames.",
                                candidate) == said


def test_a_candidate_named_over_a_text_with_no_label_at_all_is_said_on_the_card() -> None:
    """A chat export in a form not read as labels (WhatsApp's "5/1/24, 10:32 AM - Priya Raman: ...") scored
    the interviewer's question, and the red flag it named, as the candidate's, with nothing on the card."""
    chat = "5/1/24, 10:32 AM - Priya Raman: Is a coroutine a thread?\n5/1/24, 10:33 AM - Ada Lovelace: No."
    assert unlabelled_candidate(chat, "Ada Lovelace") == (
        "no line is labelled with a speaker's name, the candidate's (Ada Lovelace) or another's: the whole text "
        "was scored as theirs")


@pytest.mark.parametrize(("transcript", "said"), [
    ("Bob: Same frames?\nAda Lovelace: Yes.\nBob: And?\nAda Lovelace: Frames.",
     "the lines labelled Bob:, Ada Lovelace: were all scored as the candidate's; name the candidate (--candidate "
     "NAME) to score only theirs"),
    ("Interviewer: Same frames?\nBob: Yes.\nAda Lovelace: No.\nBob: Frames.\nAda Lovelace: Sure.",
     "the lines labelled Bob:, Ada Lovelace: were all scored as the candidate's; name the candidate (--candidate "
     "NAME) to score only theirs"),  # an interviewer's label beside them
    ("Generators: lazy, pulled by next().\nCoroutines: awaited, driven by the loop.", None),  # notes, not speakers
    ("Sync: a for loop pulls values.\nAsync: the event loop drives it.", None),  # so are these
    ("Sync: a for loop pulls values. Why does it matter? It is lazy.\nAsync: the loop drives it.", None),  # no reply
    ("Sam: A generator is pulled by next(), right? Both suspend.\nAda: Yes.",  # one hand-over, but a question
     "the lines labelled Sam:, Ada: were all scored as the candidate's; name the candidate (--candidate NAME) to "
     "score only theirs"),
    ("Interviewer: Same frames?\nAda: Yes.\nInterviewer: And?\nAda: Frames.", None),  # the interviewer is known
    ("A plain answer with no labels.", None),
    ("Interviewer: Same frames?\nCandidate 1: Yes.\nCandidate 2: No.\nCandidate 1: Frames.",
     "the lines labelled Candidate 1:, Candidate 2: were all scored as one candidate's; name the candidate "
     "(--candidate NAME) to score only theirs"),  # a group interview
    ("Interviewer: Same frames?\nCandidate 1: Yes.\nInterviewer: And?\nCandidate 1: Frames.", None),  # one of them
    ("Interviewer: Same frames?\nAlice (candidate): Yes.\nBob (candidate): No.", "the lines labelled Alice:, Bob: "
     "were all scored as one candidate's; name the candidate (--candidate NAME) to score only theirs"),
])
def test_speakers_scored_together_for_want_of_a_candidates_name_are_said(transcript: str, said: str | None) -> None:
    """Graded without --candidate, "Bob:" and "Ada Lovelace:" lines were all scored (45.5 against 1.5 for Ada's
    alone), Bob's model answer among them, without a word."""
    assert unnamed_speakers(transcript) == said


def test_a_transcript_whose_candidate_has_no_label_needs_no_such_note() -> None:
    assert unlabelled_candidate("Interviewer: Same frames?\nYes, the same frames.", "Bob") is None


@pytest.mark.parametrize("candidate", [None, "Ada"])
def test_a_line_of_code_in_a_fence_is_never_a_speakers_label(candidate: str | None) -> None:
    """"q: asyncio.Queue = ..." in the candidate's code is an annotated name, not the interviewer's "Q:":
    read as one, it took the candidate's code and every line after it away."""
    code = "```python\nq: asyncio.Queue = asyncio.Queue()\nawait q.put(item)\n```"
    transcript = f"Interviewer: How do tasks hand items over?\nCandidate: With a queue:\n{code}\nThe consumer awaits get()."
    assert candidate_lines(transcript, candidate, transcript=True) == f"With a queue:\n{code}\nThe consumer awaits get()."


@pytest.mark.parametrize("text", [
    "A generator yields values.\nA coroutine awaits.",
    "Q: is a question I would ask back; a generator yields.",
    "Interviewer: what is a generator?\nIt yields values.",
    "Gen: lazy seq.\nCoro: awaited, one result.",
    "[00:01] Bob: frames are shared.\n[00:02] Ada: agreed.",
    "Interviewer: Generators?\nGenerators: lazy, pulled.\nInterviewer: And coroutines?\nDriven by the event loop.",
    "A. Generators yield values.\nB. Coroutines are awaited.",  # a lettered list, no "Q."
    "Generators are lazy.\nMeeting at 10:30\nCoroutines are awaited.",  # no name before a time
    "a. Generators yield values.\nb) Coroutines are awaited.\n  Done",
    "Generators - lazy, pulled.\nA - B is a line of notes.\nCandidate 10:33 is no label inside a line.",
])
def test_text_without_an_answering_label_is_left_as_typed(text: str) -> None:
    assert candidate_lines(text) == text


@pytest.mark.parametrize(("notes", "kept", "unscored"), [
    ("Q: what drives it?\nA: the loop.\nQuestion: who pulls values?\nThe for loop pulls them.",
     "the loop.\n\nThe for loop pulls them.", 0),
    ("Q: what drives it?\nA: the loop.\nQ2: who pulls values\nthe for loop pulls them.\nA: and next().",
     "the loop.\n\nand next().", 1),
    ("Q: explain the\ndifference, please?\nA: gens yield", "gens yield", 0),
    ("Q: explain the difference,\nwith an example of each\nA: gens yield.", "gens yield.", 0),  # no note there
    ("Q: what?\nA: x.\nQ: who drives it?**\nthe loop.", "x.\n\nthe loop.", 0),  # emphasis after the mark
    ("Interviewer: What is a generator?\nI think it yields lazily.\nMe: And it keeps state.",
     "I think it yields lazily.\nAnd it keeps state.", 0),  # an interviewer's question in a learner's notes too
    ("Interviewer: Why? Think of the loop.\nIt drives coroutines.\nCandidate: It does.", "It does.", 1),  # said
])
def test_a_learners_own_question_ends_at_its_question_mark(notes: str, kept: str, unscored: int) -> None:
    """"Question: who pulls values?" above the learner's own line, in notes answering with "A:", took
    that line away as the question's (scored as never typed, and nothing said): in notes a question
    under "Q:" or "Question:" ends at its question mark, and a line still read as a question's without
    one is counted for the card to say so. An interviewer's turn runs on to the next label."""
    assert candidate_lines(notes) == kept
    assert unscored_lines(notes) == unscored


ZOOM_CHAT = """10:02:13 From Dana Whitfield to Everyone:
	What is the difference between a Task and a coroutine?
10:03:40 From Tom Becker to Everyone:
	a coroutine does nothing until awaited
10:03:55 From Tom Becker to Everyone:
	a task wraps a coroutine and schedules it
10:04:10 From Dana Whitfield to Dana Whitfield(Direct Message):
	And a Future, which runs code?
10:04:30\t From  Tom Becker : a future holds a result set later
"""


def test_zooms_saved_chat_is_read_as_speakers_turns() -> None:
    """Zoom's "10:02:13 From Dana Whitfield to Everyone:" lines were no labels: the interviewer's questions
    were scored as the candidate's, and the headers quoted as evidence."""
    said = normalise_answer(ZOOM_CHAT, "Tom Becker", transcript=True)
    assert [line.strip() for line in said.splitlines() if line.strip()] == [
        "a coroutine does nothing until awaited", "a task wraps a coroutine and schedules it",
        "a future holds a result set later"]
    assert "Dana Whitfield:, Tom Becker:" in (unnamed_speakers(ZOOM_CHAT) or "")


def test_a_turn_without_final_punctuation_is_a_sentence_of_its_own() -> None:
    """A chat's turns read as one sentence, quoted whole as the evidence of three concepts."""
    chat = "Interviewer: go on\nCandidate: gens are lazy\nInterviewer: and?\nCandidate: the loop drives coroutines"
    assert candidate_lines(chat) == "gens are lazy\n\nthe loop drives coroutines"
    # two answers to two questions stay two paragraphs: read as one passage, the end of one and the start of
    # the next were quoted together as a red flag
    assert candidate_lines(chat.replace("lazy", "lazy.")) == "gens are lazy.\n\nthe loop drives coroutines"
    broken = "Interviewer: go\nAda: it is driven by the\nInterviewer: hm\nAda: event loop"  # one sentence, sent in two
    assert candidate_lines(broken, transcript=True) == "it is driven by the\nevent loop"


@pytest.mark.parametrize(("line", "kept"), [
    ("Interviewer: What is a generator? Candidate: It yields lazily.", "It yields lazily."),
    ("Q: What is a generator? A: It yields lazily. Q: And? A: It keeps state.", "It yields lazily.\n\nIt keeps state."),
    ("Candidate: Option A: use threads. Plan B: asyncio.", "Option A: use threads. Plan B: asyncio."),
])
def test_turns_pasted_on_one_line_are_read_as_turns(line: str, kept: str) -> None:
    """A transcript pasted as one line was one label's line, the interviewer's: the answer was dropped with it."""
    assert candidate_lines(line, transcript=True) == kept


def test_one_reply_opening_with_a_heading_leaves_the_unlabelled_ones_the_candidates() -> None:
    transcript = ("Interviewer: What is a generator?\nIt yields values lazily.\nInterviewer: And coroutines?\n"
                  "Summary: they are driven by the event loop.")
    assert candidate_lines(transcript, transcript=True) == ("It yields values lazily.\n\n"
                                                            "Summary: they are driven by the event loop.")


def test_a_chats_later_message_under_its_time_alone_is_no_speaker_called_am() -> None:
    chat = ("Priya Raman  10:32 AM\nWhat is a generator?\nDaniel Okafor  10:33 AM\nIt yields values lazily.\n"
            "10:34 AM\nand it keeps its state between calls.")
    assert "and it keeps its state between calls." in normalise_answer(chat, "Daniel Okafor", transcript=True)
    assert "AM:" not in (unnamed_speakers(chat) or "")


@pytest.mark.parametrize(("text", "candidate", "kept"), [
    # a heading among the candidate's unlabelled reply made the reply the interviewer's (57.6 to 9.8)
    ("Interviewer: What differs?\nA generator yields.\nA coroutine is awaited.\nExample: await coro().", None,
     "A generator yields.\nA coroutine is awaited.\nExample: await coro()."),
    ("Interviewer: What differs?\nA generator yields.\nExample: await coro().", "Ada Lovelace",
     "A generator yields.\nExample: await coro()."),
    # a name no label gives leaves the candidate's own "Note:" between two "Candidate:" turns a heading
    ("Interviewer: Why?\nCandidate: Frames.\nNote: the loop drives it.\nCandidate: And next().", "Ada Lovelace",
     "Frames.\nNote: the loop drives it.\nAnd next()."),
])
def test_a_heading_of_the_candidates_is_not_read_as_another_speaker(text: str, candidate: str | None, kept: str) -> None:
    assert candidate_lines(text, candidate, transcript=True) == kept


@pytest.mark.parametrize(("notes", "kept"), [
    ("Bob (interviewer): What differs?\nMe: A generator yields.\nBob (interviewer): Good.", "A generator yields."),
    ("Q: What differs?\nA: A generator yields.\nMe: A coroutine is awaited.", "A generator yields.\nA coroutine is awaited."),
    ("Me: What differs?\nCandidate: A generator yields.", "A generator yields."),  # a candidate named: Me asks
])
def test_me_in_a_learners_own_answer_is_the_learner(notes: str, kept: str) -> None:
    """A self-recorded mock's "Me:" lines were dropped as the interviewer's: it scored 0 and was not kept."""
    assert candidate_lines(notes) == kept
    assert candidate_lines("Me: What differs?\nCandidate: A generator yields.", transcript=True) == "A generator yields."


def test_a_transcripts_question_runs_on_to_the_next_label() -> None:
    """Pasted to grade, the interviewer's "Q:" turn is spoken: its second line is the interviewer's too."""
    transcript = "Q: Who drives a coroutine?\nThe loop, or something else?\nA: The event loop."
    assert candidate_lines(transcript, transcript=True) == "The event loop."


def test_invisible_characters_no_longer_split_words() -> None:
    assert strip_invisible("gene\u200brator\u00ad and co\ufeffroutine\x00end") == "generator and coroutine end"
    assert strip_invisible("\u202egenerator\u202c \u2067coroutine\u2069") == "generator coroutine"


def test_every_character_that_ends_a_line_is_a_line_break_not_dropped() -> None:
    """A form feed (pdftotext's page break), a vertical tab or NEL was dropped: "awaited\x0cby" read "awaitedby",
    and a transcript's lines ran into one, its candidate's labels unread (0.0)."""
    assert strip_invisible("awaited\x0cby the\x0bloop\x85and\r\nreturns\rone\u2028result") == \
        "awaited\nby the\nloop\nand\nreturns\none\nresult"


def test_every_invisible_character_of_the_lexicon_is_dropped_and_a_blank_one_is_a_space() -> None:
    """Variation selectors, the grapheme joiner, the Arabic letter mark and tag characters stayed in an
    answer (its own hard-coded list knew fewer than lexicon.yaml's), so a copy with one of them read as a
    different answer to `genco calibrate`; a Hangul filler or braille blank typed for a space joined words."""
    assert strip_invisible("gene\ufe0frator a\u034fnd co\u061croutine\U000e0020s") == "generator and coroutines"
    assert strip_invisible("A\u3164generator\u2800yields.") == "A generator yields."


def test_the_invisible_class_is_written_as_ranges() -> None:
    """The lexicon's 4,170 invisible characters written one by one made a class that took 5 ms an answer."""
    from genco_interview.text.reading import _ranges

    assert _ranges({"a", "b", "c", "x"}) == "a-cx"
    assert _ranges(set("\u200b\u200c\u200d\u200e\u200f")) == "\u200b-\u200f"


def test_zero_width_spaces_standing_for_spaces_keep_the_words_apart() -> None:
    assert strip_invisible("A\u200bgenerator\u200byields\u200bvalues.") == "A generator yields values."


@pytest.mark.parametrize("space", [" ", "\u00a0", "\u2009", "\u3000"], ids=["space", "no-break", "thin", "ideographic"])
def test_zero_width_spaces_between_every_letter_are_dropped_not_read_as_spaces(space: str) -> None:
    text = space.join(["A", "generator", "yields", "values."])
    assert strip_invisible("\u200b".join(text)) == text


def test_look_alike_letters_of_other_alphabets_read_as_latin() -> None:
    """A Cyrillic "о" in "Bоth" made an unknown word of every word it was in: the answer scored 0."""
    from genco_interview.text.reading import read_lookalikes

    assert read_lookalikes("Bоth аrе suspеndаblе; А gеnеrаtоr yiеlds.") == "Both are suspendable; A generator yields."
    assert read_lookalikes("".join(ch + "\u0301" for ch in "generators yield")) == "generators yield"
    for kept in ("Генератор выдаёт значения по одному.", "A naïve café résumé.", "π and λ in a formula."):
        assert read_lookalikes(kept) == kept


def test_full_width_characters_read_as_ascii_and_the_answer_as_english() -> None:
    """Typed with a CJK input method, "ａ　ｇｅｎｅｒａｔｏｒ" was not English: the answer scored 0 and said so,
    while the same words in look-alike Cyrillic letters were read."""
    from genco_interview.text.reading import looks_english, normalise_answer
    from genco_interview.text.segment import segment

    typed = "A generator yields many values; a coroutine is awaited by the event loop."
    wide = "".join("\u3000" if ch == " " else chr(ord(ch) + 0xFEE0) for ch in typed)
    assert normalise_answer(wide) == typed and looks_english(normalise_answer(wide))
    assert normalise_answer("ジェネレータは値を一つずつ返します。") == "ジェネレータは値を一つずつ返します。"
    # an input method's punctuation carries no space: "lazily。A coroutine" was one sentence
    assert (normalise_answer("A generator yields values lazily。A coroutine is awaited，the loop drives it；done。")
            == "A generator yields values lazily. A coroutine is awaited, the loop drives it; done.")
    assert len([u for u in segment(normalise_answer("It yields lazily。It is awaited。")).units if u.kind == "sentence"]) == 2


def test_terminal_escapes_and_control_characters_are_not_read() -> None:
    """Pasted from a terminal, colour codes and bells reached the model as noise and cost points."""
    pasted = "\x1b[1;31mA generator\x1b[0m yields\x07 values\x1b]0;title\x07 lazily\x08\x7f.\tOK\r\nNext line"
    assert strip_invisible(pasted) == "A generator yields values lazily.\tOK\nNext line"  # CR LF one line break
    others = "\x1b(BA \x1b7gen\x1b8erator\x1bP1$r0m\x1b\\ \x1bOAyields\u009b31m."  # charset, save, DCS, SS3, 8-bit CSI
    assert strip_invisible(others) == "A generator yields."
    unterminated = "A generator \x1b]0;yields values lazily.\nNext line"  # a title never ended
    assert strip_invisible(unterminated) == "A generator 0;yields values lazily.\nNext line"  # no words lost


SHOWING_NOTHING = ["\u034f", *map(chr, range(0xFE00, 0xFE10)), "\u3164", "\u115f", "\u1160", "\u17b4", "\u17b5",
                   *map(chr, range(0x180B, 0x1810)), "\u2800", "\uffa0",
                   "\U000e0000", "\U000e0001", "\U000e0020", "\U000e007f", "\U000e0100", "\U000e01ef", "\U000e0fff"]
"""A combining grapheme joiner, variation selectors, Hangul fillers, Khmer inherent vowels, Mongolian
variation selectors, the braille blank, a halfwidth Hangul filler and tags: Unicode's default ignorable
characters (and the braille blank) show nothing."""


@pytest.mark.parametrize("hidden", SHOWING_NOTHING, ids=lambda ch: f"U+{ord(ch):04X}")
def test_a_text_of_characters_that_show_nothing_is_blank(hidden: str) -> None:
    assert is_blank(hidden) and is_blank(f" {hidden}{hidden}\u200b ")
    assert not is_blank(f"{hidden}a") and not is_blank(f"\u00e9{hidden}")


def test_every_default_ignorable_character_and_the_braille_blank_show_nothing() -> None:
    """Unicode's Default_Ignorable_Code_Point (4,174 code points) and U+2800; no letter, digit or mark
    that shows among them."""
    hidden = invisible_characters()
    assert len(hidden) == 4174 + 1 and "\u2800" in hidden and "\U000e0fff" in hidden
    assert not hidden & set("aZ09 \u00e9\u0301\u3000\u1161\u3165\ufe10\U000e1000")


def test_invisible_characters_that_are_no_code_points_are_a_broken_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from genco_interview.text import lexicon

    for value in ("034F 12G4", "FE0F..FE00", "110000", "", ["034F"]):
        monkeypatch.setattr(lexicon, "lexicon", lambda value=value: {"invisible": value})
        with pytest.raises(lexicon.LexiconError, match="'invisible' must be hexadecimal code points"):
            lexicon.invisible_characters.__wrapped__()


def test_shorthand_is_spelled_out_as_whole_words_only() -> None:
    assert expand_abbreviations("gen: lazy seq, coro awaited") == "generator: lazy sequence, coroutine awaited"
    assert expand_abbreviations("genre and coronation") == "genre and coronation"


@pytest.mark.parametrize(("note", "read"), [
    ("coro -> awaited, 1 result", "coroutine gives awaited, one result"),
    ("vs coro->list: no big list", "vs coroutine gives list: no big list"),
    ("asyncio.run → main as a Task", "asyncio.run gives main as a Task"),
    ("blocking call = whole loop frozen", "blocking call is whole loop frozen"),
    ("GIL ≠ thread-safe", "GIL is not thread-safe"),
    ("switches only at await & nowhere else", "switches only at await and nowhere else"),
])
def test_shorthand_symbols_are_read_as_their_words(note: str, read: str) -> None:
    assert expand_abbreviations(note) == read


@pytest.mark.parametrize("text", ["a == b", "count+=2", "user@host", "x=y", "R&D", "apply it with @ above the def"])
def test_symbols_inside_a_word_or_an_operator_stay(text: str) -> None:
    """An "@" standing alone is Python's decorator (or matrix) operator as often as shorthand for "at":
    read as "at", "applied with @ above the def" no longer matched a key point on the "@ syntax"."""
    assert expand_abbreviations(text) == text


@pytest.mark.parametrize(("text", "english"), [
    ("A generator yields many values, and a coroutine is awaited.", True),
    ("gen: for/next, coro: await, loop", True),
    ("Un générateur produit des valeurs et une coroutine est attendue par la boucle.", False),
    ("ジェネレーターは値を返します", False),
    ("Ein Generator liefert viele Werte, eine Schleife treibt ihn an.", False),  # too short to count function words
    ("Een generator levert veel waarden en de lus stuurt een coroutine aan.", False),
    ("A generator yields values lazily, and die-hard fans call coroutines la crème of asyncio.", True),
])
def test_english_is_told_from_other_languages(text: str, english: bool) -> None:
    assert looks_english(text) is english


@pytest.mark.parametrize(("sentence", "following", "report"), [
    ("A common misconception is that coroutines use threads; they don't.", "", "A common misconception is that "
     "coroutines use threads"),
    ("Myth: coroutines run in parallel.", "", "Myth: coroutines run in parallel."),
    ("People assume X is just Y with new syntax, but they have nothing in common.", "",
     "People assume X is just Y with new syntax"),
    ("People think coroutines use threads.", "They don't.", "People think coroutines use threads."),
    ("People say coroutines use threads, and that is true.", "", ""),
    ("People say coroutines use threads, but they're right.", "", ""),  # a "but" that agrees
    ("People say coroutines use threads.", "Not wrong.", ""),
    ("People think coroutines use threads, so they never block.", "", ""),
    ("I think coroutines use threads.", "That is wrong.", ""),  # the speaker's own claim
    ("Coroutines use threads, and the GIL is a myth.", "", ""),  # a frame late in the sentence reports something else
    ("Far from a myth, coroutines use threads.", "", ""),
    ("Many devs assume coroutines use threads, which is wrong.", "", "Many devs assume coroutines use threads"),
    ("It is commonly believed that coroutines use threads; they don't.", "",
     "It is commonly believed that coroutines use threads"),
    ("Coroutines use threads?", "Nope, that's a misconception.", "Coroutines use threads?"),
    ("People think coroutines don't need a loop.", "", ""),  # the belief's own "not" denies nothing
    ("It's no myth that close() skips cleanup.", "", ""),
    ("The wrong thread holds the lock.", "", ""),
    ("Some tutorials claim coroutines use threads.", "None of that is true.", "Some tutorials claim coroutines use threads."),
    ("Old books state that coroutines use threads.", "That is nonsense.", "Old books state that coroutines use threads."),
    ("My colleague told me coroutines use threads.", "I disagree.", "My colleague told me coroutines use threads."),
    ("Wrong claim: coroutines use threads.", "", "Wrong claim: coroutines use threads."),
    ("Some tutorials claim coroutines use threads.", "None of them block.", ""),  # "none" alone denies nothing
    # the answer's own words taken back by its next clause, a verdict of false after any fillers
    ("I believe they run in parallel on all cores - hmm, no, that's wrong, they're single-threaded.", "",
     "I believe they run in parallel on all cores"),
    ("Coroutines run in parallel, no wait, no, that is not right, they take turns.", "", "Coroutines run in parallel"),
    ("The GIL lets threads run in parallel \u2014 no, that\u2019s not true.", "", "The GIL lets threads run in parallel "),
    ("A coroutine is not a thread, no, it runs on one thread.", "", ""),  # "no" alone is no verdict
    # the answer's own voice reporting what it believed once
    ("I used to think coroutines ran on threads, but that's wrong.", "", "I used to think coroutines ran on threads"),
    ("I thought coroutines were threads, but they aren't.", "", "I thought coroutines were threads"),
    ("I think coroutines are lightweight, but they are not free.", "", ""),  # what it believes now: a claim
    ("Generators are lazy, no wait, I mean coroutines are.", "", ""),  # taken back, not denied
    ("A generator yields values; no, that's wrong for coroutines.", "", ""),  # the verdict goes on: no break
    # the next sentence sets the truth against it
    ("Many people think coroutines are threads.", "In reality, they share one thread.",
     "Many people think coroutines are threads."),
    ("Many people think generators are lazy.", "In reality, they are right.", ""),
    ("Beginners think coroutines are threads.", "But they run on one thread.", "Beginners think coroutines are threads."),
])
def test_a_belief_reported_to_be_denied_is_told_from_a_claim(sentence: str, following: str, report: str) -> None:
    from genco_interview.scoring.rules import reported_belief

    assert reported_belief(sentence, following) == report


@pytest.mark.parametrize(("sentence", "lead"), [
    ("close() doesn't skip cleanup: it raises GeneratorExit so finally blocks run.", "close() doesn't skip cleanup"),
    ("Calling it doesn't run the body; it returns a generator object.", "Calling it doesn't run the body"),
    ("A coroutine is not a thread \u2014 it runs on the loop's one thread.", "A coroutine is not a thread "),
    ("A coroutine doesn't block, so the loop runs others meanwhile.", ""),  # a comma goes on with the claim
    ("Generators are lazy: nothing runs until next().", ""),  # the negation is after the break
    ("It isn't: coroutines share one thread.", ""),  # a verdict, not a claim, opens it
    ("close() never runs cleanup: it never raises GeneratorExit.", ""),  # denied on both sides
])
def test_a_sentence_opening_with_a_denial_that_the_rest_corrects_is_found(sentence: str, lead: str) -> None:
    from genco_interview.scoring.rules import denied_lead

    assert denied_lead(sentence) == lead


@pytest.mark.parametrize(("sentence", "retracts"), [
    ("Actually, everything I just said is false.", True),
    ("None of that is correct.", True),
    ("All of the above is completely made up.", True),
    ("Everything I’ve said is wrong.", True),
    ("None of what I said is true.", True),
    ("Everything above isn't true.", True),
    ("That's all wrong.", True),
    ("Sorry, I take it all back.", True),
    ("Please disregard my answer.", True),
    ("Everything I said is wrong, sorry.", True),
    ("All of that is correct.", False),
    ("None of that is wrong, by the way.", False),
    ("A generator is the wrong tool for this.", False),
    ("People say coroutines are threads, which is false.", False),
    ("The following is wrong: `await gen()` on a plain generator raises TypeError.", False),  # wrong code shown
    ("All of that is a myth.", False),  # the myths just described, not the answer
    ("I don't think the above is wrong.", False),
    ("Not everything I said is false.", False),
    ("Some claim all of this is nonsense, but it is accurate.", False),
    ("This answer is wrong only for Python 2, where there was no async def.", False),
    ("If you call a coroutine with next(), the above is false: it raises TypeError.", False),
    ("Everything I said above is wrong.", True),
    ("Everything I said is false \u2014 sorry.", True),
    ("Ok so actually, in fact, none of what I've said is correct.", True),
    ("Everything I just said is completely and utterly false.", True),
    ("Ignore everything above.", True),
    ("Forget everything I wrote above.", True),
    ("Actually, forget all that, none of it is right.", True),
    ("Sorry, I got them backwards.", True),
    ("The above is all wrong.", True),
    ("Everything I said is false \U0001f642", True),
    ("When I started out, I mixed them up.", False),  # a story, not the answer taken back
    ("Scratch that, I was confusing them.", True),
    ("Sorry, I had the two mixed up.", True),
    ("Oh wait, I got it the wrong way round.", True),
    ("Actually no, I had them backwards: it's the coroutine that next() drives.", True),  # then the swapped claim
    ("Nope, I got it all wrong.", True),
    ("Actually no, I got it wrong.", True),
    ("Scratch that.", True),  # which claims it takes back is beyond the scorer: a person is asked
    ("I take that back.", True),
    ("It's the other way round.", True),
    ("No, that's wrong, I had them backwards.", True),
    ("I got it wrong at first, like everyone.", False),
    ("That's wrong.", False),  # may judge what the answer quoted or asked, as "All of that is a myth." does
    ("Edit: scratch that.", True),
    ("Hmm, no, that's wrong.", True),
    ("Actually no, that's not right.", True),
    ("No, sorry, I misspoke.", True),
    ("I was wrong.", True),
    ("I was wrong about the GIL at first.", False),
    ("No, that's wrong for coroutines.", False),
    ("No, a coroutine is not iterable.", False),
    ("Before 3.5 we wrote yield from. Forget all of that: now it is await.", False),  # the old way, not the answer
    ("I was confusing them with threads at first.", False),
    ("Forget all that.", False),  # after the old way of doing it, as often as after the answer
    ("Actually, ignore all that, none of it is true.", True),
    ("Actually, ignore all that, I was guessing and none of it is right.", True),
    ("I was guessing that generators are lazy.", False),
    ("Scratch that, I have no idea, it's all wrong.", True),
    ("To be honest I just guessed all of the above.", True),
    ("I have no idea why generators are lazy.", False),
    ("Scratch that, the opposite is true.", True),
    ("Sorry, it's the other way around.", True),
    ("Ignore all that.", False),  # as "Forget all that."
    ("For coroutines the opposite is true: the loop drives them.", False),  # a claim about the other one
    ("Oops, I got them backwards!", True),
    ("Everything I said is false?", False),
    ("Everything I said is false... not really.", False),
    ("The above is all wrong: both run on one thread.", False),
    ("Please disregard what I said earlier.", True),
    ("All of that is wrong: coroutines run on one thread.", False),  # a verdict on what comes next
    ('"Everything I just said is false." That is a paradox.', False),  # quoted
    ("Everything I just said is false? No, it is all true.", False),
    ("Everything I am about to say is false.", True),  # ahead of the answer, as much as after it
    ("That is what I memorised, but honestly I don't believe any of it; the opposite is true.", True),
    ("I learned it that way, but I think it's all wrong.", True),
    ("A generator is lazy, but that is not the whole story.", False),
    ("It looks harmless, but everything is wrong with a blocking call in a coroutine.", False),
    ("I think everything here is correct.", False),
    ("None of the following is true.", True),  # ahead of the answer
    ("Nothing below is correct.", True),
    ("Actually, everything I just said is wrong: generators and coroutines share nothing.", True),  # my own words
    ("Everything I\u2019ve just said is wrong.", True),
    ("All I just said is wrong.", True),
    ("Actually, forget all that, it's all false.", True),
    ("I was wrong about all of it.", True),
    ("None of what I said is true: a coroutine is a thread.", True),
    ("The following is wrong.", True),
    ("None of the following is true for async generators.", False),
    ("Those are all myths.", True),
    ("All of these are wrong.", True),
    ("Those are all lazy.", False),
    ("NOT!", False),  # answers a question as often ("Parallel? NOT!") as it takes the answer back
    ("Not at all.", False),
    ("I made that up, it is not a real API.", False),  # an example's name, not the answer
    ("Not really.", False),
    ("Actually I made that all up.", True),
    ("In reality, the opposite of each of these statements holds.", True),
    ("In reality, coroutines run on one thread.", False),
    ("He was wrong on every point.", True),  # after a report, a verdict on it (rejection_notes)
    ("Each of them is wrong.", True),
    ("They were wrong about threads.", False),
    ("Truth is, it's all backwards.", True),
    ("None of these are true.", True),  # these, those, every sentence: a tester's verdicts that took nothing back
    ("None of those claims is correct.", True),
    ("All three statements are false.", True),
    ("Every sentence above is false.", True),
    ("Not one of those claims is right.", True),
    ("The exact opposite is the case.", True),
    ("None of the above statements are correct.", True),
    ("Both statements are false.", True),
    ("Neither of these statements is correct.", True),
    ("All three are false.", True),
    ("Neither of them is thread-safe.", False),
    ("All three are awaitables.", False),
    ("All of these are wrong ways to run a coroutine.", False),
    ("None of them is thread-safe.", False),
    ("Every statement in a generator runs lazily.", False),
])
def test_a_sentence_taking_back_the_whole_answer_is_told_from_a_claim(sentence: str, retracts: bool) -> None:
    from genco_interview.text.lexicon import retraction_pattern

    assert bool(retraction_pattern().search(sentence.replace("\u2019", "'"))) is retracts


@pytest.mark.parametrize(("answer", "noted"), [
    ("Many people say a coroutine is just a thread. All of that is wrong. Coroutines share one thread.", False),
    ("A common myth is that generators compute every value up front. That's all wrong; they are lazy.", False),
    ("Generators are lazy. Coroutines are awaited. Everything I said above is wrong.", True),
    ("I think generators are lazy. Coroutines are awaited. Everything I said above is wrong.", True),
    ("Some tutorials claim coroutines are threads. They run on many cores. None of that is true.", False),
    ("According to some, coroutines are threads. Everything above is wrong, sorry.", False),
    ("Generators are lazy. Coroutines are awaited. Those are all myths.", True),
    ("Many people say a coroutine is a thread. Those are all myths. Coroutines share one thread.", False),
    ("```python\nawait gen()\n```\nThat is all wrong.", False),
    ("A junior developer once told me that coroutines are threads. He was wrong on every point.", False),
    ("Generators are lazy. Coroutines are awaited. Actually I made that all up.", True),
    ("Common beliefs: coroutines are threads; generators need asyncio. Each of them is false.", False),
])
def test_a_verdict_on_a_belief_just_reported_takes_nothing_back(answer: str, noted: bool) -> None:
    """ "All of that is wrong." after "Many people say ..." judges what people say, not the answer."""
    from genco_interview.card import RETRACTION_NOTE
    from genco_interview.scoring.scorer import retraction_notes
    from genco_interview.text.segment import segment

    notes = retraction_notes(segment(answer).units)
    assert bool(notes) is noted and all(note.startswith(RETRACTION_NOTE) for note in notes)


def test_blank_characters_ahead_of_an_answer_do_not_take_the_place_of_what_was_typed() -> None:
    """An answer is cut after its first 20,000 characters: blanks ahead of it must not be all that is left."""
    from genco_interview.text.reading import normalise_answer
    from genco_interview.text.segment import segment

    typed = "Both are suspendable frames. A generator yields many values."
    units = segment(normalise_answer(" " * 20_001 + typed)).units
    assert any("suspendable frames" in u.text for u in units) and any("many values" in u.text for u in units)
    assert normalise_answer(" " * 20_001 + typed) == typed  # thousands of spaces are no indentation
    assert normalise_answer("\n\n   \n    def f():\n        yield 1\n") == "    def f():\n        yield 1"  # nor blank space after it


@pytest.mark.parametrize(("text", "admits"), [
    ("I don't know what a decorator is.", True),
    ("Um... honestly I\u2019m not sure I can go that deep.", True),
    ("Sorry, no idea.", True),
    ("i dont know", True),
    ("Not sure what happens if you await a generator.", True),
    ("The internals with send() I'm not sure about.", False),  # a claim first: read as usual
    ("I know a generator yields values.", False),
    ("Nothing is sure about the order of threads.", False),
    ("Notably, a generator is lazy.", False),
    ("Not sure, honestly.", True),  # a filler after it says nothing either
    ("No idea is a bad idea.", False),  # the subject of a claim, not an admission
    ("I don't know the internals, though a coroutine is driven by the event loop.", False),  # goes on to a claim
    ("I don't know what a context manager is, I have never used the with statement.", True),  # a second admission
    ("No idea, never used asyncio.", True),
    ("I haven't used contextlib much, but it gives you the contextmanager decorator.", False),
    ("I've never heard of it; a coroutine is driven by the event loop.", False),
])
def test_a_part_that_opens_by_admitting_not_knowing_claims_nothing(text: str, admits: bool) -> None:
    assert admits_not_knowing(text) is admits



def test_a_candidate_named_in_full_width_letters_is_the_label_the_transcript_reads_as() -> None:
    """The transcript's "Ａｄａ:" was read as "Ada:" but the name given stayed full-width: the card said
    no line was labelled with the candidate's name, and the interviewer's lines could count as hers."""
    from genco_interview.text.reading import normalise_answer, unlabelled_candidate

    for transcript in ("Interviewer: What is a generator?\nＡｄａ: It yields values lazily.",
                       "Interviewer: What is a generator?\nAda: It yields values lazily."):
        assert normalise_answer(transcript, "Ａｄａ", transcript=True) == "It yields values lazily."
        assert unlabelled_candidate(transcript, "Ａｄａ") is None


@pytest.mark.parametrize("question, subject", [
    ("What is a Python decorator?", "Python decorator"),
    ("What's an iterator?", "iterator"),
    ("What does functools.lru_cache do?", "functools.lru_cache"),
    ("What's the difference between a coroutine and a generator?", None),
    ("What do a generator's send(), throw() and close() methods do?", None),
    ("What is an async generator in Python, and when would you use one?", None),
    ("How does the asyncio event loop run your coroutines?", None),
])
def test_a_question_about_one_thing_names_its_subject(question, subject):
    from genco_interview.text.reading import question_subject

    assert question_subject(question) == subject


@pytest.mark.parametrize("text, pronoun, read", [
    ("A decorator is a callable that wraps a function.", False, "a callable that wraps a function."),
    ("Python decorators are callables.", False, "callables."),
    ("It's a function that wraps another.", True, "a function that wraps another."),
    ("It\u2019s a function that wraps another.", True, "a function that wraps another."),
    ("It's a function that wraps another.", False, "It's a function that wraps another."),
    ("A decorator wraps a function.", True, "wraps a function."),
    ("The role of a decorator is to wrap.", True, "The role of a decorator is to wrap."),
    ("Decorator-like helpers exist.", True, "Decorator-like helpers exist."),
    ("It is", True, "It is"),  # nothing would be left
])
def test_a_text_is_read_without_naming_the_questions_subject(text, pronoun, read):
    from genco_interview.text.reading import without_subject

    assert without_subject(text, "Python decorator", pronoun) == read
    assert without_subject(text, None, pronoun) == text


@pytest.mark.parametrize("subject, text, read", [
    ("decorator at runtime", "Decorators wrap a function.", "wrap a function."),  # the head comes before "at"
    ("lock between threads", "A lock between threads is shared.", "A lock between threads is shared."),
])
def test_a_subjects_head_noun_ends_at_any_word_joining_a_longer_phrase(subject, text, read):
    """One list of joining words (the lexicon's phrase_joins) ends a subject's head noun and tells a
    longer subject in a text ("A lock between threads ..." names more than the head)."""
    from genco_interview.text.reading import without_subject

    assert without_subject(text, subject) == read


@pytest.mark.parametrize(("sentence", "question"), [
    ("What drives a coroutine?", True), ("who drives it?**", True), ("why?)", True), ("really? \U0001f914", True),
    ("really?!", True), ('"is it lazy?"', True), ("A generator yields.", False), ("x?y", False), ("why?\nBecause.", False),
])
def test_one_test_says_a_sentence_is_a_question(sentence: str, question: bool) -> None:
    """Four tests did, each with its own tail: "why?)" ended a question for one and not for the speaker who
    asks more ("Do you agree?)" was no question there)."""
    from genco_interview.text.reading import asks

    assert asks(sentence) is question
    assert implied_candidate(f"Dana: Both suspend. {sentence}\nPriya: Yes.") == (("Priya", "Dana") if question else None)


@pytest.mark.parametrize(("transcript", "implied"), [
    ("Dana: Both share the frame machinery. Do you agree?\nPriya: Yes.", ("Priya", "Dana")),
    ("Dana Lee: Let's start.\nWhat drives a generator?\nPriya: The caller.\nDana Lee: And a coroutine?\nPriya: The loop.",
     ("Priya", "Dana Lee")),
    ("Generators: lazy, pulled by next.\nCoroutines: awaited, driven by the loop.", None),  # notes' headings
    ("Generators: what are they? They yield.\nCoroutines: awaited.", None),  # a heading's line ends with no question
    ("Interviewer: Why?\nPriya: Because.", None),  # a role says who asks
    ("Dana: Why?\nPriya: Because.\nSam: And?", None),  # three speakers: who answers is not told
    ("Dana: Why?", None),
    ("Priya: Which Python version should I assume?\nDana: 3.12. What drives a generator?\nPriya: The caller.\n"
     "Dana: And a coroutine?\nPriya: The event loop.", ("Priya", "Dana")),  # the candidate asks back once
    ("Priya: Shall I start?\nDana: Yes.\nPriya: Generators yield.\nDana: What drives a coroutine?\nPriya: The loop.",
     None),  # one question each: who answers is not told
    ("Dana: Why?\nPriya: The loop.\nDana: And?\nPriya: Frames.\nVerdict: was she sure?", ("Priya", "Dana")),  # a
    # note's question is nobody's turn
    ("Sync: a for loop pulls values. Is that lazy?\nAsync: the event loop drives it.", None),  # headings, one exchange
    ("Threads: the GIL lets one run at a time. Is that a problem?\nAsyncio: one thread.\nThreads: I/O frees the GIL.\n"
     "Asyncio: to_thread for blocking calls.", None),  # the shipped questions' topics are headings too
    ("Dana: Why?\nPriya: The loop.", None),  # one exchange, no reply word: not told from two headings
    ("Dana: Some say the loop drives it. Do you agree?\nPriya: I am not sure, maybe.", ("Priya", "Dana")),  # a
    # reply in the first person: the interviewer's claim was scored as the candidate's
    ("Dana: Why?\nPriya: Well, the loop.", ("Priya", "Dana")),
    ("Dana: Explain generators.\nPriya: Do you mean native ones? They yield.\nDana: Yes. Now tell me who drives a "
     "coroutine.\nPriya: The loop. Does that answer it?\nDana: It does. Last one: describe what each gives.\nPriya: "
     "Many values or one.", ("Priya", "Dana")),  # requests hand the floor over as questions do
    ("Priya: What is the difference?\nAda: Two things.\nExample: a for loop pulls values.\nPriya: And who drives "
     "coroutines?\nAda: The event loop.", ("Ada", "Priya")),  # a heading of Ada's is no third speaker
])
def test_the_speaker_asking_more_makes_the_other_the_candidate(transcript: str, implied: tuple[str, str] | None) -> None:
    assert implied_candidate(transcript) == implied


@pytest.mark.parametrize(("answer", "tail"), [
    ("A generator yields values when you loop over it, whereas a coroutine is", "over it, whereas a coroutine is"),
    ("It is driven by the\n", "It is driven by the"),
    ("A coroutine is driven by the event loop.", None),
    ("gen: lazy seq, for/next pulls vals\ncoro: async def, awaited", None),  # notes end on a term
    ("def gen():\n    yield 1", None),
    ("It is", None),  # too short to tell
])
def test_an_answer_that_breaks_off_mid_sentence_is_told_apart(answer: str, tail: str | None) -> None:
    from genco_interview.text.reading import unfinished_ending

    assert unfinished_ending(answer) == tail


def test_decoration_is_dropped_outside_code_and_placeholders_are_kept():
    assert without_decoration("\U0001F680 <b>Generators</b> yield.<p>Coroutines await.</p>") == " Generators yield. Coroutines await. "
    assert without_decoration('<p class="x">A <b><i>gen</i></b>&nbsp;yields.</p><br/>') == " A gen\u00a0yields.  "
    kept = "`<b>` and <T> and <value>, item <i> and await <code>\n```\nprint('<b>\U0001F680</b>')\n```"
    assert without_decoration(kept) == kept


def test_every_retraction_holds_a_word_the_quick_check_looks_for():
    """The retraction pattern is compiled only for a sentence that may_retract passes: one it would match and
    the check turned away would go unread."""
    from genco_interview.text.lexicon import entry, may_retract, retraction_pattern

    said = ([f"Everything I said is {verdict}." for verdict in entry("retractions", "false")]
            + [f"None of that is {verdict}." for verdict in entry("retractions", "true")]
            + [f"Sorry, {phrase}." for phrase in entry("retractions", "taking_back")]
            + [f"Hmm, {phrase}." for phrase in entry("rebuttals", "self_corrections")])
    matched = [text for text in said if retraction_pattern().search(text)]
    assert len(matched) > 0.9 * len(said)
    assert all(may_retract(text) for text in matched)
    assert not may_retract("A generator yields many values to a for loop, and a coroutine is awaited.")
