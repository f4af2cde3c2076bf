"""Simulator for chconsole: fake-but-realistic stand-ins for the outside world.

The estate generator (:mod:`sim.estate`) writes SMI extracts and CPL files shaped like the
real ones, so demos, training databases and benchmarks run at national scale (12-15 million
Communications Hubs) without real data. Nothing in ``chconsole.core`` imports this package.
"""
