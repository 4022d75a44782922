"""Twitch Diary: a private, local-first diary for muscle twitches, cramps and spasms."""

__version__ = "0.1.0"
