"""Taxonomies: the categories, concepts, attributes, relations and scene attributes scenes are drawn from."""

from .load import default_taxonomy_path, load_taxonomy, taxonomy_from_dict
from .model import (
    ADJECTIVE_ORDER,
    COUNTABILITY,
    RELATION_KINDS,
    AttributeType,
    AttributeValue,
    Category,
    ObjectConcept,
    RelationType,
    SceneAttributeType,
    SceneAttributeValue,
    Taxonomy,
)

__all__ = [
    "load_taxonomy", "taxonomy_from_dict", "default_taxonomy_path", "Taxonomy", "Category", "ObjectConcept",
    "AttributeType", "AttributeValue", "RelationType", "SceneAttributeType", "SceneAttributeValue",
    "ADJECTIVE_ORDER", "RELATION_KINDS", "COUNTABILITY",
]
