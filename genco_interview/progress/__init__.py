"""A learner's progress: the attempt history and what is read from it.

store.py     the SQLite history: schema migrations as named steps, saving, listing, interview reports
transfer.py  export and import as JSON Lines, every field checked
reports.py   progress per question and depth over time
schedule.py  what to practise next (FSRS)
"""
