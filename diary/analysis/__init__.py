"""The analysis: the diary as DataFrames (``frames``) and the flag rules of RULES.md (``flags``).

Pure pandas, no plotting and no I/O outside ``frames.load_frames``, so the rules can be tested on
diaries built in memory and run in a worker thread without touching the UI. The episodes frame is
built a column at a time (``episodes``) and coded for masks (``episode_index``): a ten-year diary
holds over 100,000 episodes, and the rules look at them all.
"""
