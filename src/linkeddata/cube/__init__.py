"""Rows -> W3C RDF Data Cube (and record resources) as streamed N-Triples."""

from .builder import BuildResult, SourceFile, build_dataset

__all__ = ["BuildResult", "SourceFile", "build_dataset"]
