"""The worked fourth scheme (docs/northshire), installed with pip as its own package, run
through every tool a scheme author relies on (issue 15)."""
