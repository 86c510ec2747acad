"""OpenLink Virtuoso 7 (Debian package `virtuoso-opensource`), in a throwaway database.

Reads go to the open `/sparql`; writes to `/sparql-auth` and `/sparql-graph-crud-auth` as the
`dba` user with HTTP digest, which is how a real deployment keeps anonymous users read-only.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from .process import Server, answers, free_port, launch

DBA = ("dba", "dba")  # a fresh database's administrator and password

_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
DirsAllowed = {dir}
CheckpointInterval = 0
; A release is swapped in by one transaction; the default 50 MB after-image would abort a big one.
TransactionAfterImageLimit = 2000000000
; Readers must not see a swap of several graphs half done: the default (read committed) lets a
; query read one graph before the swap commits and the next one after.
DefaultIsolation = 4

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerThreads = 10
Charset = UTF-8

[SPARQL]
; The Debian default caps every answer at 10,000 rows without saying so.
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 120
MaxQueryCostEstimationTime = 120
"""


def find_virtuoso() -> str | None:
    return shutil.which("virtuoso-t") or next(
        (p for p in ("/usr/bin/virtuoso-t", "/usr/local/bin/virtuoso-t") if Path(p).exists()), None
    )


def start_virtuoso(binary: str, workdir: Path, timeout: float = 90.0) -> Server:
    workdir.mkdir(parents=True, exist_ok=True)
    http_port, sql_port = free_port(), free_port()
    ini = workdir / "virtuoso.ini"
    ini.write_text(_INI.format(dir=workdir, sql_port=sql_port, http_port=http_port))
    log = workdir / "virtuoso.out"
    process = launch([binary, "+foreground", "+configfile", str(ini)], log, workdir)
    root = f"http://127.0.0.1:{http_port}"
    server = Server(
        "Virtuoso", process, log,
        query_endpoint=f"{root}/sparql",
        update_endpoint=f"{root}/sparql-auth",
        store_endpoint=f"{root}/sparql-graph-crud-auth",
        credentials=DBA,
        auth="digest",
        extra={"sql_port": str(sql_port)},
    )
    server.wait_until_ready(answers(server.query_endpoint, query="ASK {}"), timeout)
    return server
