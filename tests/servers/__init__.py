"""Start real SPARQL servers on 127.0.0.1 for the store contract tests (and benchmarks)."""
