"""Text normalization: a leaf that nlu, search, tools and db all use, and that imports none."""
