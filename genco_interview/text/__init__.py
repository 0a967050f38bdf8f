"""Reading an answer's text as a grader would, before anything is embedded.

segment.py    answer -> sentences, clauses, code units and windows; content words
reading.py    invisible characters, transcripts (only the candidate's lines), shorthand, language
spelling.py   misspelt domain words read as the rubric's word
escapes.py    terminal escape sequences (ECMA-48), removed from what genco reads and prints
lexicon.yaml  the word lists all three read (abbreviations, speaker labels, foreign function words)
"""
