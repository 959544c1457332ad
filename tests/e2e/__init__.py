"""End-to-end: a real `hass` process talking to both simulators over HTTP."""
