"""Bulk import of people from CSV and XLSX files.

``columns`` (the column names, Hindi and English), ``reader`` (rows out of a file), ``rows`` (checking a
row), ``apply`` (matching and writing a chunk), ``jobs`` (the job: resume, checkpoints, audit) and
``errors`` (the error file). Entry points: ``import_prepare`` and ``import_run`` in ``jobs``; the
``sangathan import people`` command, the web page and the API call them.
"""
