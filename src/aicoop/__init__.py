"""kg: a knowledge graph of institutional complementarity in international AI policy."""

__version__ = "0.1.0"
