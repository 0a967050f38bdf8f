"""Reading an answer's text as a grader would, before anything is embedded.

segment.py    answer -> sentences, clauses, code units and windows; content words
reading.py    invisible characters, transcripts (only the candidate's lines), shorthand, language
spelling.py   misspelt domain words read as the rubric's word
lexicon.yaml  the word lists all three read (abbreviations, speaker labels, foreign function words)
"""
