"""The deterministic flag rules of ``shared/RULES.md``: a pattern in the diary -> a calm ``Flag``.

A flag names a pattern, the numbers behind it and the public guidance for such a pattern; it never
names a disease. The package is split by what a reader looks for:

- ``model``: the ``Flag``, the "not enough data" note and what an evaluation returns;
- ``context``: what every rule reads (frames cut at ``as_of``) and the day/window helpers;
- ``red_flags``, ``spread``, ``cramps``, ``persistence``: the rules, one family per module;
- ``interactions``: every rule in priority order, how they change each other, and ``evaluate``.
"""
