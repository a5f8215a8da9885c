"""Money as customers read it: $1,234.50 MXN. Amounts always come from the database."""

from decimal import ROUND_HALF_UP, Decimal

_SYMBOLS = {"USD": "$", "MXN": "$", "EUR": "€", "GBP": "£", "COP": "$", "ARS": "$", "CLP": "$"}


def money(amount: Decimal, currency: str) -> str:
    value = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    symbol = _SYMBOLS.get(currency, "")
    text = f"{symbol}{value:,.2f}"
    # "$" alone is ambiguous between pesos and dollars; say which unless it is USD.
    return text if currency == "USD" else f"{text} {currency}"
