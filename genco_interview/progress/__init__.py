"""A learner's progress: the attempt history and what is read from it.

attempt.py   one kept attempt (the export record) and an interviewer's kept grade
store.py     the history: saving, listing, finding and deleting attempts, interview reports
database.py  the SQLite file opened safely: ownership, locks, read-only folders, one-line errors
schema.py    the tables, as migrations in named forward steps
rows.py      stored rows read back leniently (a value damaged by hand reads as missing, with a note)
salvage.py   what a damaged history still gives up (`history export --salvage`)
recovery.py  the recovery files attempts and interview reports go to when the history cannot take them
transfer.py  export and import as JSON Lines, every field checked
reports.py   progress per question and depth over time
comparison.py  candidates side by side (`genco candidates`)
schedule.py  what to practise next (FSRS)
"""
