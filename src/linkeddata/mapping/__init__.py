"""Mapping files: one declarative YAML file per dataset family, in `mappings/`."""

from .model import Cube, Dimension, Mapping, Metadata, Records, TotalRows, Unpivot
from .load import find_mapping, load_mapping, mapping_files

__all__ = ["Cube", "Dimension", "Mapping", "Metadata", "Records", "TotalRows", "Unpivot", "find_mapping", "load_mapping", "mapping_files"]
