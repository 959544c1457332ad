"""Stateful loopback simulators of the two services."""
