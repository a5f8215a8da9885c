"""The catalog as CSV: export all of it; import a file validated like the business file.

An import is all or nothing: every row is checked first, and a file with any bad row changes
nothing and names each problem by row (the header is row 1, as a spreadsheet shows it) and
field. Products in the file are created or updated by SKU; the others are left alone.
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Iterable

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse
from sqlmodel import col, select
from starlette.datastructures import UploadFile

from whsp_ai.dashboard import product_input
from whsp_ai.dashboard.deps import DbDep, OwnerDep, WriterDep
from whsp_ai.dashboard.forms import FieldErrors
from whsp_ai.dashboard.routes.products import listing
from whsp_ai.db.database import Database
from whsp_ai.db.models import Product
from whsp_ai.db.repositories import products as products_repo
from whsp_ai.db.vector_indexes import ensure_vector_indexes
from whsp_ai.importer.load import BATCH
from whsp_ai.importer.schema import FileProduct

router = APIRouter()
ALIAS_SEPARATOR = "|"
MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
MAX_PROBLEMS = 50  # shown; the rest are counted
REQUIRED = ("sku", "name", "price")
EXPORT_PAGE = 1000
FORMULA = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet runs at the start of a cell


def _row(product: Product) -> list[str]:
    return [
        product.sku,
        product.name,
        product.description,
        f"{product.price:.2f}",
        "" if product.stock is None else str(product.stock),
        product.category or "",
        ALIAS_SEPARATOR.join(product.aliases),
        product.status,
    ]


def _safe_cell(value: str) -> str:
    """A cell a spreadsheet would run as a formula (=, +, -, @) is exported as text."""
    return f"'{value}" if value[:1] in FORMULA else value


def _unescaped(value: str) -> str:
    """Undo _safe_cell, so an exported file imports back unchanged."""
    return value[1:] if value[:1] == "'" and value[1:2] in FORMULA else value


def _lines(rows: Iterable[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([[_safe_cell(c) for c in row] for row in rows])
    return buffer.getvalue()


@router.get("/products.csv")
async def export_csv(request: Request, owner: OwnerDep) -> Response:
    """Every product, in pages of EXPORT_PAGE by id, streamed: memory stays flat.

    The body runs after the handler has returned (and its request-scoped session closed),
    so it reads in a session of its own.
    """
    database: Database = request.app.state.db

    async def body() -> AsyncIterator[str]:
        yield "\ufeff" + _lines([list(product_input.FIELDS)])  # BOM: Excel reads UTF-8
        after = 0
        async with database.session() as db:
            while True:
                batch = list(
                    (
                        await db.execute(
                            select(Product)
                            .where(col(Product.business_id) == owner.id, col(Product.id) > after)
                            .order_by(col(Product.id))
                            .limit(EXPORT_PAGE)
                        )
                    ).scalars()
                )
                if not batch:
                    return
                yield _lines(_row(p) for p in batch)
                after = batch[-1].id or 0

    name = f"{owner.business.slug}-products.csv"
    return StreamingResponse(
        body(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def parse(data: bytes) -> tuple[list[FileProduct], list[str]]:
    """The file's products, or its problems (each naming row and field)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return [], [f"the file is not UTF-8 text (byte {exc.start}); save it as CSV UTF-8"]
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    problems = [f"row 1: missing column '{c}'" for c in REQUIRED if c not in header]
    problems += [f"row 1: unknown column '{h}'" for h in header if h not in product_input.FIELDS]
    if len(set(header)) != len(header):
        problems.append("row 1: a column appears twice")
    if problems:
        return [], problems
    reader.fieldnames = header
    found: list[FileProduct] = []
    first_row: dict[str, int] = {}
    try:
        for index, record in enumerate(reader):
            row = index + 2
            if index >= MAX_ROWS:
                return [], [f"row {row}: more than {MAX_ROWS} products in one file"]
            if None in record:
                problems.append(f"row {row}: more cells than columns")
                continue
            cells = {k: _unescaped((v or "").replace("\x00", "")) for k, v in record.items()}
            if not any(v.strip() for v in cells.values()):
                continue  # a blank line
            product, errors = product_input.validate(
                product_input.from_text(cells, alias_separator=ALIAS_SEPARATOR)
            )
            problems += _described(row, cells.get("sku", ""), errors)
            if product is not None:
                if product.sku in first_row:
                    problems.append(
                        f"row {row}, field 'sku': {product.sku!r} is also on row "
                        f"{first_row[product.sku]}"
                    )
                first_row.setdefault(product.sku, row)
                found.append(product)
    except csv.Error as exc:
        problems.append(f"row {reader.line_num}: not readable as CSV ({exc})")
    return ([], problems) if problems else (found, [])


def _described(row: int, sku: str, errors: FieldErrors) -> list[str]:
    which = f" (sku {sku.strip()!r})" if sku.strip() else ""
    return [f"row {row}{which}, field '{f}': {msg}" for f, msg in errors.items()]


@router.post("/products/import")
async def import_csv(request: Request, owner: WriterDep, db: DbDep) -> Response:
    form = await request.form(max_part_size=MAX_BYTES)
    upload = form.get("file")
    problems: list[str]
    imported = None
    if not isinstance(upload, UploadFile):
        problems = ["choose a CSV file to upload"]
    else:
        data = await upload.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            problems = [f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB"]
        else:
            found, problems = parse(data)
            if not problems and not found:
                problems = ["the file has no products"]
            if not problems:
                made = changed = 0
                for start in range(0, len(found), BATCH):
                    c, u = await products_repo.upsert_many(
                        db, business_id=owner.id, products=found[start : start + BATCH]
                    )
                    made, changed = made + c, changed + u
                await ensure_vector_indexes(db, business_id=owner.id)
                imported = f"Imported: {made} new, {changed} updated."
    shown = problems[:MAX_PROBLEMS]
    if len(problems) > MAX_PROBLEMS:
        shown.append(f"… and {len(problems) - MAX_PROBLEMS} more")
    return listing(
        request, owner, status_code=422 if problems else 200, problems=shown, imported=imported
    )
