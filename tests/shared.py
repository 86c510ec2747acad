"""Constants the test modules share (imported as `shared`: conftest names clash across folders)."""

from pathlib import Path

BASE = "http://localhost:8000"
TEST_DATA = Path(__file__).parent / "data"


def assert_isomorphic(got, expected) -> None:
    """Compare graphs, not strings; on failure show what only each side has."""
    import pytest
    from rdflib.compare import graph_diff, isomorphic, to_isomorphic

    if not isomorphic(got, expected):
        _, only_got, only_expected = graph_diff(to_isomorphic(got), to_isomorphic(expected))
        pytest.fail(
            "graphs differ\nonly built:\n" + only_got.serialize(format="nt")
            + "\nonly expected:\n" + only_expected.serialize(format="nt")
        )
