"""Finding duplicate contacts: a pure matching engine (engine/) and the Django app around it.

Nothing here imports Django models at package import, so the engine runs in plain processes
(benchmarks, scan workers) without a configured Django.
"""
