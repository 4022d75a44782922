"""The report's charts: one module per chart, each function drawing on an ``Axes`` it is given.

Why this shape: the report runs inside a long-lived app and in worker threads, where pyplot's
global figure registry leaks figures and is not thread-safe, so only the object-oriented API is
used (``Figure`` + the Agg canvas through ``savefig``). The charts are meant for a doctor reading a
printed A4 page: colours are the colour-blind-safe Okabe–Ito palette, and every pair of series
that must be told apart also differs in hatch or marker, so a grayscale print still reads. Each
chart draws its axes even for an empty period (with a short note) instead of raising, so a new
diary still gets a report.

- ``style``: the palette and matplotlib settings; ``figures``: making, drawing and saving figures;
- ``shared``: what several charts draw or count the same way;
- ``timeline``, ``intensity``, ``sites``, ``when``, ``factors``: the charts, in report order.
"""
