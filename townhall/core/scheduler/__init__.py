"""Periodic tasks without Celery beat: the embedded mode's in-process scheduler.

schedule.py reads CELERY_BEAT_SCHEDULE and says when each task is due; runs.py runs one
task under a lease in the database; loop.py is the thread `townhall serve` starts in
each worker; selectors.py is what the command line and the Background work page show.
See decision 0006.
"""
