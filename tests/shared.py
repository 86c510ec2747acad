"""Constants the test modules share (imported as `shared`: conftest names clash across folders)."""

from pathlib import Path

BASE = "http://localhost:8000"
TEST_DATA = Path(__file__).parent / "data"
