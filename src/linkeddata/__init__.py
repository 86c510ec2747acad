"""Publish Home Office statistics as W3C RDF Data Cube linked data.

Data flows one way: mapping -> tabular -> cube -> validate -> store -> web.
"""

__version__ = "0.1.0"
