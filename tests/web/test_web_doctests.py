"""Every docstring example in the web package runs, whatever pyproject's testpaths list."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import linkeddata.web

MODULES = sorted(m.name for m in pkgutil.iter_modules(linkeddata.web.__path__, "linkeddata.web."))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"
