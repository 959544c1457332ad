"""Tests of the SensCritique client against the loopback simulator."""
