"""The parties of the simulated world: energy suppliers and CSP regions.

Shares are assumptions for simulation, not market data. Names are fictional-ish; the party
ids are the short upper-case codes the SMI extract and the console use.
"""

from __future__ import annotations

from typing import NamedTuple


class Supplier(NamedTuple):
    """A Supplier User as the simulator sees it.

    Attributes:
        party_id: Short upper-case party id, as written in the SMI extract.
        name: Display name.
        market_share: Fraction of homes this supplier serves (all shares sum to 1).
    """

    party_id: str
    name: str
    market_share: float


# Deliberately lopsided: a quarter of homes with one supplier, six large ones holding ~86%
# and a long tail below 1% each. Per-supplier reports, notices and batch sizes behave very
# differently at each end, so the demo and benchmarks must see both.
SUPPLIERS: tuple[Supplier, ...] = (
    Supplier("BGAS", "Britannic Gas & Power", 0.2500),
    Supplier("OCTO", "Octave Energy", 0.2000),
    Supplier("EDFE", "EDF-E Customers", 0.1200),
    Supplier("EONX", "Eonic Next", 0.1100),
    Supplier("OVOE", "Ovoid Energy", 0.1000),
    Supplier("SPWR", "Scotia Power Retail", 0.0800),
    Supplier("UTWH", "Utility Wholesale Club", 0.0350),
    Supplier("COOP", "Co-operative Power", 0.0220),
    Supplier("SOEN", "So-So Energy", 0.0180),
    Supplier("OUTF", "Outfield Market Energy", 0.0140),
    Supplier("ECOT", "Ecotricity Mutual", 0.0110),
    Supplier("GOOD", "Goodwill Energy", 0.0090),
    Supplier("FUSE", "Fusebox Energy", 0.0080),
    Supplier("TRUE", "Truecost Energy", 0.0060),
    Supplier("RIVR", "Riverside Power", 0.0050),
    Supplier("NRTH", "Northern Lights Energy", 0.0040),
    Supplier("HAMP", "Hampton Supply", 0.0030),
    Supplier("BRCK", "Brockwell Energy", 0.0025),
    Supplier("SALT", "Saltmarsh Energy", 0.0015),
    Supplier("VALE", "Vale Power Co-op", 0.0010),
)


class CspRegion(NamedTuple):
    """A CSP region and the share of hubs in it.

    Attributes:
        region: Region name as written in the SMI extract.
        csp: The Communications Service Provider running the radio network there.
        hub_share: Fraction of all hubs in this region.
    """

    region: str
    csp: str
    hub_share: float


CSP_REGIONS: tuple[CspRegion, ...] = (
    CspRegion("North", "Arqiva", 0.30),
    CspRegion("Central", "Telefonica", 0.35),
    CspRegion("South", "Telefonica", 0.35),
)


def supplier_ids() -> list[str]:
    """Return the party ids of all simulated suppliers, largest first."""
    return [s.party_id for s in SUPPLIERS]
