"""A learner's progress: the attempt history and what is read from it.

store.py     the SQLite history: schema migrations, saving, listing, export and import
reports.py   progress per question and depth over time
schedule.py  what to practise next (FSRS)
"""
