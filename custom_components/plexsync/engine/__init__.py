"""PlexSync's sync engine: pure functions over immutable data.

Nothing in this package performs I/O, reads the clock or imports Home Assistant,
aiohttp or plexapi; time is always passed in.
"""
