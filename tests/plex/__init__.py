"""Tests of the Plex client against the loopback Plex simulator."""
