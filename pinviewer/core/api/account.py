"""Who a token belongs to (GET /user_account), and the careful reading of an answer's fields: an id, a text,
a count; anything else (null, a list where text belongs, a 5,000-character id) is read as unknown."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


def text_or_none(value: Any, limit: int = 2000) -> str | None:
    """A text field of an answer: a string (cut to ``limit`` characters) or a number as text; else None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        value = str(value)
    if not isinstance(value, str) or not value:
        return None
    return value[:limit]


def ident(value: Any) -> str | None:
    """An id from an answer (a Pin, a board, an account): a short string or an integer; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and 0 < len(value) <= 64 and value.isprintable():
        return value
    return None


def count_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**12 else None


@dataclass(frozen=True)
class Account:
    id: str
    username: str
    account_type: str  # BUSINESS or PINNER
    business_name: str | None = None
    pin_count: int | None = None  # created and saved Pins: a hint for progress and the page limit, not a promise
    board_count: int | None = None

    @classmethod
    def from_json(cls, data: dict) -> Account:
        return cls(id=ident(data.get("id")) or "", username=text_or_none(data.get("username"), 100) or "",
                   account_type=(text_or_none(data.get("account_type"), 20) or "PINNER").upper(),
                   business_name=text_or_none(data.get("business_name"), 200),
                   pin_count=count_or_none(data.get("pin_count")),
                   board_count=count_or_none(data.get("board_count")))

    @property
    def is_business(self) -> bool:
        return self.account_type == "BUSINESS"

    @property
    def display_name(self) -> str:
        name = self.business_name or self.username or self.id
        return f"{name} (@{self.username})" if self.business_name and self.username else name

    @property
    def type_label(self) -> str:
        return "a business account" if self.is_business else "a personal account"

    def describe(self) -> str:
        return f"{self.display_name}, {self.type_label}"

    def not_business_sentence(self) -> str:
        return (f"{self.display_name} is a personal Pinterest account. Analytics need a business account: "
                "switch to a free business account in Pinterest's settings (Account management), then connect "
                "again.")
