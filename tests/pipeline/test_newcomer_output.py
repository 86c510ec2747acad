"""A newcomer's first minutes: a build ends with one line per kind of warning (and how to see
them all), and `serve` prints the address its links really use."""

from __future__ import annotations

from linkeddata.cli import main


def test_a_build_summarises_its_warnings_one_line_per_kind(tmp_path, capsys):
    assert main(["build", "--store", str(tmp_path / "store"), "police-workforce", "street-crime"]) == 0
    err = capsys.readouterr().err
    kinds = [line for line in err.splitlines() if line.startswith("warning ")]
    assert sorted(k.split()[1] for k in kinds) == ["RECORD-DUPLICATE", "TOTAL-ROWS"]
    assert "(--all-warnings lists each warning" in err
    assert main(["build", "--store", str(tmp_path / "again"), "police-workforce", "--all-warnings"]) == 0
    assert "officer-headcount-2019.csv:2 (Force/Region): warning TOTAL-ROWS" in capsys.readouterr().err


def test_serve_prints_the_base_uri_and_warns_when_the_port_differs(tmp_path, capsys, monkeypatch):
    import uvicorn

    assert main(["build", "--store", str(tmp_path / "store"), "hate-crime"]) == 0
    capsys.readouterr()
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: None)
    assert main(["serve", "--store", str(tmp_path / "store"), "--port", "8123"]) == 0
    err = capsys.readouterr().err
    assert "open http://localhost:8000/" in err and "pass --base http://localhost:8123" in err
    assert main(["serve", "--store", str(tmp_path / "store"), "--port", "8123", "--base", "http://localhost:8123"]) == 0
    err = capsys.readouterr().err
    assert "open http://localhost:8123/" in err and "note:" not in err
