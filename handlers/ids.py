"""Every action, callback and block id in one place, shared by builders and registrations."""

from __future__ import annotations

SLASH_COMMAND = "/okr"
