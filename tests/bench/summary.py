"""Print the headline rows every benchmark recorded (``tests/bench/results.py``), each beside its goal."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench.results import RESULTS, load  # noqa: E402


def main():
    rows = load()
    if not rows:
        print(f"No benchmark figures recorded yet ({RESULTS}).")
        return
    width = max(len(name) for name in rows)
    print(f"\n{'measure':{width}}  {'figure':28}  {'goal':18}  met")
    for name, row in rows.items():
        print(f"{name:{width}}  {row['figure']:28}  {row['goal']:18}  {'yes' if row['met'] else 'NO'}")
        if row["note"] and not row["met"]:
            print(f"{'':{width}}  └ {row['note']}")


if __name__ == "__main__":
    main()
