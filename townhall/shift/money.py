"""Money is kept as whole pence and shown as pounds."""

from decimal import ROUND_HALF_UP, Decimal


def pounds(pence: int | None) -> str:
    """283 -> '£2.83'; -12 -> '-£0.12'; 123456 -> '£1,234.56'."""
    if pence is None:
        return ""
    sign = "-" if pence < 0 else ""
    whole, part = divmod(abs(int(pence)), 100)
    return f"{sign}£{whole:,}.{part:02d}"


def pence_from_pounds(value: Decimal) -> int:
    """Decimal('2.83') -> 283, rounding half a penny up."""
    return int((value * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def pounds_plain(pence: int) -> str:
    """For CSV and form fields: 283 -> '2.83', -12 -> '-0.12'."""
    sign = "-" if pence < 0 else ""
    whole, part = divmod(abs(int(pence)), 100)
    return f"{sign}{whole}.{part:02d}"
