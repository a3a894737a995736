"""The load test by topic: data, browser, users, measure, report; `run` puts them together.

Run it as `python benchmarks/load_test.py` (see run.py for what it does).
"""
