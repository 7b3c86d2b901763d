"""The YAML intent catalog: schema, loading with line numbers, and validation."""

from bot.catalog.errors import CatalogError, Problem
from bot.catalog.load import Catalog, load_catalog

__all__ = ["Catalog", "CatalogError", "Problem", "load_catalog"]
