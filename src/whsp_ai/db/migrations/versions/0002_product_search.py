"""product search: normalized columns, weighted tsvector, trigram-hash vectors

Revision ID: 0002
Revises: 0001

The tsvector is kept by a trigger, because it needs the business's language (a generated
column cannot read another table) and every path that writes a product (import, the
management API, owner approvals) then gets it for free. The same trigger clears the
embedding when the words change, so the background job embeds the product again.

HNSW indexes on name_grams / embedding are partial, one per large catalog
(whsp_ai.db.vector_indexes): pgvector 0.6 filters after the index scan, so one shared index
would return other businesses' neighbours and leave a small business with nothing.
"""

import re
import unicodedata
import zlib
from collections.abc import Sequence
from math import sqrt

import pgvector.sqlalchemy
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS_CONFIG = """
CREATE OR REPLACE FUNCTION whsp_ts_config(lang text) RETURNS regconfig
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE lang WHEN 'es' THEN 'pg_catalog.spanish'::regconfig
                   WHEN 'en' THEN 'pg_catalog.english'::regconfig
                   ELSE 'pg_catalog.simple'::regconfig END
$$
"""

TRIGGER_FUNCTION = """
CREATE OR REPLACE FUNCTION products_search_vector() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  cfg regconfig;
  words_changed boolean := TG_OP = 'INSERT'
    OR NEW.search_names IS DISTINCT FROM OLD.search_names
    OR NEW.search_category IS DISTINCT FROM OLD.search_category
    OR NEW.search_text IS DISTINCT FROM OLD.search_text;
BEGIN
  -- a NULL search_vector asks for a rebuild (the business changed language)
  IF NOT words_changed AND NEW.search_vector IS NOT NULL THEN
    RETURN NEW;
  END IF;
  SELECT whsp_ts_config(b.language) INTO cfg FROM businesses b WHERE b.id = NEW.business_id;
  NEW.search_vector :=
       setweight(to_tsvector(cfg, NEW.search_names), 'A')
    || setweight(to_tsvector(cfg, NEW.search_category), 'B')
    || setweight(to_tsvector(cfg, NEW.search_text), 'D');
  IF TG_OP = 'UPDATE' AND words_changed THEN
    NEW.embedding := NULL;  -- the words changed: embed again
  END IF;
  RETURN NEW;
END
$$
"""


def upgrade() -> None:
    op.add_column(
        "products", sa.Column("search_names", sa.Text(), nullable=False, server_default="")
    )
    op.add_column(
        "products", sa.Column("search_category", sa.Text(), nullable=False, server_default="")
    )
    op.alter_column("products", "search_names", server_default=None)
    op.alter_column("products", "search_category", server_default=None)
    op.add_column("products", sa.Column("search_vector", postgresql.TSVECTOR(), nullable=True))
    op.add_column(
        "products",
        sa.Column("name_grams", pgvector.sqlalchemy.vector.VECTOR(dim=256), nullable=True),
    )
    op.execute(TS_CONFIG)
    op.execute(TRIGGER_FUNCTION)
    op.execute(
        "CREATE TRIGGER products_search_vector BEFORE INSERT OR UPDATE ON products "
        "FOR EACH ROW EXECUTE FUNCTION products_search_vector()"
    )
    _fill_existing_rows()
    op.create_index(
        "products_search_vector_idx",
        "products",
        ["search_vector"],
        unique=False,
        postgresql_using="gin",
    )
    op.create_index("products_business_name_idx", "products", ["business_id", "name"])
    op.create_index("products_business_price_idx", "products", ["business_id", "price"])


def _fill_existing_rows() -> None:
    """Products written before this revision get their columns now, in batches."""

    conn = op.get_bind()
    last_id = 0
    while True:
        rows = conn.execute(
            sa.text(
                "SELECT id, name, aliases, category, description FROM products "
                "WHERE id > :last ORDER BY id LIMIT 1000"
            ),
            {"last": last_id},
        ).all()
        if not rows:
            return
        updates = []
        for row in rows:
            names = " | ".join([row.name, *row.aliases])
            updates.append(
                {
                    "id": row.id,
                    "search_names": " ".join(_tokens(names)),
                    "search_category": " ".join(_tokens(row.category or "")),
                    "search_text": " ".join(_tokens(row.description)),
                    "name_grams": _grams_literal(names),
                }
            )
        conn.execute(
            sa.text(
                "UPDATE products SET search_names = :search_names, "
                "search_category = :search_category, search_text = :search_text, "
                "name_grams = CAST(:name_grams AS vector) WHERE id = :id"
            ),
            updates,
        )
        last_id = rows[-1].id


def downgrade() -> None:
    op.drop_index("products_business_price_idx", table_name="products")
    op.drop_index("products_business_name_idx", table_name="products")
    op.drop_index("products_search_vector_idx", table_name="products", postgresql_using="gin")
    op.execute("DROP TRIGGER IF EXISTS products_search_vector ON products")
    op.execute("DROP FUNCTION IF EXISTS products_search_vector()")
    op.execute("DROP FUNCTION IF EXISTS whsp_ts_config(text)")
    op.drop_column("products", "name_grams")
    op.drop_column("products", "search_vector")
    op.drop_column("products", "search_category")
    op.drop_column("products", "search_names")


