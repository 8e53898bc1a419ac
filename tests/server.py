"""Start Debrief as `make run` does (`streamlit run app.py -- --db PATH`), for the browser test and screenshots."""
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps trying to reach Google's hosts.
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`streamlit run app.py` on a given database, as `make run` starts it."""

    def __init__(self, db_path: Path, artifacts: Path):
        self.db_path, self.port = db_path, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(artifacts / f"streamlit-{self.port}.log", "w")
        self.process = None

    def start(self) -> "Server":
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--", "--db", str(self.db_path)],
            cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT, env={**os.environ, "DEBRIEF_TZ": "Europe/London",
                                                                   "DEBRIEF_PREPARE": "1"})
        return self.wait_until_healthy()

    def wait_until_healthy(self) -> "Server":
        """Return once Streamlit's health check answers (at most a minute)."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"streamlit did not answer on {self.url}; see {self.log.name}")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)
