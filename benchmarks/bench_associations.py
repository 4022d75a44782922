"""How often the factor associations cry wolf, and whether they see a real effect: the full run.

Why: ``twitch flags`` tells people a daily factor (caffeine, short sleep, stress, low water, hard
exercise) "possibly" goes with more twitching. A false claim sends someone chasing a harmless habit,
so on diaries with no true effect at all -- but with the slow waxing and waning and the drifting
stress that real diaries have -- at most 10% of diaries may carry any "possible" claim. And the
claims must still mean something: when high-caffeine days truly double the twitch rate, caffeine
should be claimed in most (> 50%) 90-day diaries. The test suite checks a few dozen seeds; this
script runs the full 200 + 200 simulations from ``tests/simulation.py`` and prints a table.

Standalone (stdlib only itself; it imports the repository's ``tests.simulation``, so run it with
the interpreter that has the ``diary`` package installed)::

    python benchmarks/bench_associations.py [--sims N] [--days N]

Null diaries use seeds 0 .. N-1 (caffeine_effect=1.0); the doubling diaries use seeds
1000 .. 1000+N-1 (caffeine_effect=2.0).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

NULL_SEED = 0
EFFECT_SEED = 1000
NULL_MAX_ANY = 0.10  # at most this share of null diaries may carry any "possible" claim
EFFECT_MIN_CAFFEINE = 0.50  # more than this share of doubling diaries must claim caffeine
FACTORS = ("caffeine", "short_sleep", "stress", "low_water", "exercise")


@dataclass
class Scenario:
    """One batch of simulated diaries and what was claimed on them."""

    label: str
    caffeine_effect: float
    first_seed: int
    simulations: int
    any_claim: int = 0
    per_factor: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def share(self, count: int) -> float:
        return count / self.simulations if self.simulations else 0.0


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sims", type=int, default=200, help="simulations per scenario (200)")
    parser.add_argument("--days", type=int, default=90, help="logged days per diary (90)")
    args = parser.parse_args(argv)
    if args.sims < 1 or args.days < 1:
        parser.error("--sims and --days must be positive")
    return args


def load_claims() -> Callable[..., set[str]]:
    """``tests.simulation.claims``, importable once the repository root is on ``sys.path``."""
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    from tests.simulation import claims

    return claims


def run_scenario(scenario: Scenario, claims: Callable[..., set[str]], days: int) -> None:
    started = time.perf_counter()
    for seed in range(scenario.first_seed, scenario.first_seed + scenario.simulations):
        claimed = claims(seed, caffeine_effect=scenario.caffeine_effect, days=days)
        scenario.any_claim += bool(claimed)
        scenario.per_factor.update(claimed)
    scenario.seconds = time.perf_counter() - started


def table(scenarios: Sequence[Scenario]) -> str:
    widths = (24, 6, 14, 10, *(12 for _ in FACTORS), 9)
    headers = ("scenario", "sims", "any claim", "caffeine", *FACTORS, "seconds")
    out = [_row(headers, widths)]
    for s in scenarios:
        cells = (
            s.label,
            str(s.simulations),
            f"{s.any_claim} ({s.share(s.any_claim):.1%})",
            f"{s.share(s.per_factor['caffeine']):.1%}",
            *(str(s.per_factor[f]) for f in FACTORS),
            f"{s.seconds:.1f}",
        )
        out.append(_row(cells, widths))
    return "\n".join(out)


def _row(cells: Sequence[str], widths: Sequence[int]) -> str:
    first, *rest = cells
    return f"{first:<{widths[0]}}" + "".join(
        f"{cell:>{width}}" for cell, width in zip(rest, widths[1:], strict=True)
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    claims = load_claims()
    null = Scenario("no effect (caffeine 1.0)", 1.0, NULL_SEED, args.sims)
    effect = Scenario("caffeine doubles (2.0)", 2.0, EFFECT_SEED, args.sims)
    for scenario in (null, effect):
        run_scenario(scenario, claims, args.days)

    null_share = null.share(null.any_claim)
    power = effect.share(effect.per_factor["caffeine"])
    print(f"interpreter: {sys.executable} (Python {sys.version.split()[0]})")
    print(f"diaries:     {args.days} logged days each (tests/simulation.py)")
    print(
        f"seeds:       null {NULL_SEED}..{NULL_SEED + args.sims - 1}, "
        f"doubling {EFFECT_SEED}..{EFFECT_SEED + args.sims - 1}"
    )
    print("columns:     per-factor columns count diaries with a 'possible' claim for that factor")
    print()
    print(table([null, effect]))
    print()
    null_met = null_share <= NULL_MAX_ANY
    power_met = power > EFFECT_MIN_CAFFEINE
    print(
        f"goal: null diaries with any claim <= {NULL_MAX_ANY:.0%}  -> "
        f"{null_share:.1%}: {'met' if null_met else 'not met'}"
    )
    print(
        f"goal: caffeine claimed when it doubles the rate > {EFFECT_MIN_CAFFEINE:.0%}  -> "
        f"{power:.1%}: {'met' if power_met else 'not met'}"
    )
    return 0 if null_met and power_met else 1


if __name__ == "__main__":
    sys.exit(main())