# --- the normalization of whsp_ai.text.search, frozen as of this revision --------------------
# A migration must give the same rows whenever it runs, so it never imports live code: when
# the application's normalization changes, a later revision re-fills the columns.

_TOKEN = re.compile(r"[a-z0-9]+(?:[./][0-9]+)?")
_PRICE = re.compile(
    r"(?:\b(?:a|por|at|for)\s+)?(?:\$\s*\d[\d.,]*|\b\d[\d.,]*\s*(?:pesos|dolares|dollars|usd|mxn)\b)"
)
_STOPWORDS = frozenset(
    [
        "de",
        "del",
        "la",
        "el",
        "los",
        "las",
        "un",
        "una",
        "unos",
        "unas",
        "al",
        "para",
        "con",
        "sin",
        "y",
        "o",
        "en",
        "por",
        "que",
        "the",
        "a",
        "an",
        "of",
        "for",
        "with",
        "and",
        "or",
        "in",
        "some",
        "any",
        "to",
        "my",
        "me",
        "your",
        "our",
        "something",
        "anything",
        "algo",
        "cosa",
        "cosas",
        "tienen",
        "tienes",
        "venden",
        "vendes",
        "have",
        "sell",
    ]
)
_SPELLING = {
    "gray": "grey",
    "colour": "color",
    "colours": "colors",
    "flavour": "flavor",
    "flavours": "flavors",
    "aluminium": "aluminum",
    "camomile": "chamomile",
    "kettel": "kettle",
}
_UNITS = {
    **dict.fromkeys(["ml", "mililitro", "mililitros"], ("ml", 1)),
    **dict.fromkeys(
        ["l", "lt", "lts", "litro", "litros", "liter", "liters", "litre", "litres"], ("ml", 1000)
    ),
    **dict.fromkeys(["g", "gr", "grs", "gramo", "gramos", "gram", "grams"], ("g", 1)),
    **dict.fromkeys(["kg", "kilo", "kilos"], ("g", 1000)),
    **dict.fromkeys(["oz", "onza", "onzas", "ounce", "ounces"], ("oz", 1)),
    **dict.fromkeys(["w", "watt", "watts"], ("w", 1)),
    **dict.fromkeys(["in", "pulgada", "pulgadas", "inch", "inches", '"', "pulg"], ("in", 1)),
}
_NUMBER_WORDS = {
    "un": 1,
    "una": 1,
    "uno": 1,
    "one": 1,
    "a": 1,
    "dos": 2,
    "two": 2,
    "tres": 3,
    "three": 3,
    "cuatro": 4,
    "four": 4,
    "cinco": 5,
    "five": 5,
    "seis": 6,
    "six": 6,
    "ocho": 8,
    "eight": 8,
    "diez": 10,
    "ten": 10,
    "doce": 12,
    "twelve": 12,
    "medio": 0.5,
    "half": 0.5,
}
_WORD_SIZE = re.compile(
    r"\b("
    + "|".join(_NUMBER_WORDS)
    + r")\s+(?=("
    + "|".join(sorted((re.escape(u) for u in _UNITS if u.isalpha()), key=len, reverse=True))
    + r")\b)"
)
_SIZE = re.compile(
    r"(?<![\w./])(\d+(?:[.,/]\d+)?)\s*("
    + "|".join(sorted((re.escape(u) for u in _UNITS), key=len, reverse=True))
    + r")(?![a-z])"
)
_GRAM_DIM = 256


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", stripped).strip()


def _stem(token: str) -> str:
    if len(token) > 4 and token.endswith("es") and token[-3] in "rlndzj":
        return token[:-2]
    if len(token) > 3 and token.endswith("s") and not token.endswith("ss"):
        return token[:-1]
    return token


def _size(match: re.Match[str]) -> str:
    unit, factor = _UNITS[match.group(2)]
    number = match.group(1)
    if "/" in number:
        return f" {number}{unit} "
    return f" {float(number.replace(',', '.')) * factor:g}{unit} "


def _tokens(text: str) -> list[str]:
    folded = _PRICE.sub(" ", _fold(text))
    folded = _WORD_SIZE.sub(lambda m: f"{_NUMBER_WORDS[m.group(1)]:g} ", folded)
    cleaned = _SIZE.sub(_size, folded)
    words = (_SPELLING.get(w, w) for w in _TOKEN.findall(cleaned) if w not in _STOPWORDS)
    return [_stem(w) for w in words]


def _grams_literal(text: str) -> str | None:
    counts = [0.0] * _GRAM_DIM
    for token in _tokens(text):
        if any(ch.isdigit() for ch in token):
            counts[zlib.crc32(f"#{token}".encode()) % _GRAM_DIM] += 1.0
            continue
        padded = f" {token} "
        for i in range(len(padded) - 2):
            counts[zlib.crc32(padded[i : i + 3].encode()) % _GRAM_DIM] += 1.0
    norm = sqrt(sum(c * c for c in counts))
    if norm == 0:
        return None
    return "[" + ",".join(f"{round(c / norm, 5):g}" for c in counts) + "]"
