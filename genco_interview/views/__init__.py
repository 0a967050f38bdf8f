"""What genco shows: every view of a card, a report, a rubric or a scorecard, in each format.

terminal.py     score cards, rubric lists, eval and model-info views (rich), and the card's JSON
report.py       the progress report and history as text, Markdown and JSON
report_html.py  the progress report as a self-contained HTML page
scorecard.py    the interviewer's scorecard as text and Markdown
sheet.py        the interviewer's sheet of a question, as Markdown and printable HTML
markup.py       escaping for the Markdown and HTML genco writes
"""
