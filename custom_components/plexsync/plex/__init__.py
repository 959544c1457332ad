"""Plex side of PlexSync: a blocking plexapi-based client (see client.py)."""
