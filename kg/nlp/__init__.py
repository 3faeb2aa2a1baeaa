"""Natural-language extraction: spaCy components that turn article text into parsed facts."""

from .pipeline import COMPONENT, VERSION, extract_facts

__all__ = ["COMPONENT", "VERSION", "extract_facts"]
