"""What the benchmark scripts share: a demo database of a given size, and a median timing."""
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def build(size: int, folder: Path) -> Path:
    """A database of `size` demo interviews (seed 1), made by `python -m lib demo` as a user would."""
    path = folder / f"bench-{size}.duckdb"
    subprocess.run([sys.executable, "-m", "lib", "demo", "--interviews", str(size), "--seed", "1", "--db", str(path)],
                   cwd=ROOT, check=True, capture_output=True)
    return path


def median_ms(call, runs: int = 5) -> float:
    """The median of `runs` timed calls, after one untimed warm-up call."""
    call()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def warm_rerun_ms(page: str | None = None) -> float:
    """A page's warm rerun in AppTest (app.py, then `page`), the database named by $DEBRIEF_DB."""
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception, at.exception
    return median_ms(at.run)


def machine() -> str:
    """The machine and how busy it is: figures from a shared machine are compared only with its own."""
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    load = " / ".join(f"{n:.1f}" for n in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return (f"machine: {platform.machine()} {model}, {os.cpu_count()} cores, load {load} (1/5/15 min), "
            f"Python {platform.python_version()}")


def print_header(columns: list[str]) -> None:
    """The machine, then a Markdown table header."""
    print(machine())
    print(" | ".join(columns))
    print(" | ".join("---" for _ in columns))
